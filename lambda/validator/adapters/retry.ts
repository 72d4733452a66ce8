/**
 * Exponential backoff with full jitter, as AWS recommends for retrying throttled or partially
 * processed batch calls:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.RetryAndBackoff
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
import { WriteFailedError } from '../../shared/errors';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 5000 };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `attempt` (1 = first retry): uniform in [0, min(cap, base * 2^attempt)). */
export const backoffDelay = (attempt: number, policy: RetryPolicy): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
};

/** Waits before retry number `attempt`; returns early when `signal` aborts. */
export const pause = (attempt: number, policy: RetryPolicy, signal?: AbortSignal): Promise<void> => {
  const sleeping = (policy.sleep ?? defaultSleep)(backoffDelay(attempt, policy));
  if (!signal) return sleeping;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    // The listener goes when the pause ends: one signal lives for the whole upload.
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void sleeping.then(done, done);
  });
};

/** Errors that a later attempt may not hit: throttling and transient server errors. */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
]);

export const isRetryable = (error: unknown): boolean => {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    RETRYABLE.has(e?.name ?? '') || e?.$retryable !== undefined || (e?.$metadata?.httpStatusCode ?? 0) >= 500
  );
};

/**
 * Calls `send` until it returns nothing left to do, pausing with backoff between attempts and
 * retrying throttling; throws WriteFailedError on any other error, when attempts run out, or as
 * soon as `signal` aborts.
 */
export const untilDone = async <T>(
  what: string,
  initial: T,
  send: (pending: T) => Promise<T | undefined>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<void> => {
  let pending: T | undefined = initial;
  let lastError: unknown;
  const stopped = () => new WriteFailedError(`${what} stopped: the function's time limit is near.`);
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (attempt > 0) await pause(attempt, policy, signal);
    if (signal?.aborted) throw stopped();
    try {
      pending = await send(pending as T);
      lastError = undefined;
      if (pending === undefined) return;
    } catch (error) {
      if (error instanceof WriteFailedError) throw error;
      if (signal?.aborted) throw stopped();
      if (!isRetryable(error)) {
        throw new WriteFailedError(`${what} failed: ${(error as Error).name ?? 'error'}.`, { cause: error });
      }
      lastError = error;
    }
  }
  const reason = lastError ? `throttled (${(lastError as Error).name})` : 'items still unprocessed';
  throw new WriteFailedError(`${what} did not complete after ${policy.maxAttempts} attempts: ${reason}.`, {
    cause: lastError,
  });
};
