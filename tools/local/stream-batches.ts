/**
 * What Lambda's event source mapping does with one batch of stream records, encoded from the docs
 * so the local run behaves like AWS (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html):
 * - an empty or null response, or empty/null `batchItemFailures`, is a complete success;
 * - with ReportBatchItemFailures, Lambda checkpoints at the lowest reported sequence number and
 *   re-sends the records from there; an empty, null or unknown `itemIdentifier` is a complete failure;
 * - a function error with BisectBatchOnFunctionError splits the batch in two and retries each half
 *   (splitting does not count against the retry quota);
 * - retries are bounded by MaximumRetryAttempts and MaximumRecordAgeInSeconds (-1: unbounded);
 *   records that exhaust them go to the on-failure destination and the stream moves on.
 * Pure apart from the injected `invoke`, so it is unit-tested with a scripted function.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamMappingDefinition } from './definitions';

export type MappingSemantics = Pick<
  StreamMappingDefinition,
  'bisectOnError' | 'maximumRetryAttempts' | 'maximumRecordAgeSeconds' | 'reportBatchItemFailures'
>;

export type BatchOutcome =
  | { kind: 'success' }
  | { kind: 'partial'; checkpoint: number }
  | { kind: 'error'; errorType: string; errorMessage: string };

export interface DroppedBatch {
  records: DynamoDBRecord[];
  condition: 'RetryAttemptsExhausted' | 'EventAgeExceeded';
  attempts: number;
  error: string;
}

export interface DeliveryReport {
  invocations: number;
  dropped: DroppedBatch[];
}

const sequenceOf = (r: DynamoDBRecord): string => r.dynamodb?.SequenceNumber ?? '';

/** Sequence numbers are decimal strings of varying length: compare them as big integers. */
const compareSequence = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Classifies the function's response to a batch, as Lambda does. */
export function classifyResponse(
  records: readonly DynamoDBRecord[],
  response: unknown,
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (!reportBatchItemFailures || response === null || typeof response !== 'object')
    return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined || (Array.isArray(failures) && failures.length === 0)) {
    return { kind: 'success' };
  }
  const invalid = (errorMessage: string): BatchOutcome => ({
    kind: 'error',
    errorType: 'InvalidBatchItemFailures',
    errorMessage,
  });
  if (!Array.isArray(failures)) return invalid('batchItemFailures is not a list');
  const sequences = records.map(sequenceOf);
  let checkpoint = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' && id !== '' ? sequences.indexOf(id) : -1;
    if (index < 0)
      return invalid(`itemIdentifier ${JSON.stringify(id)} is not a sequence number of the batch`);
    checkpoint = Math.min(checkpoint, index);
  }
  return { kind: 'partial', checkpoint };
}

const oldestAgeSeconds = (records: readonly DynamoDBRecord[], nowMs: number): number =>
  Math.max(
    0,
    ...records.map((r) => nowMs / 1000 - Number(r.dynamodb?.ApproximateCreationDateTime ?? nowMs / 1000)),
  );

/** Delivers one batch with the mapping's semantics; resolves once every record is done or dropped. */
export async function deliverBatch(
  batch: DynamoDBRecord[],
  semantics: MappingSemantics,
  invoke: (records: DynamoDBRecord[]) => Promise<unknown>,
  now: () => number = Date.now,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { invocations: 0, dropped: [] };
  // Sorted by sequence number so the checkpoint logic holds whatever order the caller used.
  const work: { records: DynamoDBRecord[]; retries: number }[] = [
    { records: [...batch].sort((a, b) => compareSequence(sequenceOf(a), sequenceOf(b))), retries: 0 },
  ];
  const bounded = (limit: number) => limit >= 0;
  while (work.length > 0) {
    const { records, retries } = work.shift()!;
    if (records.length === 0) continue;
    let outcome: BatchOutcome;
    report.invocations++;
    try {
      outcome = classifyResponse(records, await invoke(records), semantics.reportBatchItemFailures);
    } catch (error) {
      const e = error as { errorType?: string; name?: string; errorMessage?: string; message?: string };
      outcome = {
        kind: 'error',
        errorType: e.errorType ?? e.name ?? 'Error',
        errorMessage: e.errorMessage ?? e.message ?? '',
      };
    }
    if (outcome.kind === 'success') continue;

    let retry: DynamoDBRecord[][];
    let error: string;
    if (outcome.kind === 'partial') {
      retry = [records.slice(outcome.checkpoint)];
      error = `partial batch failure from sequence number ${sequenceOf(records[outcome.checkpoint])}`;
    } else {
      error = `${outcome.errorType}: ${outcome.errorMessage}`;
      if (semantics.bisectOnError && records.length > 1) {
        const half = Math.ceil(records.length / 2);
        work.unshift({ records: records.slice(0, half), retries }, { records: records.slice(half), retries });
        continue;
      }
      retry = [records];
    }
    const tooOld =
      bounded(semantics.maximumRecordAgeSeconds) &&
      oldestAgeSeconds(records, now()) > semantics.maximumRecordAgeSeconds;
    const exhausted = bounded(semantics.maximumRetryAttempts) && retries >= semantics.maximumRetryAttempts;
    if (tooOld || exhausted) {
      report.dropped.push({
        records: retry[0],
        condition: tooOld ? 'EventAgeExceeded' : 'RetryAttemptsExhausted',
        attempts: retries + 1,
        error,
      });
      continue;
    }
    work.unshift(...retry.map((records) => ({ records, retries: retries + 1 })));
  }
  return report;
}
