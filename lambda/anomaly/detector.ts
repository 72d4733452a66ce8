/**
 * One stream batch, end to end but without AWS clients: read the records, record the INSERTs in the
 * detector state and read what the rules need (state/history.ts), find the episodes (evaluate.ts)
 * and tamper in MODIFY/REMOVE, send each alert once (once.ts), and say which records failed.
 * A record fails when its image is unusable or when an alert it found could not be sent; Lambda
 * then retries it (ReportBatchItemFailures) and finally hands it to the on-failure destination,
 * so no alert is lost silently. A state read or write that fails fails the whole batch: everything
 * the detector writes is idempotent, so the retry is safe.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { Anomaly } from './anomaly';
import { episodeOfAnomaly, type Episode } from './episodes';
import { findEpisodes, toBatchTransaction, type BatchTransaction } from './evaluate';
import { sendOnce, type OnceOptions } from './once';
import { recordAndRead, type StateCounts } from './state/history';
import { detectTamper } from './tamper';
import type { AnomalyThresholds } from './thresholds';
import { toStoredTransaction, type StreamImage } from './transaction';

export type { AlertPublisher } from './once';

export interface RecordFailure {
  readonly sequenceNumber: string;
  readonly reason: string;
}

export interface ReadBatch {
  readonly inserted: BatchTransaction[];
  readonly tamper: Anomaly[];
  readonly invalid: RecordFailure[];
}

/** The state, the publisher and the once-only settings (once.ts), and the rules' thresholds. */
export interface DetectorDeps extends Pick<
  OnceOptions,
  'store' | 'publish' | 'leaseMs' | 'remainingMs' | 'now' | 'pollMs'
> {
  readonly limits: AnomalyThresholds;
}

export interface BatchOutcome {
  readonly transactions: number;
  readonly episodes: number;
  readonly alertsSent: number;
  /**
   * Per alert sent that a stored row found, seconds from the creation of that row's file (the
   * newest, when several rows found it) to now: the file's SLA as far as its alerts.
   */
  readonly uploadToAlertSeconds: readonly number[];
  readonly alertsFailed: number;
  readonly alreadySent: number;
  /** State read units and write statements (state/history.ts, StateCounts). */
  readonly stateReads: number;
  readonly stateWrites: number;
  /** State items too full to take this batch's transactions (their windows see what they hold). */
  readonly stateItemsFull: number;
  /** Sequence number -> why it failed (unusable image, or its alert was not sent). */
  readonly failures: ReadonlyMap<string, string>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Pure: the batch's INSERTs, its tamper anomalies, and the records that could not be read. */
export function readBatch(records: readonly DynamoDBRecord[]): ReadBatch {
  const inserted: BatchTransaction[] = [];
  const tamper: Anomaly[] = [];
  const invalid: RecordFailure[] = [];
  for (const record of records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (sequenceNumber === undefined) continue; // Not a stream record; nothing can be reported for it.
    const oldImage = record.dynamodb?.OldImage as StreamImage | undefined;
    const newImage = record.dynamodb?.NewImage as StreamImage | undefined;
    try {
      if (record.eventName === 'INSERT') {
        if (!newImage)
          throw new Error('The INSERT record has no new image (is the stream view NEW_AND_OLD_IMAGES?).');
        inserted.push(toBatchTransaction({ sequenceNumber, transaction: toStoredTransaction(newImage) }));
      } else if (record.eventName === 'MODIFY' || record.eventName === 'REMOVE') {
        const found = detectTamper({ eventName: record.eventName, sequenceNumber, oldImage, newImage });
        if (found) tamper.push(found);
      }
    } catch (error) {
      invalid.push({ sequenceNumber, reason: errorText(error) });
    }
  }
  return { inserted, tamper, invalid };
}

/** For each sent alert found by stored rows, seconds since the newest of their files was created. */
export function secondsSinceUploads(
  inserted: readonly BatchTransaction[],
  sentTriggers: readonly (readonly string[])[],
  nowMs: number,
): number[] {
  const uploadedAt = new Map<string, number>();
  for (const entry of inserted) {
    const created = Date.parse(entry.transaction.uploadedAt ?? '');
    if (!Number.isNaN(created)) uploadedAt.set(entry.sequenceNumber, created);
  }
  const seconds: number[] = [];
  for (const triggers of sentTriggers) {
    const created = triggers.map((t) => uploadedAt.get(t)).filter((t): t is number => t !== undefined);
    // A tamper alert, or rows stored before uploaded_at was recorded: no file to time.
    if (created.length > 0) seconds.push(Math.max(0, nowMs - Math.max(...created)) / 1000);
  }
  return seconds;
}

export async function detectAndAlert(
  records: readonly DynamoDBRecord[],
  deps: DetectorDeps,
): Promise<BatchOutcome> {
  const now = deps.now ?? Date.now;
  const { inserted, tamper, invalid } = readBatch(records);
  const counts: StateCounts = { writes: 0, reads: 0, full: 0 };
  const visible = await recordAndRead(
    deps.store,
    inserted.map((entry) => entry.member),
    deps.limits,
    now(),
    counts,
  );
  const episodes: Episode[] = [
    // A change to history is its own episode: its stream record names it.
    ...tamper.map((anomaly) => episodeOfAnomaly(anomaly, `record:${anomaly.sequenceNumber}`)),
    ...findEpisodes(inserted, visible, deps.limits),
  ];
  const sent = await sendOnce(episodes, { ...deps, retentionDays: deps.limits.stateRetentionDays, now });
  const failures = new Map(invalid.map((failure) => [failure.sequenceNumber, failure.reason]));
  for (const [sequenceNumber, reason] of sent.failures)
    if (!failures.has(sequenceNumber)) failures.set(sequenceNumber, reason);
  return {
    transactions: inserted.length,
    episodes: episodes.length,
    alertsSent: sent.alertsSent,
    uploadToAlertSeconds: secondsSinceUploads(inserted, sent.sentTriggers, now()),
    alertsFailed: sent.alertsFailed,
    alreadySent: sent.alreadySent,
    stateReads: counts.reads,
    stateWrites: counts.writes,
    stateItemsFull: counts.full,
    failures,
  };
}
