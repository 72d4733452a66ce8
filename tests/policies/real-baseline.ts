/**
 * The compliant baseline of the policy tests: the real program (stack/) synthesized under mocks,
 * not a hand-built copy that could drift from it. Each test file synthesizes once (a few seconds)
 * and every caller gets its own deep copy to mutate.
 */
import { synthesize } from '../../gate/synth/synthesize';
import { clone, type FixtureResource } from './harness';
import type { Selector } from './selectors';
import { toFixture } from './synth-adapter';

/** The stack whose `Pulumi.<stack>.yaml` configures the baseline. */
export const BASELINE_STACK = 'dev';

let synthesized: { preview: boolean; resources: Promise<FixtureResource[]> } | undefined;

/**
 * The synthesized stack: with mock values (`preview: false`), or as at its first preview, where ids
 * and ARNs of resources not yet created are unknown. Pulumi's runtime is process-global, so a test
 * file gets one of the two; asking for the other fails loudly instead of returning a mixed state.
 */
export async function realStack(options: { preview?: boolean } = {}): Promise<FixtureResource[]> {
  const preview = options.preview ?? false;
  if (!synthesized) {
    synthesized = {
      preview,
      resources: synthesize({ stack: BASELINE_STACK, preview }).then((r) => toFixture(r.resources)),
    };
  } else if (synthesized.preview !== preview) {
    throw new Error(
      `this test file already synthesized the ${synthesized.preview ? 'first-preview' : 'known-value'} stack; ` +
        'the Pulumi runtime allows one synthesis per file, so put the other kind of test in its own file',
    );
  }
  return clone(await synthesized.resources);
}

/**
 * A copy of `stack` with `mutate` applied to the resource `target` picks (which must exist).
 * `mutate` returning false removes that resource from the copy instead.
 */
export function mutated(
  stack: readonly FixtureResource[],
  target: Selector,
  mutate: (props: Record<string, unknown>, resource: FixtureResource) => void | false,
): FixtureResource[] {
  const copy = clone(stack) as FixtureResource[];
  const resource = target.pick(copy);
  return mutate(resource.props, resource) === false ? copy.filter((r) => r !== resource) : copy;
}
