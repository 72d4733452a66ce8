/**
 * The real program at its FIRST preview (nothing exists yet: ids and ARNs of new resources are
 * unknown): every mandatory policy must still be evaluated (none downgraded to "can't run during
 * preview") and pass, so the gate really gates the first deployment.
 */
import { catalog } from '../../policies/catalog';
import { isUnknownSentinel } from '../../policies/lib/unknown';
import { runAll, type FixtureResource } from './harness';
import { realStack } from './real-baseline';
import * as selectors from './selectors';

let resources: FixtureResource[];

const hasUnknown = (value: unknown): boolean =>
  isUnknownSentinel(value) ||
  (typeof value === 'object' && value !== null && Object.values(value).some(hasUnknown));

beforeAll(async () => {
  resources = await realStack({ preview: true });
}, 120_000);

describe('the real stack at its first preview', () => {
  it('really is a first preview: some inputs are unknown', () => {
    expect(resources.some((r) => hasUnknown(r.props))).toBe(true);
  });

  it('still lets every named selector find its one resource (some by dependency, their ARNs unknown)', () => {
    const all = Object.values(selectors).filter((s): s is selectors.Selector => 'pick' in s);
    expect(all.length).toBeGreaterThan(20);
    for (const s of all) expect(resources).toContain(s.pick(resources));
  });

  it('leaves no mandatory policy unevaluated and passes every policy', async () => {
    const { findings } = await runAll(catalog, resources);
    expect(findings.map((f) => `${f.policy} ${f.urn}: ${f.detail}`)).toEqual([]);
  });
});
