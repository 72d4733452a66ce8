/** The real program (stack/), synthesized under mocks with known values, passes every policy. */
import { catalog } from '../../policies/catalog';
import { runAll, runPolicy, type FixtureResource } from './harness';
import { mutated, realStack } from './real-baseline';
import { apiFunction } from './selectors';

let resources: FixtureResource[];

beforeAll(async () => {
  resources = await realStack();
}, 120_000);

describe('the real stack (known values)', () => {
  it('has the resources the policies are about', () => {
    const types = new Set(resources.map((r) => r.type));
    for (const t of [
      'aws:lambda/function:Function',
      'aws:s3/bucket:Bucket',
      'aws:iam/rolePolicy:RolePolicy',
      'aws:dynamodb/table:Table',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('passes every mandatory and advisory policy', async () => {
    const { findings } = await runAll(catalog, resources);
    expect(findings.map((f) => `${f.policy} ${f.urn}: ${f.detail}`)).toEqual([]);
  });

  it("counts the provider's defaultTags (sent JSON-encoded) when resources set no tags", async () => {
    const untagged = JSON.parse(JSON.stringify(resources)) as FixtureResource[];
    for (const r of untagged) delete r.props.tags;
    const tags = catalog.find((p) => p.metadata.id === 'required-tags')!;
    expect((await runPolicy(tags, untagged)).findings).toEqual([]);
    const noDefaults = untagged.map((r) =>
      r.provider ? { ...r, provider: { ...r.provider, props: {} } } : r,
    );
    expect((await runPolicy(tags, noDefaults)).findings.length).toBeGreaterThan(10);
  });

  it('is really checked: the same stack with one function unreserved fails', async () => {
    const broken = mutated(resources, apiFunction, (p) => {
      delete p.reservedConcurrentExecutions;
    });
    const { findings } = await runAll(catalog, broken);
    expect(findings.map((f) => [f.policy, f.urn])).toEqual([
      ['lambda-reserved-concurrency', apiFunction.pick(resources).urn],
    ]);
  });
});
