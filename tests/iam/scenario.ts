/**
 * The calls the proof judges: the whole pipeline on the local AWS with the call recorder on, driven
 * as a merchant drives it (the samples of `npm start`: a clean file, one with rejected rows — the
 * rejects upload —, one that raises every alert, one refused for sensitive data, the clean file
 * again), then a transaction's status (the API's Query).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordedCall } from '../../lambda/shared/call-recorder';
import type { LocalDefinitions } from '../../tools/local/definitions';
import { getStatus } from '../../tools/local/merchant-client';
import { startLocalPipeline } from '../../tools/local/pipeline';
import { runSamples } from '../../tools/local/run-samples';
import { planSamples } from '../../tools/local/samples';

const ROOT = resolve(__dirname, '..', '..');
const SAMPLES = join(ROOT, 'samples');

export interface ScenarioRun {
  calls: RecordedCall[];
  /** Problems the samples showed (they must behave as in `npm start`, or the recording is partial). */
  problems: string[];
}

export function readCallLog(file: string): RecordedCall[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RecordedCall);
}

export async function recordScenario(definitions: LocalDefinitions, stateDir: string): Promise<ScenarioRun> {
  // Outside the state directory, which the pipeline empties at start.
  const callLog = `${stateDir}.calls.jsonl`;
  rmSync(callLog, { force: true });
  const pipeline = await startLocalPipeline({
    definitions,
    stateDir,
    batchingWindowSeconds: 1,
    asyncRetryDelaysMs: [200, 400],
    callLog,
  });
  try {
    const key = pipeline.keys.find((k) => k.merchantId === 'merchant-a')!.value;
    const results = await runSamples(pipeline, {
      samplesDir: SAMPLES,
      runs: planSamples(readdirSync(SAMPLES)),
      merchantKey: key,
    });
    const problems = results.flatMap((r) => r.problems.map((p) => `${r.run.label}: ${p}`));
    const status = await getStatus(pipeline.apiUrl, key, 'tx-1001');
    if (status.status !== 200) problems.push(`GET /status/tx-1001 answered ${status.status}`);
    await pipeline.settle();
    return { calls: readCallLog(callLog), problems };
  } finally {
    await pipeline.stop();
  }
}
