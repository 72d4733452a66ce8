/**
 * The rejected rows of one upload (CSV, card numbers masked), streamed to S3 as they come through
 * lib-storage's `Upload`: one PutObject while they fit in one part, a multipart upload beyond. Nothing
 * is spooled to /tmp, and the upload starts with the first rejected row, so a file without rejects
 * writes no rejects object.
 *
 * Memory is bounded whatever a file rejects: lib-storage holds a part for each of QUEUE_SIZE parts in
 * flight and fills at most one more, (QUEUE_SIZE + 1) × PART_SIZE = 15 MiB, to which add the stream's
 * two buffers (2 × HIGH_WATER_MARK) and the rows not yet handed to it (about FLUSH_CHARS): about
 * 16 MiB. Once that is full, `add` waits until a part is sent (the stream's backpressure), and so
 * does the pipeline that calls it.
 *
 * Failures: a part or the completion that fails makes lib-storage abort the multipart upload (S3
 * deletes the parts sent) before the error reaches `add` or `upload`. `discard` ends the stream with
 * an error rather than calling `Upload.abort()`, which settles `done()` at once and sends
 * AbortMultipartUpload later, unawaited, once the parts in flight are sent (a Lambda function may be
 * frozen first); an error in the stream makes lib-storage wait for those parts, abort, and only then
 * settle, so `discard` knows when the upload is gone. Only once lib-storage has read every row (the
 * hard stop came while `upload` waited for the last parts) is `Upload.abort()` the one way left to
 * keep it from completing. What a stopped function still leaves is removed by the bucket's lifecycle
 * rule (incomplete multipart uploads, after 7 days).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 */
import { PassThrough } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { RejectedRow } from '../core/pipeline';
import { csvLine } from './reports';

/** S3's smallest part (but the last one), the least memory a multipart upload can take. */
export const PART_SIZE = 5 * 1024 * 1024;
/** Parts sent at once: two, or one while the next fills, so writing rarely waits on S3's latency. */
export const QUEUE_SIZE = 2;
/** Rows are handed to the stream in chunks of about this many characters, not one small buffer each. */
const FLUSH_CHARS = 64 * 1024;
/** Bytes the stream buffers on each side before `write` asks the writer to wait. */
const HIGH_WATER_MARK = 256 * 1024;
/**
 * How long `discard` waits for the parts in flight and the abort (well under a second on AWS): the
 * deadline leaves 4 s after its hard stop for this and the `failed` manifest.
 */
export const DISCARD_WAIT_MS = 2_000;

export interface RejectsTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
}

export interface RejectsFileOptions {
  /** Aborted at the invocation's hard stop (deadline.ts): whatever waits on S3 then gives up. */
  readonly signal?: AbortSignal;
  /** @default PART_SIZE */
  readonly partSize?: number;
  /** @default QUEUE_SIZE */
  readonly queueSize?: number;
  /** @default DISCARD_WAIT_MS */
  readonly discardWaitMs?: number;
}

export interface RejectsFile {
  /** Adds a row; waits while the upload's buffers are full, and throws once the upload failed. */
  add(row: RejectedRow): Promise<void>;
  readonly count: number;
  /** Completes the object when it holds rows; returns whether it did. */
  upload(): Promise<boolean>;
  /**
   * Stops the upload and waits until lib-storage has aborted it (no parts left); nothing to do once
   * it has settled (a failed upload is aborted before it reports its failure). Rejects with what the
   * upload ended with if not the discard (the abort S3 refused, a part that failed meanwhile), or when
   * the wait runs out.
   */
  discard(): Promise<void>;
}

/** The reason `discard` gives the stream; lib-storage hands it back once it has aborted. */
class RejectsDiscardedError extends Error {
  constructor() {
    super('The rejects file was discarded.');
    this.name = 'RejectsDiscardedError';
  }
}

/** `work`, or a rejection with the signal's reason as soon as it aborts. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Resolves when `stream` can take more, or is destroyed (its reader is gone). */
function roomOrClose(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      stream.off('drain', settle);
      stream.off('close', settle);
      resolve();
    };
    stream.on('drain', settle);
    stream.on('close', settle);
    if (stream.destroyed) settle();
  });
}

/**
 * Room comes when lib-storage reads on. When the upload fails it stops reading and destroys the
 * stream; its error, once it has aborted the multipart upload, is the one to report.
 */
async function untilRoom({ body, done }: Transfer): Promise<void> {
  await Promise.race([roomOrClose(body), done]);
  if (!body.destroyed) return;
  await done;
  throw new Error('The rejects upload ended before its last row.');
}

/** Resolves to how `work` settled, or to `timeout` after `ms`. */
function settledWithin(work: Promise<unknown>, ms: number): Promise<'done' | 'timeout' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const outcome = work.then(
    () => 'done' as const,
    (error: unknown) => ({ error }),
  );
  return Promise.race([outcome, timeout]).finally(() => clearTimeout(timer));
}

/** One line per rejected row: where and why, then the row as the merchant sent it (masked). */
function rejectLine(row: RejectedRow): string {
  const codes = row.errors.map((e) => e.code).join(';');
  const columns = row.errors.map((e) => e.column ?? '').join(';');
  const messages = row.errors.map((e) => e.message).join(' | ');
  return csvLine([String(row.line), codes, columns, messages, ...row.fields]);
}

/** What exists once the first row came: the stream lib-storage reads, and its upload. */
interface Transfer {
  readonly body: PassThrough;
  readonly upload: Upload;
  /** Settles when lib-storage is done: completed, or failed after aborting the multipart upload. */
  readonly done: Promise<void>;
}

class StreamedRejectsFile implements RejectsFile {
  private rows = 0;
  private pending = '';
  private transfer?: Transfer;
  private settled = false;
  private closed = false;

  constructor(
    private readonly target: RejectsTarget,
    private readonly header: () => readonly string[],
    private readonly options: RejectsFileOptions,
  ) {}

  get count(): number {
    return this.rows;
  }

  async add(row: RejectedRow): Promise<void> {
    if (this.closed) throw new Error('The rejects file is closed.');
    const transfer = this.transfer ?? this.start();
    this.rows++;
    this.pending += rejectLine(row);
    if (this.pending.length >= FLUSH_CHARS) await this.flush(transfer);
  }

  async upload(): Promise<boolean> {
    if (this.closed) throw new Error('The rejects file is closed.');
    this.closed = true;
    if (!this.transfer) return false;
    this.transfer.body.end(this.pending);
    this.pending = '';
    await this.report(unlessAborted(this.transfer.done, this.options.signal));
    return true;
  }

  async discard(): Promise<void> {
    this.closed = true;
    const transfer = this.transfer;
    if (!transfer || this.settled) return;
    if (transfer.body.readableEnded) {
      // Every row is in lib-storage's hands: no error can reach it through the stream any more.
      await transfer.upload.abort();
      return;
    }
    const discarded = new RejectsDiscardedError();
    transfer.body.destroy(discarded);
    const waitMs = this.options.discardWaitMs ?? DISCARD_WAIT_MS;
    const outcome = await settledWithin(transfer.done, waitMs);
    if (outcome === 'timeout') throw new Error(`The rejects upload was not aborted within ${waitMs} ms.`);
    // 'done': its last part went out before the error reached it; the retry rewrites the object.
    if (outcome !== 'done' && outcome.error !== discarded) throw outcome.error;
  }

  private start(): Transfer {
    const body = new PassThrough({ highWaterMark: HIGH_WATER_MARK });
    // Its errors reach lib-storage through its reads; this keeps one after the upload from throwing.
    body.on('error', () => undefined);
    const upload = new Upload({
      client: this.target.s3,
      params: {
        Bucket: this.target.bucket,
        Key: this.target.key,
        Body: body,
        ContentType: 'text/csv; charset=utf-8',
      },
      partSize: this.options.partSize ?? PART_SIZE,
      queueSize: this.options.queueSize ?? QUEUE_SIZE,
    });
    const done = upload.done().then(
      () => {
        this.settled = true;
      },
      (error: unknown) => {
        this.settled = true;
        throw error;
      },
    );
    done.catch(() => undefined); // awaited by add, upload or discard; never left unhandled
    this.pending = csvLine(['line', 'code', 'column', 'message', ...this.header()]);
    this.transfer = { body, upload, done };
    return this.transfer;
  }

  /** Hands the pending rows to the stream; waits for room when it is full. */
  private async flush(transfer: Transfer): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (transfer.body.write(chunk)) return;
    await this.report(unlessAborted(untilRoom(transfer), this.options.signal));
  }

  /** Awaits `work`; once it fails, the file takes no more rows. */
  private async report(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      this.closed = true;
      throw error;
    }
  }
}

/**
 * Rejected rows of one upload, streamed to `target.key`. `header` is read at the first row (the
 * columns of the file, known once the checking pass has read its header).
 */
export function createRejectsFile(
  target: RejectsTarget,
  header: () => readonly string[],
  options: RejectsFileOptions = {},
): RejectsFile {
  return new StreamedRejectsFile(target, header, options);
}
