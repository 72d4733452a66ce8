/**
 * The validator core: a stream of bytes in, validated and protected items out in batches, every
 * data row ending in exactly one place (accepted or rejected with line, column and reason).
 * No AWS imports: the sink decides where items go (DynamoDB, or nowhere for check-file/bench).
 * Memory stays bounded: the batch being filled and one being written, plus one small key per
 * accepted row for duplicates.
 */
import { planHeader, type HeaderPlan } from './csv-contract';
import { KeyFingerprints } from './key-fingerprints';
import { createProtector, maskRejectedFields } from './protect';
import { readRecords } from './records';
import { FileRefusedError } from './refusal';
import { validateRow, type RowContext } from './row-rules';
import type { BatchOutcome, Counts, ItemSink, Limits, RowError, StoredItem } from './types';

export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_MAX_REPORTED_ERRORS = 1000;

/** A rejected row, already masked, for the rejects report. */
export interface RejectedRow {
  readonly line: number;
  readonly errors: readonly RowError[];
  readonly fields: readonly string[];
}

export interface ProcessOptions {
  readonly merchantId: string;
  readonly uploadId: string;
  readonly limits: Limits;
  readonly cardKey: string;
  /** Where accepted items go; without one they are counted and discarded. */
  readonly sink?: ItemSink;
  /**
   * Look for file-level refusals only (the validator's first pass): decode, parse, header and row
   * count, no row validation, no card hashing, no items. Rows are counted, not accepted.
   */
  readonly checkOnly?: boolean;
  readonly batchSize?: number;
  /** How many row errors to keep in the result (all are counted, and all go to onReject). */
  readonly maxReportedErrors?: number;
  readonly onReject?: (row: RejectedRow) => void | Promise<void>;
  /**
   * Called after each batch is settled, for progress logs on long files and for the counts a
   * failure reports: `rows` there is the rows whose fate is known (accepted + rejected).
   */
  readonly onProgress?: (counts: Readonly<Counts>) => void;
}

export interface ProcessResult {
  readonly counts: Counts;
  readonly header: readonly string[];
  readonly unknownColumns: readonly string[];
  readonly errors: readonly RowError[];
  readonly errorsTruncated: boolean;
}

export const processFile = async (
  source: AsyncIterable<Uint8Array | string>,
  options: ProcessOptions,
): Promise<ProcessResult> => {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxErrors = options.maxReportedErrors ?? DEFAULT_MAX_REPORTED_ERRORS;
  const counts: Counts = { rows: 0, accepted: 0, stored: 0, unchanged: 0, rejected: 0, conflicts: 0 };
  const errors: RowError[] = [];
  let errorsTruncated = false;
  let plan: HeaderPlan | undefined;
  let context: RowContext | undefined;
  const seenKeys = new KeyFingerprints();
  const protector = createProtector(options.cardKey, options.uploadId);
  let batch: StoredItem[] = [];
  let batchFields: (readonly string[])[] = [];

  const reject = async (
    line: number,
    rowErrors: readonly RowError[],
    fields: readonly string[],
  ): Promise<void> => {
    counts.rejected++;
    for (const error of rowErrors) {
      if (errors.length < maxErrors) errors.push(error);
      else errorsTruncated = true;
    }
    if (options.onReject) {
      await options.onReject({
        line,
        errors: rowErrors,
        fields: maskRejectedFields(fields, plan?.index.card_number ?? -1),
      });
    }
  };

  /** Counts the outcome of a written batch; its conflicts become rejected rows. */
  const settle = async (items: StoredItem[], fields: (readonly string[])[], outcome: BatchOutcome) => {
    counts.stored += outcome.stored;
    counts.unchanged += outcome.unchanged;
    counts.accepted += outcome.stored + outcome.unchanged;
    counts.conflicts += outcome.conflicts.length;
    if (outcome.stored + outcome.unchanged + outcome.conflicts.length !== items.length) {
      // Every row must end in exactly one place; a sink that loses track is a bug, not a result.
      throw new Error(
        `Sink accounted for ${outcome.stored + outcome.unchanged + outcome.conflicts.length} of ${items.length} items.`,
      );
    }
    for (const item of outcome.conflicts) {
      const line = item.source_line;
      const message =
        `transaction_id ${item.transaction_id} at ${item.timestamp} is already stored with different content; ` +
        'stored transactions are never overwritten.';
      await reject(
        line,
        [{ line, column: 'transaction_id', code: 'CONFLICT', message }],
        fields[items.indexOf(item)],
      );
    }
    options.onProgress?.({ ...counts, rows: counts.accepted + counts.rejected });
  };

  // One batch is written while the next one is parsed, so the CPU and the table work at the same
  // time (the SLA projection counts on it); never more than one, so memory stays bounded.
  let writing: Promise<void> | undefined;
  const awaitWriting = async (): Promise<void> => {
    const pending = writing;
    writing = undefined;
    await pending;
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const items = batch;
    const fields = batchFields;
    batch = [];
    batchFields = [];
    const sink = options.sink;
    if (!sink) {
      counts.accepted += items.length;
      options.onProgress?.({ ...counts, rows: counts.accepted + counts.rejected });
      return;
    }
    await awaitWriting();
    writing = sink.writeBatch(items).then((outcome) => settle(items, fields, outcome));
    // Its failure is rethrown where it is awaited (next flush or the end), not reported as unhandled.
    writing.catch(() => undefined);
  };

  try {
    for await (const records of readRecords(source, options.limits)) {
      for (const { fields: record, line } of records) {
        if (plan === undefined) {
          plan = planHeader(record);
          context = { plan, merchantId: options.merchantId, maxAmount: options.limits.maxAmount };
          continue;
        }
        if (++counts.rows > options.limits.maxRows) {
          throw new FileRefusedError(
            'TOO_MANY_ROWS',
            `The file has more than ${options.limits.maxRows} data rows. Split it into files of at most that many rows.`,
            line,
          );
        }
        if (options.checkOnly) continue;
        const row = validateRow(record, line, context as RowContext);
        if (Array.isArray(row)) {
          await reject(line, row, record);
          continue;
        }
        if (!seenKeys.add(row.transactionId, row.timestamp)) {
          const message = `transaction_id ${row.transactionId} at ${row.timestamp} appears more than once in the file.`;
          await reject(
            line,
            [{ line, column: 'transaction_id', code: 'DUPLICATE_IN_FILE', message }],
            record,
          );
          continue;
        }
        batch.push(protector(row, line));
        batchFields.push(record);
        if (batch.length >= batchSize) await flush();
      }
    }
    if (plan === undefined)
      throw new FileRefusedError('EMPTY_FILE', 'The file has no content: not even a header row.');
    await flush();
    await awaitWriting();
  } catch (error) {
    // Nothing may go on writing after this returns: wait for the batch in flight, whatever its fate.
    await writing?.catch(() => undefined);
    throw error;
  }
  return {
    counts,
    header: plan?.header ?? [],
    unknownColumns: plan?.unknownColumns ?? [],
    // In line order: a conflict is found when its batch is written, after later rows were judged.
    errors: errors.sort((a, b) => a.line - b.line),
    errorsTruncated,
  };
};
