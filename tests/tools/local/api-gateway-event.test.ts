import type { RouteDefinition } from '../../../tools/local/definitions';
import { fromProxyResult, matchRoute, toProxyEvent } from '../../../tools/local/api-gateway-event';
import { tokenBucket } from '../../../tools/local/api-gateway';

const ROUTES: RouteDefinition[] = [
  { method: 'POST', resourcePath: '/upload', apiKeyRequired: true },
  { method: 'GET', resourcePath: '/status/{transaction_id}', apiKeyRequired: true },
];

describe('matching a request to the stack routes', () => {
  test('matches the stage and decodes path parameters', () => {
    expect(matchRoute(ROUTES, 'v1', 'GET', '/v1/status/tx%2F1')).toEqual({
      route: ROUTES[1],
      path: '/status/tx%2F1',
      pathParameters: { transaction_id: 'tx/1' },
    });
  });

  test.each([
    ['GET', '/v2/status/x'],
    ['GET', '/v1/upload'],
    ['DELETE', '/v1/status/x'],
    ['GET', '/v1/status'],
    ['GET', '/v1/status/x/y'],
  ])('%s %s matches no route', (method, path) => {
    expect(matchRoute(ROUTES, 'v1', method, path)).toBeUndefined();
  });
});

describe('the proxy event', () => {
  test('carries the key id in requestContext.identity and the path without the stage', () => {
    const matched = matchRoute(ROUTES, 'v1', 'POST', '/v1/upload')!;
    const event = toProxyEvent(matched, {
      method: 'POST',
      rawPath: '/v1/upload',
      query: new URLSearchParams('a=1&a=2'),
      headers: { 'x-api-key': 'secret', 'user-agent': 'curl' },
      body: Buffer.from('{}'),
      sourceIp: '127.0.0.1',
      apiKey: 'secret',
      apiKeyId: 'key-id',
      stageName: 'v1',
      accountId: '123456789012',
      apiId: 'local',
      host: '127.0.0.1:3000',
    });
    expect(event).toMatchObject({
      resource: '/upload',
      path: '/upload',
      httpMethod: 'POST',
      body: '{}',
      queryStringParameters: { a: '2' },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      requestContext: {
        stage: 'v1',
        path: '/v1/upload',
        identity: { apiKeyId: 'key-id', sourceIp: '127.0.0.1' },
      },
    });
  });
});

describe('the HTTP response', () => {
  test('is the function result', () => {
    const response = fromProxyResult({ statusCode: 201, headers: { 'X-A': 'b' }, body: '{"ok":true}' });
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-a']).toBe('b');
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  test.each([[undefined], ['text'], [{ body: 'x' }], [{ statusCode: 99 }]])(
    'a malformed result %p is a 502',
    (result) => {
      expect(fromProxyResult(result).statusCode).toBe(502);
    },
  );
});

describe('the usage plan throttle', () => {
  test('allows the burst, then the steady rate', () => {
    let now = 0;
    const take = tokenBucket(2, 3, () => now);
    expect([take(), take(), take(), take()]).toEqual([true, true, true, false]);
    now = 500; // half a second at 2 per second: one more token
    expect([take(), take()]).toEqual([true, false]);
  });
});
