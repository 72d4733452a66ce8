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
 * How long before the hard timeout to stop: the write batch in flight may still be retrying
 * (the retry policy's pauses add up to about 11 s at most), then the manifest is written.
 */
export const STOP_MARGIN_MS = 15_000;

export class TimeLimitError extends AppError {
  constructor(storedSoFar: number) {
    super(
      'TIME_LIMIT',
      `The function's time limit was reached after ${storedSoFar} rows were stored; the rest of the file was not. ` +
        'The upload will be retried, and rows already stored will count as unchanged.',
      500,
    );
  }
}

export interface Deadline {
  /** `source`, checked before each chunk is handed on (covers both passes over the file). */
  guardSource<T>(source: AsyncIterable<T>): AsyncIterable<T>;
  /** `sink`, checked before each batch is written. */
  guardSink(sink: ItemSink): ItemSink;
}

/**
 * @param remainingMs what Lambda says is left of the invocation, read once now; undefined (tests,
 *   local tools) means no deadline.
 * @param storedSoFar how many rows are stored at the moment the deadline is hit, for the message.
 */
export const createDeadline = (
  now: () => Date,
  remainingMs: (() => number) | undefined,
  storedSoFar: () => number,
): Deadline => {
  const stopAt = remainingMs ? now().getTime() + remainingMs() - STOP_MARGIN_MS : Infinity;
  /** Throws TimeLimitError once the deadline has passed. */
  const check = (): void => {
    if (now().getTime() >= stopAt) throw new TimeLimitError(storedSoFar());
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
        return sink.writeBatch(items);
      },
    }),
  };
};
