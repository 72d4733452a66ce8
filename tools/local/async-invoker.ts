/**
 * Asynchronous invocation, as S3 invokes the validator: the event is queued, a function error is
 * retried up to the function's `maximumRetryAttempts` (AWS waits 1 then 2 minutes; locally the
 * delays are scaled down), and an event that still fails, or grows older than the maximum event
 * age, goes to the on-failure destination as Lambda's invocation record.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import { randomUUID } from 'node:crypto';
import { FunctionInvocationError } from './function-host';

export interface AsyncInvokerOptions {
  functionArn: string;
  invoke: (event: unknown) => Promise<unknown>;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  /** Delay before each retry. @default [1000, 2000] (AWS: 1 and 2 minutes) */
  retryDelaysMs?: readonly number[];
  onFailure: (record: AsyncFailureRecord) => void;
  /** Called after each attempt (for progress output). */
  onAttempt?: (attempt: number, error?: Error) => void;
}

export interface AsyncFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: string;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  responsePayload: { errorType: string; errorMessage: string };
}

export interface AsyncInvoker {
  submit(event: unknown): void;
  /** Resolves once every submitted event succeeded or reached the failure destination. */
  idle(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createAsyncInvoker(options: AsyncInvokerOptions): AsyncInvoker {
  const inFlight = new Set<Promise<void>>();
  const delays = options.retryDelaysMs ?? [1000, 2000];

  const deliver = async (event: unknown): Promise<void> => {
    const requestId = randomUUID();
    const queuedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await options.invoke(event);
        options.onAttempt?.(attempt);
        return;
      } catch (error) {
        options.onAttempt?.(attempt, error as Error);
        const expired = Date.now() - queuedAt > options.maximumEventAgeSeconds * 1000;
        if (attempt > options.maximumRetryAttempts || expired) {
          const e = error instanceof FunctionInvocationError ? error : undefined;
          options.onFailure({
            version: '1.0',
            timestamp: new Date().toISOString(),
            requestContext: {
              requestId,
              functionArn: `${options.functionArn}:$LATEST`,
              condition: expired ? 'EventAgeExceeded' : 'RetriesExhausted',
              approximateInvokeCount: attempt,
            },
            requestPayload: event,
            responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
            responsePayload: {
              errorType: e?.errorType ?? (error as Error).name,
              errorMessage: e?.errorMessage ?? (error as Error).message,
            },
          });
          return;
        }
        await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 0);
      }
    }
  };

  return {
    submit(event) {
      const run = deliver(event).finally(() => inFlight.delete(run));
      inFlight.add(run);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
