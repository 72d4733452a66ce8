/**
 * A pack that fails: a policy that throws (the call ends with a non-OK status), a pack that dies
 * with calls in flight, and a pack that is gone before the first call. Each ends the gate with an
 * AnalyzerCallError naming the call (exit code 2 in the CLI), never a hang.
 */
import { AnalyzerCallError } from '../../gate/errors';
import { runGate } from '../../gate/index';
import { startPack, type PackProcess } from '../../gate/pack-process';
import { FAULTY_PACK, FIXTURE_PACK, fixtureInput, resource } from './helpers';

const QUEUE = 'aws:sqs/queue:Queue';

/** `count` ordinary queues with `special` (a resource name the faulty pack reacts to) in the middle. */
function queues(count: number, special?: string) {
  const list = Array.from({ length: count }, (_, i) => resource(QUEUE, `q${i}`, { name: `q${i}` }));
  if (special) list.splice(count / 2, 0, resource(QUEUE, special, { name: special }));
  return fixtureInput(list);
}

describe('a pack that fails', () => {
  let pack: PackProcess | undefined;
  afterEach(async () => {
    await pack?.stop();
    pack = undefined;
  });

  it('passes a stack whose resources the faulty pack accepts', async () => {
    pack = await startPack(FAULTY_PACK);
    const r = await runGate({ input: queues(50), pack, packDir: FAULTY_PACK, outDir: null });
    expect(r.exitCode).toBe(0);
  });

  it('reports a policy that throws, naming the policy and its error', async () => {
    pack = await startPack(FAULTY_PACK);
    const gate = runGate({ input: queues(200, 'throws'), pack, packDir: FAULTY_PACK, outDir: null });
    await expect(gate).rejects.toThrow(AnalyzerCallError);
    await expect(gate).rejects.toThrow(
      /^policy pack failed in analyze: Error validating resource with policy 'fails-on-purpose' .*: Error: policy broke on purpose$/,
    );
  });

  it('reports a pack that dies with calls in flight', async () => {
    pack = await startPack(FAULTY_PACK);
    const gate = runGate({ input: queues(400, 'exits'), pack, packDir: FAULTY_PACK, outDir: null });
    await expect(gate).rejects.toThrow(AnalyzerCallError);
    await expect(gate).rejects.toThrow(
      /^policy pack failed in analyze: connection to 127\.0\.0\.1:\d+ failed: /,
    );
  });

  it('reports a pack that is gone before the first call', async () => {
    pack = await startPack(FIXTURE_PACK);
    await pack.stop();
    const gate = runGate({ input: queues(1), pack, packDir: FIXTURE_PACK, outDir: null });
    // The CLI's first call to a pack is ConfigureStack, as soon as it serves.
    await expect(gate).rejects.toThrow(AnalyzerCallError);
    await expect(gate).rejects.toThrow(
      /^policy pack failed in configureStack: connection to 127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/,
    );
  });
});
