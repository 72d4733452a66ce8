/**
 * The calls the proof judges: the whole pipeline on the local AWS with the call recorder on, driven
 * as a merchant drives it. First a file whose processing fails once (Secrets Manager is down at the
 * validator's cold start: the failed manifest, then Lambda's async retry); then the samples of
 * `npm start` (a clean file, one with rejected rows — the rejects upload —, one that raises every
 * alert, one refused for sensitive data, the clean file again); then a transaction's status (Query).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordedCall } from '../../lambda/shared/call-recorder';
import type { LocalDefinitions } from '../../tools/local/definitions';
import { getStatus, sendFile, requestUpload, type UploadStatusBody } from '../../tools/local/merchant-client';
import { startLocalPipeline, type LocalPipeline } from '../../tools/local/pipeline';
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

const FAILING_ONCE = Buffer.from(
  'transaction_id,merchant_id,timestamp,amount,currency,card_number\n' +
    'iam-retry-1,merchant-a,2026-01-01T10:00:00Z,12.50,EUR,4111111111111111\n',
);

/**
 * Uploads a file while the card-hash key cannot be read: the validator writes a `failed` manifest
 * and fails; Lambda's async retry then completes it. Returns problems if that is not what happened
 * (read from the recorded calls: the manifest written processing, failed, processing, completed).
 */
async function failOnceThenRetry(pipeline: LocalPipeline, key: string, callLog: string): Promise<string[]> {
  // The SDK tries 3 times per call: exactly the first invocation fails.
  pipeline.secretStore.failNextRequests(3);
  const ticket = await requestUpload(pipeline.apiUrl, key);
  await sendFile(ticket, FAILING_ONCE);
  await pipeline.settle();
  const { body } = await getStatus<UploadStatusBody>(pipeline.apiUrl, key, ticket.uploadId);
  const manifestWrites = readCallLog(callLog).filter(
    (c) => c.operation === 'PutObject' && c.params.Key === `reports/merchant-a/${ticket.uploadId}.json`,
  ).length;
  const problems: string[] = [];
  if (manifestWrites !== 4)
    problems.push(`the retried upload's manifest was written ${manifestWrites} times, not 4`);
  if (body?.status !== 'completed') problems.push(`the retried upload ended ${body?.status}, not completed`);
  return problems;
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
    const retried = await failOnceThenRetry(pipeline, key, callLog);
    const results = await runSamples(pipeline, {
      samplesDir: SAMPLES,
      runs: planSamples(readdirSync(SAMPLES)),
      merchantKey: key,
    });
    const problems = [...retried, ...results.flatMap((r) => r.problems.map((p) => `${r.run.label}: ${p}`))];
    const status = await getStatus(pipeline.apiUrl, key, 'tx-1001');
    if (status.status !== 200) problems.push(`GET /status/tx-1001 answered ${status.status}`);
    await pipeline.settle();
    return { calls: readCallLog(callLog), problems };
  } finally {
    await pipeline.stop();
  }
}
