/**
 * The direct path against a stub DynamoDB on 127.0.0.1 that answers what a test scripts: how it
 * signs, which refusals it retries (as the client's retry strategy says) and which it throws, and
 * that it takes the SDK path when the client records its calls for the least-privilege proof.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { CALL_LOG_ENV, recordCalls } from '../../../lambda/shared/call-recorder';
import {
  DirectBatchExecuteStatementCommand,
  DirectBatchGetItemCommand,
  useSdkPath,
} from '../../../lambda/shared/direct-commands';
import { errorTypeOf, resolveTarget, type DirectConfig } from '../../../lambda/shared/direct-send';

interface Seen {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };
/** The SDK's own SHA-256 (a client that never sends: it opens no socket). */
const SHA256 = new DynamoDBClient({ region: 'eu-west-1', credentials: CREDENTIALS }).config.sha256;

/** Signs what the stub received again, as DynamoDB does to check a request: the signature must match. */
async function expectedAuthorization(request: Seen): Promise<string> {
  const header = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(header)![1].split(';');
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const [hostname, port] = String(request.headers.host).split(':');
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: 'eu-west-1',
    service: 'dynamodb',
    sha256: SHA256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: request.url,
      query: {},
      headers: Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name])])),
      body: request.body,
    },
    { signingDate },
  );
  return String(signed.headers.authorization);
}

let server: Server;
let endpoint: string;
let answers: { status: number; body: object }[] = [];
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), url: req.url ?? '' });
      const answer = answers.shift() ?? { status: 200, body: { Responses: [] } };
      res.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'req-1',
      });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answers = [];
  seen = [];
});

const clientWith = (maxAttempts = 3) =>
  new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    maxAttempts,
    credentials: CREDENTIALS,
  });

const statement = { Statement: 'INSERT INTO "t" VALUE {\'pk\': ?}', Parameters: [{ S: 'k' }] };
const refusal = (type: string, message = 'refused') => ({
  __type: `com.amazonaws.dynamodb.v20120810#${type}`,
  message,
});

describe('the direct bulk calls, against a stub DynamoDB', () => {
  it('send the JSON input, signed with SigV4 for dynamodb in the client region, session token included', async () => {
    const client = clientWith();
    answers.push({ status: 200, body: { Responses: [{ TableName: 't' }] } });
    const out = await client.send(new DirectBatchExecuteStatementCommand({ Statements: [statement] }));
    expect(out.Responses).toEqual([{ TableName: 't' }]);
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'req-1', attempts: 1 });
    const [request] = seen;
    expect(JSON.parse(request.body)).toEqual({ Statements: [statement] });
    expect(request.headers['x-amz-target']).toBe('DynamoDB_20120810.BatchExecuteStatement');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request.headers['x-amz-security-token']).toBe('session-token');
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    // The host (with its port), the body and every signed header arrived as they were signed.
    expect(request.headers.authorization).toBe(await expectedAuthorization(request));
    expect(/SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))![1].split(';')).toEqual(
      expect.arrayContaining(['host', 'content-type', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']),
    );
    client.destroy();
  });

  it('retry a throttled call with backoff and answer once it goes through', async () => {
    const client = clientWith(3);
    answers.push({ status: 400, body: refusal('ProvisionedThroughputExceededException') });
    answers.push({ status: 400, body: refusal('ThrottlingException') });
    answers.push({ status: 200, body: { Responses: { t: [] }, UnprocessedKeys: {} } });
    const out = await client.send(
      new DirectBatchGetItemCommand({ RequestItems: { t: { Keys: [{ pk: { S: 'k' } }] } } }),
    );
    expect(seen).toHaveLength(3);
    expect(seen[2].headers['x-amz-target']).toBe('DynamoDB_20120810.BatchGetItem');
    expect(out.Responses).toEqual({ t: [] });
    expect(out.$metadata.attempts).toBe(3);
    client.destroy();
  });

  it("give up after the client's maxAttempts on a server error, with DynamoDB's code as the error's name", async () => {
    const client = clientWith(2);
    answers.push({ status: 500, body: refusal('InternalServerError', 'internal') });
    answers.push({ status: 500, body: refusal('InternalServerError', 'internal') });
    const call = client.send(new DirectBatchExecuteStatementCommand({ Statements: [statement] }));
    await expect(call).rejects.toMatchObject({ name: 'InternalServerError', $fault: 'server' });
    await expect(call).rejects.toBeInstanceOf(DynamoDBServiceException);
    expect(seen).toHaveLength(2);
    client.destroy();
  });

  it('throw a client error at once, without retrying it', async () => {
    const client = clientWith(3);
    answers.push({ status: 400, body: refusal('ValidationException', 'bad statement') });
    await expect(
      client.send(new DirectBatchExecuteStatementCommand({ Statements: [statement] })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'bad statement',
      $metadata: { httpStatusCode: 400 },
    });
    expect(seen).toHaveLength(1);
    client.destroy();
  });

  it('stop on an aborted signal instead of retrying', async () => {
    const client = clientWith(3);
    const controller = new AbortController();
    controller.abort();
    await expect(
      client.send(new DirectBatchExecuteStatementCommand({ Statements: [statement] }), {
        abortSignal: controller.signal,
      }),
    ).rejects.toThrow();
    expect(seen.length).toBeLessThanOrEqual(1);
    client.destroy();
  });

  it('stop waiting out a backoff as soon as the signal aborts', async () => {
    const client = clientWith(8);
    for (let i = 0; i < 8; i++) answers.push({ status: 400, body: refusal('ThrottlingException') });
    const controller = new AbortController();
    const call = client.send(new DirectBatchExecuteStatementCommand({ Statements: [statement] }), {
      abortSignal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const abortedAt = Date.now();
    controller.abort();
    await expect(call).rejects.toThrow();
    // A throttled backoff is up to 1 s at first, 20 s later on; the abort cuts it short.
    expect(Date.now() - abortedAt).toBeLessThan(100);
    client.destroy();
  });

  /** How many times `client`'s own middleware saw one direct command sent through it. */
  async function middlewareSeesCall(client: DynamoDBClient): Promise<number> {
    let saw = 0;
    client.middlewareStack.add((next) => async (args) => ((saw += 1), next(args)), { step: 'initialize' });
    await client.send(new DirectBatchExecuteStatementCommand({ Statements: [statement] }));
    client.destroy();
    return saw;
  }

  it("skip the client's middleware", async () => {
    expect(await middlewareSeesCall(clientWith())).toBe(0);
  });

  it("go through the SDK for a client marked so (the bench's A/B) or traced by X-Ray (each call's subsegment)", async () => {
    expect(await middlewareSeesCall(useSdkPath(clientWith()))).toBe(1);
    const traced = clientWith();
    traced.middlewareStack.add((next) => next, { step: 'build', name: 'XRaySDKInstrumentation' });
    expect(await middlewareSeesCall(traced)).toBe(1);
  });

  it('go through the SDK, recorded, for a client that records its calls (the least-privilege proof)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'direct-calls-'));
    const log = join(dir, 'calls.jsonl');
    const recorded = recordCalls(clientWith(), { [CALL_LOG_ENV]: log, AWS_LAMBDA_FUNCTION_NAME: 'fn' });
    try {
      await recorded.send(new DirectBatchExecuteStatementCommand({ Statements: [statement] }));
      const [call] = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as object);
      expect(call).toMatchObject({ principal: 'fn', operation: 'BatchExecuteStatement' });
      expect(seen).toHaveLength(1);
    } finally {
      recorded.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('how a failed call is classed for the retry strategy (as the SDK classes it)', () => {
  it('no answer: transient for a reset or timed-out connection, else a client error', () => {
    expect(errorTypeOf(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('TRANSIENT');
    expect(errorTypeOf(Object.assign(new Error('slow'), { name: 'TimeoutError' }))).toBe('TRANSIENT');
    expect(errorTypeOf(new Error('bug'))).toBe('CLIENT_ERROR');
  });

  it('an answer: throttling by code or 429, transient for 500/502/503/504, server error for the other 5xx', () => {
    const answer = (name: string, httpStatusCode: number) => ({ name, $metadata: { httpStatusCode } });
    expect(errorTypeOf(answer('ProvisionedThroughputExceededException', 400))).toBe('THROTTLING');
    expect(errorTypeOf(answer('Anything', 429))).toBe('THROTTLING');
    expect(errorTypeOf(answer('InternalServerError', 500))).toBe('TRANSIENT');
    expect(errorTypeOf(answer('Http501', 501))).toBe('SERVER_ERROR');
    expect(errorTypeOf(answer('ValidationException', 400))).toBe('CLIENT_ERROR');
  });
});

describe("the direct path's endpoint, as the SDK resolves it", () => {
  it.each([
    [{ region: 'eu-west-1' }, 'https:', 'dynamodb.eu-west-1.amazonaws.com'],
    [{ region: 'us-east-1', useFipsEndpoint: true }, 'https:', 'dynamodb-fips.us-east-1.amazonaws.com'],
    [{ region: 'us-east-1', endpoint: 'http://127.0.0.1:8000' }, 'http:', '127.0.0.1'],
  ])('%j -> %s//%s', async (config, protocol, hostname) => {
    const client = new DynamoDBClient({ ...config, credentials: CREDENTIALS });
    const { endpoint } = await resolveTarget(client.config as unknown as DirectConfig);
    expect(endpoint).toMatchObject({ protocol, hostname });
    client.destroy();
  });
});
