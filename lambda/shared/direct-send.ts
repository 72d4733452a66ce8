/**
 * One DynamoDB JSON-protocol call, signed (SigV4) and sent with the SDK client's own credentials,
 * endpoint, HTTP handler and retry strategy (direct-commands.ts says why and what is left out).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';

/** What of a resolved DynamoDB client config the direct path reads. */
export interface DirectConfig {
  region: () => Promise<string>;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
  endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
  serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  endpointProvider: (params: Record<string, unknown>) => { url: URL | string };
  useFipsEndpoint: () => Promise<boolean>;
  useDualstackEndpoint: () => Promise<boolean>;
  requestHandler: {
    handle(
      request: object,
      options?: { abortSignal?: AbortSignal },
    ): Promise<{
      response: { statusCode: number; headers: Record<string, string>; body: AsyncIterable<Buffer> };
    }>;
  };
  retryStrategy: () => Promise<RetryStrategy>;
}

interface RetryToken {
  getRetryCount(): number;
}

interface RetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, info: { errorType: ErrorType }): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

type ErrorType = 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';

/**
 * A call DynamoDB refused, as the SDK's base exception: `name` is DynamoDB's error code and the
 * message DynamoDB's (not the modeled subclass: no caller of the bulk calls tells them apart).
 */
export function refusal(name: string, statusCode: number, message: string, requestId?: string): Error {
  return new DynamoDBServiceException({
    name,
    $fault: statusCode >= 500 ? 'server' : 'client',
    message,
    $metadata: { httpStatusCode: statusCode, requestId },
  });
}

/** What the SDK throws when a call's signal aborts it. */
function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

/**
 * `promise`, or a rejection as soon as `signal` aborts: the retry strategy sleeps its backoff inside
 * refreshRetryTokenForRetry (up to 20 s when throttled), and the validator aborts its writes only 4 s
 * before Lambda's timeout (the SDK's retry middleware races it the same way).
 */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** The SDK retry middleware's own classing of an error, with its own classifiers. */
export function errorTypeOf(error: unknown): ErrorType {
  const e = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(e)) return 'THROTTLING';
  if (isTransientError(e)) return 'TRANSIENT';
  if (isServerError(e)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

interface Target {
  signer: SignatureV4;
  endpoint: { protocol: string; hostname: string; port?: number; path: string };
}

const targets = new WeakMap<DirectConfig, Promise<Target>>();

/** The signer and the endpoint of a client, resolved once per client config. */
export async function resolveTarget(config: DirectConfig): Promise<Target> {
  const region = await config.region();
  let endpoint = config.endpoint ? await config.endpoint() : undefined;
  if (!endpoint) {
    const configured = await config.serviceConfiguredEndpoint?.();
    const url = new URL(
      configured ??
        String(
          config.endpointProvider({
            Region: region,
            UseFIPS: await config.useFipsEndpoint(),
            UseDualStack: await config.useDualstackEndpoint(),
          }).url,
        ),
    );
    endpoint = {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
    };
  }
  const signer = new SignatureV4({
    service: 'dynamodb',
    region,
    credentials: config.credentials,
    sha256: config.sha256,
  });
  return { signer, endpoint };
}

async function readBody(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** One attempt: the parsed answer, or a refusal carrying DynamoDB's code and status. */
async function attempt(
  config: DirectConfig,
  target: Target,
  operation: string,
  body: string,
  abortSignal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const { endpoint, signer } = target;
  const host = endpoint.port ? `${endpoint.hostname}:${endpoint.port}` : endpoint.hostname;
  const request = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port,
    path: endpoint.path || '/',
    query: {},
    headers: {
      host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
  const { response } = await config.requestHandler.handle(request, { abortSignal });
  const text = await readBody(response.body);
  const requestId = response.headers['x-amzn-requestid'];
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    if (response.statusCode === 200) throw refusal('InvalidResponse', 200, 'not JSON', requestId);
  }
  if (response.statusCode !== 200) {
    const type = typeof parsed.__type === 'string' ? parsed.__type : '';
    const name = type.slice(type.lastIndexOf('#') + 1) || `Http${response.statusCode}`;
    const message = String(parsed.message ?? parsed.Message ?? name);
    throw refusal(name, response.statusCode, message, requestId);
  }
  return { ...parsed, $metadata: { httpStatusCode: 200, requestId } };
}

/** Sends `operation` with `input`, retried as the client's retry strategy says. */
export async function sendDirect(
  config: DirectConfig,
  operation: string,
  input: object,
  abortSignal?: AbortSignal,
): Promise<Record<string, unknown>> {
  let target = targets.get(config);
  if (!target) {
    target = resolveTarget(config);
    targets.set(config, target);
    // A lookup that failed (a region not yet available, say) is tried again by the next call.
    target.catch(() => targets.delete(config));
  }
  const resolved = await target;
  const body = JSON.stringify(input);
  const strategy = await config.retryStrategy();
  let token = await abortable(strategy.acquireInitialRetryToken('dynamodb'), abortSignal);
  let totalRetryDelay = 0;
  for (;;) {
    try {
      const output = await attempt(config, resolved, operation, body, abortSignal);
      strategy.recordSuccess(token);
      const metadata = output.$metadata as object;
      return { ...output, $metadata: { ...metadata, attempts: token.getRetryCount() + 1, totalRetryDelay } };
    } catch (error) {
      if (abortSignal?.aborted) throw error;
      const waitedFrom = Date.now();
      try {
        // Waits the backoff itself; refuses once attempts or the retry quota run out.
        token = await abortable(
          strategy.refreshRetryTokenForRetry(token, { errorType: errorTypeOf(error) }),
          abortSignal,
        );
      } catch (refused) {
        throw abortSignal?.aborted ? refused : error;
      }
      totalRetryDelay += Date.now() - waitedFrom;
    }
  }
}
