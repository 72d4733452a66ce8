/** Turns the program synthesized under mocks (gate/synth) into the harness's resources. */
import { unwrapSecrets, type SynthResource } from '../../gate/synth/synthesize';
import { clone, type FixtureResource } from './harness';

/** `urn::id`, as the engine writes a provider reference; the id never contains `::`. */
const providerUrn = (ref: string) => ref.slice(0, ref.lastIndexOf('::'));

/** Custom resources as the engine sends them to Analyze (inputs with unknown sentinels, secrets opened). */
export function toFixture(resources: SynthResource[]): FixtureResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const propsOf = (r: SynthResource) => clone(unwrapSecrets(r.rawInputs) as Record<string, unknown>);
  return resources
    .filter((r) => r.custom)
    .map((r) => {
      const provider = r.provider ? byUrn.get(providerUrn(r.provider)) : undefined;
      return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: propsOf(r),
        protect: r.options.protect ?? false,
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        provider: provider && {
          type: provider.type,
          name: provider.name,
          urn: provider.urn,
          props: propsOf(provider),
        },
      };
    });
}
