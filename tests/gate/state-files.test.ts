/**
 * `--state` on the repository's state fixtures (tests/gate/fixtures/states/README.md), as
 * `pulumi policy analyze --file` reads them: every deployment version, features, pending
 * deletions, a byte-order mark and a backend checkpoint. The outputs pack passes only when
 * AnalyzeStack is shown outputs (the queue's ARN) and Analyze inputs (no ARN).
 */
import * as path from 'node:path';
import { runGate } from '../../gate/index';
import { startPack, type PackProcess } from '../../gate/pack-process';

const PACK = path.join(__dirname, 'fixtures', 'outputs-pack');
const STATES = path.join(__dirname, 'fixtures', 'states');
const QUEUE_URN = 'urn:pulumi:dev::proj::aws:sqs/queue:Queue::orders';

describe('state files of every kind the CLI reads', () => {
  let pack: PackProcess;
  beforeAll(async () => {
    pack = await startPack(PACK);
  });
  afterAll(() => pack.stop());
  const audit = (file: string) =>
    runGate({ state: path.join(STATES, file), pack, packDir: PACK, outDir: null });

  it.each(['v1.json', 'v2.json', 'v3.json', 'v4.json', 'bom.json', 'checkpoint.json'])(
    '%s: passes, the stack policy seeing outputs and the resource policy inputs',
    async (file) => {
      const r = await audit(file);
      expect(r.violations).toEqual([]);
      expect(r.exitCode).toBe(0);
      expect(r.input).toMatchObject({ project: 'proj', stack: 'dev', mode: 'state' });
      const byName = Object.fromEntries(r.outcomes.map((o) => [o.policy.name, o]));
      expect(byName['queue-arn-output'].result).toBe('pass');
      expect(byName['owner-tag'].examined).toEqual([QUEUE_URN]);
    },
  );

  it('skips resources pending deletion, as the CLI does', async () => {
    const r = await audit('pending-deletion.json');
    expect(r.exitCode).toBe(0);
    expect(r.input.resources.map((x) => x.name)).not.toContain('orders-old');
  });

  it('refuses a version-4 file listing a feature it does not know, naming the feature', async () => {
    await expect(audit('v4-unknown-feature.json')).rejects.toThrow(
      /needs support for the following features: quantumState \(the gate reads byteString, /,
    );
  });

  it('says a checkpoint without a deployment has nothing to audit', async () => {
    await expect(audit('checkpoint-never-updated.json')).rejects.toThrow(
      /is a Pulumi checkpoint of stack organization\/proj\/dev with no deployment \(the stack was never updated\): nothing to audit/,
    );
  });
});
