/**
 * The real API handler against DynamoDB Local and s3rver: the presigned POST really uploads with
 * fetch (and the local S3 checks its policy and signature as AWS does), upload status follows the object and its manifest, and transaction status reads the
 * table. The SDK reaches the local servers through the standard endpoint variables.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  createTransactionsTable,
  startDynamoDbLocal,
  type LocalDynamoDb,
} from '../../support/local-dynamodb';
import { createBucket, S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from '../../support/local-s3';
import { transactionKey } from '../../../lambda/shared/contract';
import { uploadForm } from '../../../tools/local/merchant-client';

// Starting Java and the servers can take a while on a shared, busy machine.
jest.setTimeout(120_000);

const TABLE = 'table-transactions-apitest';
const BUCKET = 'bucket-uploads-apitest';
const KEYS = { 'key-a': 'merchant-a', 'key-b': 'merchant-b' };
const MAX_FILE_BYTES = 4096;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { functionName: 'api', awsRequestId: 'req-int' } as unknown as Context;

let dynamoLocal: LocalDynamoDb;
let s3Local: LocalS3;
let dynamo: DynamoDBClient;
let s3: S3Client;
let handler: Handler;
const savedEnv = { ...process.env };

/** Loads a fresh copy of the handler module (it reads its environment once, at load). */
const loadHandler = (env: Record<string, string>): Handler => {
  Object.assign(process.env, env);
  let loaded: Handler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../../lambda/api/handler').handler;
  });
  return loaded!;
};

beforeAll(async () => {
  [dynamoLocal, s3Local] = await Promise.all([
    // Shared: the handler signs with the s3rver credentials, the test with others; DynamoDB Local
    // otherwise keeps one database per access key.
    startDynamoDbLocal({ sharedDb: true }),
    startS3rver(),
  ]);
  dynamo = new DynamoDBClient(dynamoLocal.clientConfig);
  s3 = new S3Client(s3Local.clientConfig);
  await Promise.all([createTransactionsTable(dynamo, TABLE), createBucket(s3, BUCKET)]);
  handler = loadHandler({
    TABLE_NAME: TABLE,
    BUCKET_NAME: BUCKET,
    API_KEY_MERCHANTS: JSON.stringify(KEYS),
    UPLOAD_URL_TTL_SECONDS: '300',
    MAX_FILE_BYTES: String(MAX_FILE_BYTES),
    AWS_ENDPOINT_URL_DYNAMODB: dynamoLocal.endpoint,
    AWS_ENDPOINT_URL_S3: s3Local.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
});

afterAll(async () => {
  process.env = savedEnv;
  dynamo?.destroy();
  s3?.destroy();
  await Promise.all([dynamoLocal?.stop(), s3Local?.stop()]);
});

const call = async (
  fn: Handler,
  method: string,
  path: string,
  apiKeyId = 'key-a',
  body: string | null = null,
) => {
  const event = {
    httpMethod: method,
    path,
    resource: path.startsWith('/status/') ? '/status/{transaction_id}' : path,
    pathParameters: path.startsWith('/status/')
      ? { transaction_id: decodeURIComponent(path.slice(8)) }
      : null,
    body,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-int', identity: { apiKeyId } },
  } as unknown as APIGatewayProxyEvent;
  const response = await fn(event, context);
  return { status: response.statusCode, json: JSON.parse(response.body), raw: response.body };
};

const CSV = 'transaction_id,merchant_id,timestamp,amount,currency,card_number\n';

it('POST /upload gives a presigned URL that uploads to the bucket; status goes pending -> completed', async () => {
  const created = await call(handler, 'POST', '/upload');
  expect(created.status).toBe(201);
  const ticket = created.json;
  expect(ticket.key).toBe(`uploads/merchant-a/${ticket.uploadId}.csv`);
  expect(ticket).toMatchObject({ method: 'POST', contentType: 'text/csv', maxBytes: MAX_FILE_BYTES });
  // The policy S3 checks: this key, 1 byte to the limit, text/csv, expiring with the ticket.
  const policy = JSON.parse(Buffer.from(ticket.fields.Policy, 'base64').toString('utf8'));
  expect(policy.conditions).toEqual(
    expect.arrayContaining([
      ['eq', '$key', ticket.key],
      ['content-length-range', 1, MAX_FILE_BYTES],
      ['eq', '$Content-Type', 'text/csv'],
    ]),
  );
  expect(Math.abs(Date.parse(policy.expiration) - Date.parse(ticket.expiresAt))).toBeLessThan(2000);

  // Issued, not yet uploaded: pending, waiting for the file (the API never read an upload).
  const awaiting = (await call(handler, 'GET', `/status/${ticket.uploadId}`)).json;
  expect(awaiting).toMatchObject({
    status: 'pending',
    detail: expect.stringMatching(/^Waiting for the file/),
  });
  // From the marker's LastModified, which S3 keeps to the second.
  expect(Math.abs(Date.parse(awaiting.uploadUrlExpiresAt) - Date.parse(ticket.expiresAt))).toBeLessThan(2000);

  const post = await fetch(ticket.uploadUrl, {
    method: ticket.method,
    body: uploadForm(ticket.fields, Buffer.from(CSV), ticket.contentType),
  });
  expect(post.status).toBe(204);
  const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: ticket.key }));
  expect(await stored.Body?.transformToString()).toBe(CSV);

  expect((await call(handler, 'GET', `/status/${ticket.uploadId}`)).json).toMatchObject({
    type: 'upload',
    uploadId: ticket.uploadId,
    status: 'pending',
    detail: 'The file was received; validation has not started yet.',
  });

  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `reports/merchant-a/${ticket.uploadId}.json`,
      Body: JSON.stringify({ status: 'completed', counts: { rows: 4, accepted: 3, rejected: 1 } }),
      ContentType: 'application/json',
    }),
  );
  expect((await call(handler, 'GET', `/status/${ticket.uploadId}`)).json).toMatchObject({
    status: 'completed',
    counts: { rows: 4, accepted: 3, rejected: 1 },
  });
  // The other merchant cannot see this upload.
  expect((await call(handler, 'GET', `/status/${ticket.uploadId}`, 'key-b')).status).toBe(404);
});

it("GET /status/{transaction_id} lists the caller's versions, masked; other merchants get the missing-id 404", async () => {
  const item = (timestamp: string, merchant: string, amount: string) =>
    marshall({
      transaction_id: transactionKey(merchant, 'tx-int-1'),
      timestamp,
      merchant_id: merchant,
      amount: Number(amount),
      currency: 'USD',
      card_last4: '4242',
      card_hash: 'f'.repeat(64),
      upload_id: 'up-3b241101-e2bb-4255-8caf-4136c566a962',
      source_line: 2,
      content_hash: 'x',
    });
  await dynamo.send(
    new PutItemCommand({ TableName: TABLE, Item: item('2026-03-01T10:00:00.000Z', 'merchant-a', '10.25') }),
  );
  await dynamo.send(
    new PutItemCommand({ TableName: TABLE, Item: item('2026-03-01T11:00:00.000Z', 'merchant-a', '12') }),
  );

  const own = await call(handler, 'GET', '/status/tx-int-1');
  expect(own.status).toBe(200);
  expect(own.json.versions).toEqual([
    expect.objectContaining({
      timestamp: '2026-03-01T10:00:00.000Z',
      amount: 10.25,
      card: '**** 4242',
      status: 'stored',
    }),
    expect.objectContaining({
      timestamp: '2026-03-01T11:00:00.000Z',
      amount: 12,
      card: '**** 4242',
      status: 'stored',
    }),
  ]);
  expect(own.raw).not.toContain('f'.repeat(64));

  const foreign = await call(handler, 'GET', '/status/tx-int-1', 'key-b');
  const missing = await call(handler, 'GET', '/status/tx-int-none', 'key-b');
  expect(foreign.status).toBe(404);
  expect(foreign.raw).toBe(missing.raw);
});

it('unknown key 403, malformed id 400', async () => {
  expect((await call(handler, 'GET', '/status/tx-int-1', 'key-unknown')).status).toBe(403);
  const malformed = await call(handler, 'GET', '/status/bad%20id');
  expect(malformed.status).toBe(400);
  expect(malformed.json.error.code).toBe('MALFORMED_ID');
});

it('a failing AWS call is a 500 with a generic body', async () => {
  const broken = loadHandler({ TABLE_NAME: 'table-that-does-not-exist' });
  const response = await call(broken, 'GET', '/status/tx-int-1');
  expect(response.status).toBe(500);
  expect(response.json).toEqual({ error: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
  expect(response.raw).not.toMatch(/table-that-does-not-exist|ResourceNotFound|dynamodb/i);
});

describe('an upload that does not follow its ticket is refused by S3 before anything is stored', () => {
  type Ticket = { uploadUrl: string; key: string; fields: Record<string, string>; contentType: string };
  const FILE = Buffer.from(CSV);

  async function newTicket(fn: Handler = handler): Promise<Ticket> {
    const created = await call(fn, 'POST', '/upload');
    expect(created.status).toBe(201);
    return created.json as Ticket;
  }

  async function send(
    ticket: Ticket,
    fields: Record<string, string>,
    body = FILE,
    type = ticket.contentType,
  ) {
    const response = await fetch(ticket.uploadUrl, { method: 'POST', body: uploadForm(fields, body, type) });
    return { status: response.status, text: await response.text() };
  }

  async function keysUnder(prefix: string): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).map((o) => o.Key!).filter((k) => !k.endsWith('.issued'));
  }

  /** Flips one character of a base64 or hex string, keeping it well-formed. */
  const flipped = (text: string, at = 10) =>
    text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

  it.each([
    [
      'an edited key under its own prefix',
      (t: Ticket) => ({ ...t.fields, key: t.key.replace('.csv', '-2.csv') }),
      403,
      'AccessDenied',
    ],
    [
      "another merchant's prefix",
      (t: Ticket) => ({ ...t.fields, key: t.key.replace('merchant-a', 'merchant-b') }),
      403,
      'AccessDenied',
    ],
    [
      'a tampered signature',
      (t: Ticket) => ({
        ...t.fields,
        'X-Amz-Signature': flipped(t.fields['X-Amz-Signature'].replace(/^./, 'a')),
      }),
      403,
      'SignatureDoesNotMatch',
    ],
    [
      'a policy edited to allow more',
      (t: Ticket) => ({ ...t.fields, Policy: flipped(t.fields.Policy) }),
      403,
      'SignatureDoesNotMatch',
    ],
    [
      'another content type',
      (t: Ticket) => ({ ...t.fields, 'Content-Type': 'text/html' }),
      403,
      'AccessDenied',
    ],
    [
      'a field the policy does not name',
      (t: Ticket) => ({ ...t.fields, 'x-amz-meta-owner': 'merchant-b' }),
      403,
      'AccessDenied',
    ],
  ])('%s', async (_name, edit, status, code) => {
    const ticket = await newTicket();
    const answer = await send(ticket, edit(ticket));
    expect(answer.status).toBe(status);
    expect(answer.text).toContain(`<Code>${code}</Code>`);
    expect(await keysUnder('uploads/')).not.toContain(ticket.key);
    expect(await keysUnder(`uploads/merchant-b/`)).toEqual([]);
  });

  it('a file over the size limit, or an empty one', async () => {
    const ticket = await newTicket();
    const tooLarge = await send(ticket, ticket.fields, Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.text).toContain('<Code>EntityTooLarge</Code>');
    const empty = await send(ticket, ticket.fields, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<Code>EntityTooSmall</Code>');
    expect(await keysUnder(ticket.key)).toEqual([]);
    // Exactly at the limit is fine.
    expect((await send(ticket, ticket.fields, Buffer.alloc(MAX_FILE_BYTES, 'a'))).status).toBe(204);
    expect(await keysUnder(ticket.key)).toEqual([ticket.key]);
  });

  it('a ticket used after it expired', async () => {
    const shortLived = loadHandler({ UPLOAD_URL_TTL_SECONDS: '1' });
    const ticket = await newTicket(shortLived);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const late = await send(ticket, ticket.fields);
    expect(late.status).toBe(403);
    expect(late.text).toContain('Policy expired');
    expect(await keysUnder(ticket.key)).toEqual([]);
  });
});
