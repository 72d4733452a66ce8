/**
 * The validator core: a stream of bytes in, validated and protected items out in batches, every
 * data row ending in exactly one place (accepted or rejected with line, column and reason).
 * No AWS imports: the sink decides where items go (DynamoDB, or nowhere for check-file/bench).
 * Memory stays bounded: the batch being filled and one being written, plus one small key per
 * accepted row for duplicates.
 */
import { merchantTransactionId } from '../../shared/contract';
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
  /** When S3 created the file (its event time, ISO 8601), stored with each row. */
  readonly uploadedAt?: string;
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

/**
 * One pass over one file: its counts and errors, the batch being filled and the one being written.
 * Named steps a reader can follow: `row` judges one record, `reject` records a rejected row, `flush`
 * hands a full batch to the sink, `settle` counts what the sink did with it.
 */
class FileRun {
  readonly counts: Counts = { rows: 0, accepted: 0, stored: 0, unchanged: 0, rejected: 0, conflicts: 0 };
  readonly errors: RowError[] = [];
  errorsTruncated = false;
  plan: HeaderPlan | undefined;
  private context: RowContext | undefined;
  private readonly seenKeys = new KeyFingerprints();
  private readonly protector;
  private readonly batchSize: number;
  private readonly maxErrors: number;
  private batch: StoredItem[] = [];
  private batchFields: (readonly string[])[] = [];
  // One batch is written while the next one is parsed, so the CPU and the table work at the same
  // time (the SLA projection counts on it); never more than one, so memory stays bounded.
  private writing: Promise<void> | undefined;

  constructor(private readonly options: ProcessOptions) {
    this.protector = createProtector(options.cardKey, {
      uploadId: options.uploadId,
      uploadedAt: options.uploadedAt,
    });
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.maxErrors = options.maxReportedErrors ?? DEFAULT_MAX_REPORTED_ERRORS;
  }

  /** Judges one record; returns a promise only when there is something to wait for (hot path). */
  row(record: readonly string[], line: number): Promise<void> | undefined {
    const { options, counts } = this;
    if (this.plan === undefined) {
      this.plan = planHeader(record);
      this.context = { plan: this.plan, merchantId: options.merchantId, maxAmount: options.limits.maxAmount };
      return undefined;
    }
    if (++counts.rows > options.limits.maxRows) {
      throw new FileRefusedError(
        'TOO_MANY_ROWS',
        `The file has more than ${options.limits.maxRows} data rows. Split it into files of at most that many rows.`,
        line,
      );
    }
    if (options.checkOnly) return undefined;
    const row = validateRow(record, line, this.context as RowContext);
    if (Array.isArray(row)) return this.reject(line, row, record);
    if (!this.seenKeys.add(row.transactionId, row.timestamp)) {
      const message = `transaction_id ${row.transactionId} at ${row.timestamp} appears more than once in the file.`;
      return this.reject(
        line,
        [{ line, column: 'transaction_id', code: 'DUPLICATE_IN_FILE', message }],
        record,
      );
    }
    this.batch.push(this.protector(row, line));
    this.batchFields.push(record);
    return this.batch.length >= this.batchSize ? this.flush() : undefined;
  }

  async reject(line: number, rowErrors: readonly RowError[], fields: readonly string[]): Promise<void> {
    this.counts.rejected++;
    for (const error of rowErrors) {
      if (this.errors.length < this.maxErrors) this.errors.push(error);
      else this.errorsTruncated = true;
    }
    if (this.options.onReject) {
      await this.options.onReject({
        line,
        errors: rowErrors,
        fields: maskRejectedFields(fields, this.plan?.index.card_number ?? -1),
      });
    }
  }

  /** Counts the outcome of a written batch; its conflicts become rejected rows. */
  private async settle(items: StoredItem[], fields: (readonly string[])[], outcome: BatchOutcome) {
    const { counts } = this;
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
        `transaction_id ${merchantTransactionId(item.transaction_id)} at ${item.timestamp} is already stored with different content; ` +
        'stored transactions are never overwritten.';
      await this.reject(
        line,
        [{ line, column: 'transaction_id', code: 'CONFLICT', message }],
        fields[items.indexOf(item)],
      );
    }
    this.options.onProgress?.({ ...counts, rows: counts.accepted + counts.rejected });
  }

  async awaitWriting(): Promise<void> {
    const pending = this.writing;
    this.writing = undefined;
    await pending;
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const items = this.batch;
    const fields = this.batchFields;
    this.batch = [];
    this.batchFields = [];
    const sink = this.options.sink;
    if (!sink) {
      this.counts.accepted += items.length;
      this.options.onProgress?.({ ...this.counts, rows: this.counts.accepted + this.counts.rejected });
      return;
    }
    await this.awaitWriting();
    this.writing = sink.writeBatch(items).then((outcome) => this.settle(items, fields, outcome));
    // Its failure is rethrown where it is awaited (next flush or the end), not reported as unhandled.
    this.writing.catch(() => undefined);
  }

  /** Waits for the batch in flight, whatever its fate: nothing may go on writing after a failure. */
  async abandon(): Promise<void> {
    await this.writing?.catch(() => undefined);
  }

  result(): ProcessResult {
    return {
      counts: this.counts,
      header: this.plan?.header ?? [],
      unknownColumns: this.plan?.unknownColumns ?? [],
      // In line order: a conflict is found when its batch is written, after later rows were judged.
      errors: this.errors.sort((a, b) => a.line - b.line),
      errorsTruncated: this.errorsTruncated,
    };
  }
}

export async function processFile(
  source: AsyncIterable<Uint8Array | string>,
  options: ProcessOptions,
): Promise<ProcessResult> {
  const run = new FileRun(options);
  try {
    for await (const records of readRecords(source, options.limits)) {
      for (const { fields, line } of records) {
        const pending = run.row(fields, line);
        if (pending !== undefined) await pending;
      }
    }
    if (run.plan === undefined)
      throw new FileRefusedError('EMPTY_FILE', 'The file has no content: not even a header row.');
    await run.flush();
    await run.awaitWriting();
  } catch (error) {
    await run.abandon();
    throw error;
  }
  return run.result();
}
