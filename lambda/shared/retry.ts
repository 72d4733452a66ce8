/**
 * Retrying what a batch call answered but did not do: statements of BatchExecuteStatement that
 * failed inside a 200 answer (throttled, transient) and BatchGetItem's UnprocessedKeys. A request
 * that fails as a whole (throttling, 5xx, network) is the SDK's to retry, with its own retry
 * strategy (VALIDATOR_SDK_MAX_ATTEMPTS); retrying it here too made one call up to 3 x 8 attempts.
 * Exponential backoff with full jitter, as AWS recommends for partially processed batch calls:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.RetryAndBackoff
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
import { WriteFailedError } from './errors';

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

/**
 * Attempts the SDK makes of one request (its standard retry strategy: backoff with jitter, and a
 * retry quota) before the sink sees an error: throttling on a new on-demand table is expected.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export const VALIDATOR_SDK_MAX_ATTEMPTS = 8;

/**
 * Calls `send` until it returns nothing left to do, pausing with backoff between attempts; throws
 * WriteFailedError when a request fails (the SDK has retried it already), when attempts run out,
 * or as soon as `signal` aborts.
 */
export const untilDone = async <T>(
  what: string,
  initial: T,
  send: (pending: T) => Promise<T | undefined>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<void> => {
  let pending: T | undefined = initial;
  const stopped = () => new WriteFailedError(`${what} stopped: the function's time limit is near.`);
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (attempt > 0) await pause(attempt, policy, signal);
    if (signal?.aborted) throw stopped();
    try {
      pending = await send(pending as T);
      if (pending === undefined) return;
    } catch (error) {
      if (error instanceof WriteFailedError) throw error;
      if (signal?.aborted) throw stopped();
      throw new WriteFailedError(`${what} failed: ${(error as Error).name ?? 'error'}.`, { cause: error });
    }
  }
  throw new WriteFailedError(
    `${what} did not complete after ${policy.maxAttempts} attempts: items still unprocessed.`,
  );
};
