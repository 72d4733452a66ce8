/** The API with in-memory ports: identity, error mapping and status flows, without AWS. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApi, type ApiDependencies } from '../../../lambda/api/app';
import type { TransactionStore, UploadStore } from '../../../lambda/api/ports';
import { transactionKey } from '../../../lambda/shared/contract';

const UPLOAD_ID = 'up-3b241101-e2bb-4255-8caf-4136c566a962';
const KEYS = { 'key-a': 'merchant-a', 'key-b': 'merchant-b' };

/** Objects by key; an issued marker's value is the Date it was written (its LastModified). */
const memoryUploads = (objects: Record<string, unknown> = {}): UploadStore => ({
  presignUpload: async (key, { expiresInSeconds, maxBytes }) => ({
    url: 'https://bucket.example/',
    fields: { key, policy: `ttl=${expiresInSeconds};max=${maxBytes}` },
  }),
  markIssued: async (merchantId, uploadId) => {
    objects[`uploads/${merchantId}/${uploadId}.issued`] = new Date('2026-03-01T12:00:00.000Z');
  },
  readManifest: async (key) => objects[key],
  uploadObjects: async (merchantId, uploadId) => ({
    fileReceived: `uploads/${merchantId}/${uploadId}.csv` in objects,
    issuedAt: objects[`uploads/${merchantId}/${uploadId}.issued`] as Date | undefined,
  }),
});

const memoryTransactions = (items: Record<string, unknown>[] = []): TransactionStore => ({
  versions: async (merchantId, id) =>
    items.filter((item) => item.transaction_id === transactionKey(merchantId, id)),
});

const build = (overrides: Partial<ApiDependencies> = {}) =>
  createApi({
    apiKeyMerchants: KEYS,
    uploads: memoryUploads(),
    transactions: memoryTransactions(),
    uploadUrlTtlSeconds: 900,
    maxFileBytes: 1024,
    now: () => new Date('2026-03-01T12:00:00.000Z'),
    newUploadId: () => UPLOAD_ID,
    ...overrides,
  });

const request = (
  method: string,
  path: string,
  apiKeyId: string | null = 'key-a',
  body: string | null = null,
) => ({
  httpMethod: method,
  path,
  pathParameters: null,
  body,
  isBase64Encoded: false,
  requestContext: { requestId: 'req-9', identity: { apiKeyId: apiKeyId ?? undefined } },
});

const json = (response: APIGatewayProxyResult) => JSON.parse(response.body);

describe('merchant API', () => {
  it('POST /upload returns 201 with an upload ticket for the key’s merchant', async () => {
    const response = await build()(request('POST', '/upload', 'key-b', '{}'));
    expect(response.statusCode).toBe(201);
    expect(json(response)).toEqual({
      uploadId: UPLOAD_ID,
      uploadUrl: 'https://bucket.example/',
      method: 'POST',
      fields: { key: `uploads/merchant-b/${UPLOAD_ID}.csv`, policy: 'ttl=900;max=1024' },
      key: `uploads/merchant-b/${UPLOAD_ID}.csv`,
      contentType: 'text/csv',
      maxBytes: 1024,
      expiresAt: '2026-03-01T12:15:00.000Z',
    });
  });

  it.each([
    ['an unknown key id', 'key-z'],
    ['no key id', null],
    ['a key id named like an Object property', 'constructor'],
  ])('answers 403 for %s', async (_name, keyId) => {
    const response = await build()(request('GET', '/status/tx-1', keyId));
    expect(response.statusCode).toBe(403);
    expect(json(response)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
  });

  it('upload status: 404 for an id never issued, pending from the moment it is issued, then the manifest', async () => {
    const objects: Record<string, unknown> = {};
    const api = build({ uploads: memoryUploads(objects) });
    expect((await api(request('GET', `/status/${UPLOAD_ID}`))).statusCode).toBe(404);
    expect((await api(request('POST', '/upload'))).statusCode).toBe(201);
    expect(json(await api(request('GET', `/status/${UPLOAD_ID}`)))).toEqual({
      type: 'upload',
      uploadId: UPLOAD_ID,
      status: 'pending',
      counts: {},
      detail: 'Waiting for the file: PUT it to the upload URL before it expires.',
      uploadUrlExpiresAt: '2026-03-01T12:15:00.000Z',
    });
    objects[`uploads/merchant-a/${UPLOAD_ID}.csv`] = 'csv';
    expect(json(await api(request('GET', `/status/${UPLOAD_ID}`)))).toMatchObject({
      status: 'pending',
      detail: 'The file was received; validation has not started yet.',
    });
    objects[`reports/merchant-a/${UPLOAD_ID}.json`] = {
      status: 'completed',
      counts: { rows: 2, accepted: 2, rejected: 0 },
    };
    expect(json(await api(request('GET', `/status/${UPLOAD_ID}`)))).toMatchObject({
      status: 'completed',
      counts: { rows: 2, accepted: 2, rejected: 0 },
    });
    const other = await api(request('GET', `/status/${UPLOAD_ID}`, 'key-b'));
    expect(other.statusCode).toBe(404);
  });

  it('upload status: expired once the URL expired without a file, with what to do next', async () => {
    const objects: Record<string, unknown> = {};
    const issue = build({ uploads: memoryUploads(objects) });
    expect((await issue(request('POST', '/upload'))).statusCode).toBe(201);
    const at = (iso: string) => build({ uploads: memoryUploads(objects), now: () => new Date(iso) });
    // Within the grace after the expiry (S3 keeps the marker's time to the second): still pending.
    expect(json(await at('2026-03-01T12:15:04.999Z')(request('GET', `/status/${UPLOAD_ID}`)))).toMatchObject({
      status: 'pending',
    });
    const later = at('2026-03-01T12:15:05.000Z');
    expect(json(await later(request('GET', `/status/${UPLOAD_ID}`)))).toMatchObject({
      status: 'expired',
      detail: 'No file has arrived and the upload URL has expired. Ask for a new one with POST /upload.',
      uploadUrlExpiresAt: '2026-03-01T12:15:00.000Z',
    });
    expect((await later(request('GET', `/status/${UPLOAD_ID}`, 'key-b'))).statusCode).toBe(404);
  });

  it('another merchant gets the same 404 body as a missing id', async () => {
    const api = build({
      transactions: memoryTransactions([
        {
          transaction_id: 'merchant-a#tx-1',
          timestamp: '2026-03-01T00:00:00.000Z',
          merchant_id: 'merchant-a',
          amount: '1',
          currency: 'EUR',
          card_last4: '1111',
        },
      ]),
    });
    expect((await api(request('GET', '/status/tx-1', 'key-a'))).statusCode).toBe(200);
    const foreign = await api(request('GET', '/status/tx-1', 'key-b'));
    const missing = await api(request('GET', '/status/tx-2', 'key-b'));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toBe(missing.body);
  });

  it.each([
    ['a malformed id', request('GET', '/status/tx%20one'), 400, 'MALFORMED_ID'],
    [
      'a malformed body',
      request('POST', '/upload', 'key-a', '{"merchant_id":"merchant-b"}'),
      400,
      'MALFORMED_BODY',
    ],
    ['an unknown route', request('GET', '/nope'), 404, 'NOT_FOUND'],
    ['a wrong method', request('PUT', '/upload'), 405, 'METHOD_NOT_ALLOWED'],
  ])('%s is %d with code %s', async (_name, input, status, code) => {
    const response = await build()(input);
    expect(response.statusCode).toBe(status);
    expect(json(response).error.code).toBe(code);
    expect(response.headers?.['content-type']).toBe('application/json');
  });

  it('an internal error is a generic 500 that never echoes the cause, and is reported for logging', async () => {
    const logged: unknown[] = [];
    const secret =
      'AccessDeniedException: arn:aws:dynamodb:eu-west-1:123456789012:table/table-transactions-prod';
    const api = build({
      transactions: { versions: async () => Promise.reject(new Error(secret)) },
      onInternalError: (error) => logged.push(error),
    });
    const response = await api(request('GET', '/status/tx-1'));
    expect(response.statusCode).toBe(500);
    expect(json(response)).toEqual({
      error: { code: 'INTERNAL_ERROR', message: expect.stringContaining('req-9') },
    });
    expect(response.body).not.toContain('arn:aws');
    expect(response.body).not.toContain('AccessDenied');
    expect(logged).toHaveLength(1);
  });
});
