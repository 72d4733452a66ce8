/**
 * A local stand-in for the merchant REST API on 127.0.0.1: the stack's routes and stage, an API
 * key required on every method (`x-api-key`; missing or unknown -> 403), the stage's and
 * the usage plan's throttles (429), the proxy event with `requestContext.identity.apiKeyId`, and the
 * function's result (or 502 on a function error, 504 past API Gateway's 29 s limit).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalDefinitions } from './definitions';
import {
  fromProxyResult,
  gatewayError,
  matchRoute,
  toProxyEvent,
  type GatewayResponse,
} from './api-gateway-event';
import { listenLocal, readBody } from './http-util';

export interface LocalApiKey {
  keyId: string;
  merchantId: string;
  /** The secret value merchants send in `x-api-key`; generated at each start. */
  value: string;
}

export interface LocalApi {
  url: string;
  keys: LocalApiKey[];
  close(): Promise<void>;
}

/** API Gateway generates 40-character alphanumeric key values; so do we. */
export const generateApiKeyValue = (): string =>
  randomBytes(30)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(40, 'x')
    .slice(0, 40);

/** A token bucket per key: `rate` requests per second, bursts up to `burst`. */
export const tokenBucket = (rate: number, burst: number, now: () => number = Date.now) => {
  let tokens = burst;
  let last = now();
  return (): boolean => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
};

const INTEGRATION_TIMEOUT_MS = 29_000;

export async function startLocalApi(options: {
  definitions: LocalDefinitions;
  invoke: (event: unknown) => Promise<unknown>;
  port?: number;
  onRequest?: (line: string) => void;
}): Promise<LocalApi> {
  const { api, accountId } = options.definitions;
  const keys: LocalApiKey[] = api.keys.map((k) => ({ ...k, value: generateApiKeyValue() }));
  const byValue = new Map(keys.map((k) => [k.value, k]));
  const stageBucket = tokenBucket(api.stageThrottle.rateLimit, api.stageThrottle.burstLimit);
  const buckets = new Map(
    keys.map((k) => [k.keyId, tokenBucket(api.throttle.rateLimit, api.throttle.burstLimit)]),
  );
  const apiId = 'local';

  const respond = async (req: IncomingMessage): Promise<GatewayResponse> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const matched = matchRoute(api.routes, api.stageName, method, url.pathname);
    if (!matched) return gatewayError(403, 'Missing Authentication Token');
    const header = req.headers['x-api-key'];
    const key = typeof header === 'string' ? byValue.get(header) : undefined;
    if (matched.route.apiKeyRequired && !key) return gatewayError(403, 'Forbidden');
    if (!stageBucket() || (key && !buckets.get(key.keyId)!())) return gatewayError(429, 'Too Many Requests');
    const event = toProxyEvent(matched, {
      method,
      rawPath: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: await readBody(req),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      apiKey: key?.value,
      apiKeyId: key?.keyId,
      stageName: api.stageName,
      accountId,
      apiId,
      host: req.headers.host ?? '127.0.0.1',
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), INTEGRATION_TIMEOUT_MS)),
    );
    try {
      const result = await Promise.race([options.invoke(event), timeout]);
      if (result === 'timeout') return gatewayError(504, 'Endpoint request timed out');
      return fromProxyResult(result);
    } catch {
      return gatewayError(502, 'Internal server error');
    } finally {
      clearTimeout(timer);
    }
  };

  const server = await listenLocal((req, res: ServerResponse) => {
    const started = Date.now();
    respond(req)
      .catch(() => gatewayError(500, 'Internal server error'))
      .then((response) => {
        res.writeHead(response.statusCode, {
          ...response.headers,
          'x-amzn-requestid': randomBytes(16).toString('hex'),
        });
        res.end(response.body);
        options.onRequest?.(
          `${req.method} ${req.url?.split('?')[0]} ${response.statusCode} ${Date.now() - started} ms`,
        );
      });
  }, options.port);

  return { url: `${server.url}/${api.stageName}`, keys, close: () => server.close() };
}
