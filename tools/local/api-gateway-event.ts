/**
 * API Gateway REST API behaviour in front of a Lambda proxy integration, pure: matching a request
 * to the stack's routes, the proxy event the function receives, and the HTTP response made from
 * the function's result. https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteDefinition } from './definitions';

export interface MatchedRoute {
  route: RouteDefinition;
  /** Path below the stage, e.g. `/status/tx-1`. */
  path: string;
  pathParameters: Record<string, string> | null;
}

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const splitPath = (path: string) => path.split('/').filter((s) => s !== '');

/**
 * The route for `method` and the raw URL path (`/{stage}/...`), or undefined: API Gateway answers
 * an unknown resource or method with 403 "Missing Authentication Token", not 404.
 */
export function matchRoute(
  routes: readonly RouteDefinition[],
  stageName: string,
  method: string,
  rawPath: string,
): MatchedRoute | undefined {
  const [stage, ...segments] = splitPath(rawPath);
  if (stage !== stageName) return undefined;
  for (const route of routes) {
    if (route.method !== method.toUpperCase() && route.method !== 'ANY') continue;
    const parts = splitPath(route.resourcePath);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      if (part.startsWith('{') && part.endsWith('}')) {
        try {
          params[part.slice(1, -1)] = decodeURIComponent(segments[i]);
        } catch {
          params[part.slice(1, -1)] = segments[i];
        }
        return true;
      }
      return part === segments[i];
    });
    if (matches) {
      return {
        route,
        path: `/${segments.join('/')}`,
        pathParameters: Object.keys(params).length ? params : null,
      };
    }
  }
  return undefined;
}

export interface RequestFacts {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  apiKey?: string;
  apiKeyId?: string;
  stageName: string;
  accountId: string;
  apiId: string;
  host: string;
}

const single = (headers: RequestFacts['headers']) =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1] : (v as string)]),
  );
const multi = (headers: RequestFacts['headers']) =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v : [v as string]]),
  );

/** The Lambda proxy event for a matched request (REST API, payload format 1.0). */
export function toProxyEvent(matched: MatchedRoute, facts: RequestFacts): APIGatewayProxyEvent {
  const now = new Date();
  const queryKeys = [...new Set(facts.query.keys())];
  const requestId = randomUUID();
  return {
    resource: matched.route.resourcePath,
    path: matched.path,
    httpMethod: facts.method.toUpperCase(),
    headers: single(facts.headers),
    multiValueHeaders: multi(facts.headers),
    queryStringParameters: queryKeys.length
      ? Object.fromEntries(queryKeys.map((k) => [k, facts.query.getAll(k).pop()!]))
      : null,
    multiValueQueryStringParameters: queryKeys.length
      ? Object.fromEntries(queryKeys.map((k) => [k, facts.query.getAll(k)]))
      : null,
    pathParameters: matched.pathParameters,
    stageVariables: null,
    body: facts.body.length ? facts.body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: facts.accountId,
      apiId: facts.apiId,
      authorizer: null,
      domainName: facts.host,
      domainPrefix: facts.host.split('.')[0],
      extendedRequestId: requestId,
      httpMethod: facts.method.toUpperCase(),
      path: `/${facts.stageName}${matched.path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: matched.route.resourcePath,
      resourcePath: matched.route.resourcePath,
      stage: facts.stageName,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: facts.apiKey ?? null,
        apiKeyId: facts.apiKeyId ?? null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: facts.sourceIp,
        user: null,
        userAgent: single(facts.headers)['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

/** API Gateway's own JSON error responses (`{"message": ...}`). */
export const gatewayError = (statusCode: number, message: string): GatewayResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': message.replace(/\s/g, '') },
  body: Buffer.from(JSON.stringify({ message })),
});

/** The HTTP response for a proxy result; a malformed result is a 502, as on AWS. */
export function fromProxyResult(result: unknown): GatewayResponse {
  const r = result as {
    statusCode?: unknown;
    headers?: unknown;
    multiValueHeaders?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  if (
    !r ||
    typeof r !== 'object' ||
    typeof r.statusCode !== 'number' ||
    r.statusCode < 100 ||
    r.statusCode > 599
  ) {
    return gatewayError(502, 'Internal server error');
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries((r.headers as Record<string, unknown>) ?? {}))
    headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries((r.multiValueHeaders as Record<string, unknown>) ?? {})) {
    if (Array.isArray(v)) headers[k.toLowerCase()] = v.map(String);
  }
  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode: r.statusCode, headers: { 'content-type': 'application/json', ...headers }, body };
}
