/**
 * A replay is one synchronous invocation (RequestResponse), so its outcome is known before the
 * message is deleted; unlike an asynchronous one, it is never retried by Lambda or sent to the
 * failure queue again. The SDK's HTTP handler has no request timeout by default, so the call waits
 * as long as the function may run (the validator's 290 s).
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { redactCardNumbers } from '../../lambda/shared/card';

/** The function ran and failed (an error thrown, a timeout, out of memory). */
export class FunctionFailedError extends Error {
  override readonly name = 'FunctionFailedError';
}

export interface Invocation<T> {
  /** Lambda's request id: what the function's log lines and trace carry. */
  readonly requestId: string;
  /** The function's answer (null when it returned nothing). */
  readonly result: T | null;
}

/** Lambda's JSON carries binary attribute values base64-encoded; the SDK reads them as bytes. */
function bytesAsBase64(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

function parsed(payload: Uint8Array | undefined): unknown {
  const text = payload ? Buffer.from(payload).toString('utf8') : '';
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/**
 * Invokes and waits; FunctionFailedError with the function's error type and message (as the local
 * target says it), a card number masked as a last guard: the functions never put one in an error.
 */
export async function invokeAndWait<T>(
  lambda: LambdaClient,
  functionName: string,
  event: unknown,
): Promise<Invocation<T>> {
  const answer = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(event, bytesAsBase64)),
    }),
  );
  const requestId = answer.$metadata.requestId ?? 'no request id';
  const result = parsed(answer.Payload);
  if (answer.FunctionError) {
    const error = (result && typeof result === 'object' ? result : {}) as {
      errorType?: string;
      errorMessage?: string;
    };
    const what = `${error.errorType ?? answer.FunctionError}: ${error.errorMessage ?? String(result)}`;
    throw new FunctionFailedError(
      redactCardNumbers(`${functionName} failed (request ${requestId}): ${what}`),
    );
  }
  return { requestId, result: result as T | null };
}
