/**
 * Stops an upload cleanly before Lambda's hard timeout. Lambda ends a timed-out invocation without
 * running any more of its code, which would leave the manifest at `processing` for good; stopping
 * a little earlier leaves time to write a `failed` manifest that says how far the upload got, and
 * to throw so that Lambda retries the event (rows already stored then count as unchanged).
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html (getRemainingTimeInMillis)
 */
import { AppError } from '../shared/errors';
import type { ItemSink } from './core/types';

/**
 * How long before the hard timeout to stop taking rows: no new batch is written after it. The
 * batch in flight then has until ABORT_MARGIN_MS before the timeout to finish.
 */
export const STOP_MARGIN_MS = 10_000;
/** How long before the hard timeout the requests in flight and their retries are aborted: time left to write the manifest. */
export const ABORT_MARGIN_MS = 4_000;

export class TimeLimitError extends AppError {
  constructor(storedSoFar: number) {
    super(
      'TIME_LIMIT',
      `The function's time limit was reached after ${storedSoFar} rows were stored, before the upload was finished. ` +
        'The upload will be retried; rows already stored count as unchanged. If it fails again, split the file.',
      500,
    );
  }
}

export interface DeadlineMargins {
  readonly stopMs: number;
  readonly abortMs: number;
}

export interface Deadline {
  /** `source`, checked before each chunk is handed on (covers both passes over the file). */
  guardSource<T>(source: AsyncIterable<T>): AsyncIterable<T>;
  /** `sink`, checked before each batch is written; its requests are aborted at the hard stop. */
  guardSink(sink: ItemSink): ItemSink;
  /** Whether the time ran out (a failure after it is reported as TimeLimitError). */
  readonly passed: boolean;
  /** Aborted at the hard stop: whatever still waits on AWS (the rejects upload) gives up then. */
  readonly signal: AbortSignal;
  /** Clears the timer of the hard stop. */
  dispose(): void;
}

/**
 * @param remainingMs what Lambda says is left of the invocation, read once now; undefined (tests,
 *   local tools) means no deadline.
 * @param storedSoFar how many rows are stored at the moment the deadline is hit, for the message.
 * @param margins before the timeout: when to stop taking rows, and when to abort what is in flight.
 */
export const createDeadline = (
  now: () => Date,
  remainingMs: (() => number) | undefined,
  storedSoFar: () => number,
  margins: DeadlineMargins = { stopMs: STOP_MARGIN_MS, abortMs: ABORT_MARGIN_MS },
): Deadline => {
  const left = remainingMs ? remainingMs() : Infinity;
  const stopAt = now().getTime() + left - margins.stopMs;
  const abort = new AbortController();
  const timer = Number.isFinite(left)
    ? setTimeout(() => abort.abort(), Math.max(0, left - margins.abortMs))
    : undefined;
  timer?.unref();
  /** Throws TimeLimitError once the deadline has passed. */
  const check = (): void => {
    if (abort.signal.aborted || now().getTime() >= stopAt) throw new TimeLimitError(storedSoFar());
  };
  return {
    async *guardSource<T>(source: AsyncIterable<T>): AsyncIterable<T> {
      for await (const chunk of source) {
        check();
        yield chunk;
      }
    },
    guardSink: (sink) => ({
      writeBatch: (items) => {
        check();
        return sink.writeBatch(items, abort.signal);
      },
    }),
    get passed() {
      return abort.signal.aborted || now().getTime() >= stopAt;
    },
    signal: abort.signal,
    dispose: () => clearTimeout(timer),
  };
};
