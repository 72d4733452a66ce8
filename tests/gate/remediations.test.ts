/**
 * Remediations and stack violations as the engine handles them: a remediation's new properties
 * are analyzed in a preview and only reported in a state audit; one that cannot run on unknown
 * values is a check not evaluated; a stack violation names its resource only when it is in the
 * stack, and the root stack otherwise.
 */
import * as path from 'node:path';
import { UNKNOWN } from '../../gate/encoding';
import { runGate } from '../../gate/index';
import { startPack, type PackProcess } from '../../gate/pack-process';
import { fixtureInput, resource, STACK_URN } from './helpers';

const PACK = path.join(__dirname, 'fixtures', 'remediation-pack');
const QUEUE = 'aws:sqs/queue:Queue';

describe('remediations and stack violation URNs', () => {
  let pack: PackProcess;
  beforeAll(async () => {
    pack = await startPack(PACK);
  });
  afterAll(() => pack.stop());
  const run = (mode: 'preview' | 'state', ...resources: ReturnType<typeof resource>[]) =>
    runGate({ input: { ...fixtureInput(resources), mode }, pack, packDir: PACK, outDir: null });

  it('analyzes the remediated properties in a preview, and not in a state audit', async () => {
    const preview = await run('preview', resource(QUEUE, 'q', { name: 'q', tags: {} }));
    expect(preview.input.resources[1].inputs.tags).toEqual({ Owner: 'fixed' });
    const state = await run('state', resource(QUEUE, 'q', { name: 'q', tags: {} }));
    expect(state.input.resources[1].inputs.tags).toEqual({});
  });

  it('counts a remediation that cannot run on unknown tags as a check not evaluated', async () => {
    const r = await run('preview', resource(QUEUE, 'q', { name: 'q', tags: UNKNOWN }));
    expect(r.unevaluated).toEqual([
      expect.objectContaining({
        policyName: 'owner-tag-fixer',
        configuredLevel: 'remediate',
        message: expect.stringMatching(/^can't run remediation 'owner-tag-fixer' .* during preview/),
      }),
    ]);
  });

  it('attributes a stack violation to its resource when in the stack, else to the root stack', async () => {
    const q = resource(QUEUE, 'q', { name: 'q', tags: { Owner: 'me' } });
    const r = await run('preview', q);
    const urns = r.violations
      .filter((v) => v.policyName === 'names-resources')
      .map((v) => [v.message, v.urn]);
    expect(urns).toEqual([
      [expect.stringContaining('in the stack'), q.urn],
      [expect.stringContaining('elsewhere'), STACK_URN],
    ]);
  });
});
