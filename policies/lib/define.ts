/**
 * Builds @pulumi/policy policies from metadata plus a check function, so every policy gets the same
 * config defaults, exemptions, type filtering and metadata fields.
 */
import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import { EXEMPTIONS_SCHEMA, readExemptions, withDefaults } from './config';
import { toPolicyFields, type PolicyMetadata } from './metadata';

export interface ResourceCheck<P, C> {
  /** The resource's inputs, behind @pulumi/policy's unknown-checking proxy. */
  readonly props: P;
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly opts: PolicyResourceOptions;
  readonly provider?: PolicyProviderResource;
  readonly config: C;
  report(message: string): void;
  /** Marks the policy not applicable to this resource (reported with the reason). */
  notApplicable(reason: string): never;
}

export interface StackCheck<C> {
  /** Every resource in the stack; `props` are outputs (inputs plus unknowns at preview). */
  readonly resources: PolicyResource[];
  readonly config: C;
  report(message: string, urn?: string): void;
}

/** A policy with its metadata, as the pack and the tests see it. */
export interface PackPolicy {
  readonly metadata: PolicyMetadata;
  readonly policy: ResourceValidationPolicy | StackValidationPolicy;
  /** Resource types a resource policy applies to; `'*'` for all; undefined for stack policies. */
  readonly appliesTo?: readonly string[] | '*';
}

function baseFields(meta: PolicyMetadata, withExemptions: boolean) {
  const properties = { ...(meta.config ?? {}), ...(withExemptions ? { exemptions: EXEMPTIONS_SCHEMA } : {}) };
  return {
    name: meta.id,
    displayName: meta.displayName,
    description: meta.description,
    enforcementLevel: meta.enforcementLevel,
    severity: meta.severity,
    remediationSteps: meta.remediationSteps,
    ...toPolicyFields(meta),
    ...(Object.keys(properties).length ? { configSchema: { properties } } : {}),
  };
}

export function resourcePolicy<P, C = Record<string, unknown>>(
  meta: PolicyMetadata,
  appliesTo: readonly string[] | '*',
  check: (resource: ResourceCheck<P, C>) => void | Promise<void>,
): PackPolicy {
  const schema = meta.config ?? {};
  const validate = async (args: ResourceValidationArgs, reportViolation: ReportViolation): Promise<void> => {
    if (appliesTo !== '*' && !appliesTo.includes(args.type)) {
      args.notApplicable(`Policy only applies to ${appliesTo.join(', ')}`);
    }
    const given = args.getConfig<Record<string, unknown>>();
    const exemption = readExemptions(meta.id, given.exemptions).find(
      (e) => e.resource === args.name || e.resource === args.urn,
    );
    if (exemption) args.notApplicable(`Exempted: ${exemption.justification}`);
    await check({
      props: args.props as P,
      type: args.type,
      name: args.name,
      urn: args.urn,
      opts: args.opts,
      provider: args.provider,
      config: withDefaults(schema, given) as C,
      report: (message) => reportViolation(message),
      notApplicable: (reason) => args.notApplicable(reason),
    });
  };
  // A single type lets the server skip other resources without calling us (server.js fast path).
  if (appliesTo !== '*' && appliesTo.length === 1) {
    (validate as unknown as { __pulumiType: string }).__pulumiType = appliesTo[0];
  }
  return { metadata: meta, appliesTo, policy: { ...baseFields(meta, true), validateResource: validate } };
}

export function stackPolicy<C = Record<string, unknown>>(
  meta: PolicyMetadata,
  check: (stack: StackCheck<C>) => void | Promise<void>,
): PackPolicy {
  const schema = meta.config ?? {};
  const validateStack = async (
    args: StackValidationArgs,
    reportViolation: ReportViolation,
  ): Promise<void> => {
    await check({
      resources: args.resources,
      config: withDefaults(schema, args.getConfig<Record<string, unknown>>()) as C,
      report: (message, urn) => reportViolation(message, urn),
    });
  };
  return { metadata: meta, policy: { ...baseFields(meta, false), validateStack } };
}
