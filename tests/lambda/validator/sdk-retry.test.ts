/**
 * Whole requests are retried by the SDK, not by the sink: against a local server that throttles the
 * first two requests, the validator's client (VALIDATOR_SDK_MAX_ATTEMPTS) gets the batch through,
 * with the sink's own retry layer never pausing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoDbClient } from '../../../lambda/shared/clients';
import { createDynamoSink } from '../../../lambda/validator/adapters/dynamo-sink';
import { VALIDATOR_SDK_MAX_ATTEMPTS } from '../../../lambda/shared/retry';
import { sinkItem } from './helpers';

const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'Rate exceeded',
});

let server: Server;
let requests = 0;
let throttleFirst = 2;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests += 1;
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (requests <= throttleFirst) {
        res.statusCode = 400;
        res.end(THROTTLED);
        return;
      }
      const statements = (JSON.parse(body) as { Statements: unknown[] }).Statements;
      res.end(JSON.stringify({ Responses: statements.map(() => ({ TableName: 'txs' })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const item = sinkItem(1);

function sinkOver(maxAttempts: number) {
  const { port } = server.address() as AddressInfo;
  const client = createDynamoDbClient(
    { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts },
    { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` },
  );
  const sleeps: number[] = [];
  const retry = {
    maxAttempts: 4,
    baseDelayMs: 1,
    maxDelayMs: 1,
    sleep: async (ms: number) => void sleeps.push(ms),
  };
  const sink = createDynamoSink(client, {
    tableName: 'txs',
    concurrency: 1,
    retry,
  });
  return { sink, sleeps };
}

describe("the validator's request retries", () => {
  it("are the SDK's: two throttled answers, then the batch is stored, and the sink never paused", async () => {
    requests = 0;
    throttleFirst = 2;
    const { sink, sleeps } = sinkOver(VALIDATOR_SDK_MAX_ATTEMPTS);
    await expect(sink.writeBatch([item])).resolves.toMatchObject({ stored: 1 });
    expect(requests).toBe(3);
    expect(sleeps).toEqual([]);
  }, 30_000);

  it("end once the SDK's attempts are spent: no attempt is added on top", async () => {
    requests = 0;
    throttleFirst = 100;
    const { sink } = sinkOver(2);
    await expect(sink.writeBatch([item])).rejects.toThrow(/ProvisionedThroughputExceededException/);
    expect(requests).toBe(2);
  }, 30_000);
});
