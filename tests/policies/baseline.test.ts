import { catalog } from '../../policies/catalog';
import { baselineStack } from './fixtures/baseline';
import { runAll } from './harness';

describe('the compliant baseline', () => {
  it('passes every policy of the pack', async () => {
    const { findings } = await runAll(catalog, baselineStack());
    expect(findings).toEqual([]);
  });

  it('at its first preview, passes every policy and leaves no mandatory policy unevaluated', async () => {
    const { findings } = await runAll(catalog, baselineStack({ preview: true }));
    expect(findings).toEqual([]);
  });
});
