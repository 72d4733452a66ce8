/**
 * The calls the proof judges: the whole pipeline on the local AWS with the call recorder on, driven
 * as a merchant drives it. First a file whose processing fails once (Secrets Manager is down at the
 * validator's cold start: the failed manifest, then Lambda's async retry); then a file whose rejects
 * take more than one part, whose first multipart upload S3 refuses (aborted, then completed by the
 * retry); then the samples of `npm start` (a clean file, one with rejected rows — a rejects file of
 * one PutObject —, one that raises every alert, one refused for sensitive data, the clean file
 * again); then a transaction's status (Query).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordedCall } from '../../lambda/shared/call-recorder';
import { PART_SIZE } from '../../lambda/validator/adapters/rejects-file';
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

/** Rows whose amount is refused, each over 300 bytes in the rejects file: more than one part of them. */
const REJECTED_ROWS = Math.ceil((1.5 * PART_SIZE) / 300);
const MANY_REJECTS = Buffer.from(
  [
    'transaction_id,merchant_id,timestamp,amount,currency,card_number,description',
    ...Array.from(
      { length: REJECTED_ROWS },
      (_, i) =>
        `iam-rejects-${i},merchant-a,2026-01-01T10:00:00Z,ten,EUR,4111111111111111,${'d'.repeat(200)}`,
    ),
    '',
  ].join('\n'),
);

/**
 * Uploads a file whose rejects take a multipart upload, while S3 refuses the parts of the first
 * one: the validator aborts it and fails; Lambda's async retry streams the rejects again, completed.
 * Returns problems if that is not what happened (read from the recorded calls on the rejects key).
 */
async function rejectsAbortedThenCompleted(
  pipeline: LocalPipeline,
  key: string,
  callLog: string,
): Promise<string[]> {
  pipeline.objectStore.refusePartsOfNextMultipartUpload();
  const ticket = await requestUpload(pipeline.apiUrl, key);
  await sendFile(ticket, MANY_REJECTS);
  await pipeline.settle();
  const { body } = await getStatus<UploadStatusBody>(pipeline.apiUrl, key, ticket.uploadId);
  const rejectsKey = `reports/merchant-a/${ticket.uploadId}.rejects.csv`;
  const calls = readCallLog(callLog).filter((c) => c.params.Key === rejectsKey);
  const count = (operation: string) => calls.filter((c) => c.operation === operation).length;
  const problems: string[] = [];
  if (body?.status !== 'completed')
    problems.push(`the many-rejects upload ended ${body?.status}, not completed`);
  if (body?.counts?.rejected !== REJECTED_ROWS)
    problems.push(`the many-rejects upload rejected ${body?.counts?.rejected} rows, not ${REJECTED_ROWS}`);
  const expected = { CreateMultipartUpload: 2, AbortMultipartUpload: 1, CompleteMultipartUpload: 1 };
  for (const [operation, times] of Object.entries(expected))
    if (count(operation) !== times)
      problems.push(`${operation} on the rejects file: ${count(operation)} calls, not ${times}`);
  if (count('UploadPart') < 3)
    problems.push(
      `UploadPart on the rejects file: ${count('UploadPart')} calls, not one refused then one per part`,
    );
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
    retried.push(...(await rejectsAbortedThenCompleted(pipeline, key, callLog)));
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
