import * as pulumi from '@pulumi/pulumi';

export class RetentionGuardError extends Error {
  override readonly name = 'RetentionGuardError';
}

/**
 * Refuses any resource registered with `retainOnDelete` or `protect`: every resource of this stack
 * must be destroyable. The engine never sends `retainOnDelete` to policy packs, so the pack cannot
 * see it; this guard (and the offline gate) enforce it instead. Uses the in-process stack
 * transformation so it also runs under Pulumi mocks.
 */
export function refuseRetainedResources(): void {
  pulumi.runtime.registerStackTransformation((args) => {
    const { retainOnDelete, protect } = args.opts;
    if (retainOnDelete || protect) {
      const option = retainOnDelete ? 'retainOnDelete' : 'protect';
      throw new RetentionGuardError(
        `Resource "${args.name}" (${args.type}) sets ${option}; every resource in this stack must be ` +
          'destroyable, so neither retainOnDelete nor protect may be set.',
      );
    }
    return undefined;
  });
}
