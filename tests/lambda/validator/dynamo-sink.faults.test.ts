import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoSink } from '../../../lambda/validator/adapters/dynamo-sink';
import { backoffDelay, runBounded } from '../../../lambda/validator/adapters/retry';
import { WriteFailedError } from '../../../lambda/shared/errors';
import type { StoredItem } from '../../../lambda/validator/core/types';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(DynamoDBDocumentClient);
const sleeps: number[] = [];
const retry = {
  maxAttempts: 4,
  baseDelayMs: 10,
  maxDelayMs: 100,
  sleep: async (ms: number) => void sleeps.push(ms),
  random: () => 0.5,
};
const sink = createDynamoSink(doc, { tableName: 'tx', concurrency: 3, retry });

const item = (i: number): StoredItem => ({
  transaction_id: `tx-${i}`,
  timestamp: '2024-05-01T09:15:00.000Z',
  merchant_id: 'merchant-a',
  amount: 1,
  currency: 'EUR',
  card_last4: '1111',
  card_hash: 'h',
  upload_id: 'up',
  source_line: i + 2,
  content_hash: `c-${i}`,
});
const items = (n: number) => Array.from({ length: n }, (_, i) => item(i));
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: {},
  });

describe('DynamoDB sink', () => {
  beforeEach(() => {
    ddb.reset();
    sleeps.length = 0;
  });

  it('reads keys in chunks of 100 and writes new items in chunks of 25', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { tx: [] } });
    ddb.on(BatchWriteCommand).resolves({});
    const outcome = await sink.writeBatch(items(130));
    expect(outcome).toEqual({ stored: 130, unchanged: 0, conflicts: [] });
    expect(
      ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.tx.Keys?.length),
    ).toEqual([100, 30]);
    expect(ddb.commandCalls(BatchGetCommand)[0].args[0].input.RequestItems?.tx.ConsistentRead).toBe(true);
    expect(ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.tx.length)).toEqual([
      25, 25, 25, 25, 25, 5,
    ]);
  });

  it('does not rewrite an identical item and never overwrites a different one', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        tx: [
          { transaction_id: 'tx-0', timestamp: '2024-05-01T09:15:00.000Z', content_hash: 'c-0' },
          { transaction_id: 'tx-1', timestamp: '2024-05-01T09:15:00.000Z', content_hash: 'other' },
        ],
      },
    });
    ddb.on(BatchWriteCommand).resolves({});
    const outcome = await sink.writeBatch(items(3));
    expect(outcome.stored).toBe(1);
    expect(outcome.unchanged).toBe(1);
    expect(outcome.conflicts.map((c) => c.transaction_id)).toEqual(['tx-1']);
    const written = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((c) => c.args[0].input.RequestItems?.tx ?? []);
    expect(written.map((w) => w.PutRequest?.Item?.transaction_id)).toEqual(['tx-2']);
  });

  it('retries UnprocessedItems with backoff until they are written', async () => {
    ddb.on(BatchGetCommand).resolves({});
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { tx: [{ PutRequest: { Item: item(1) } }] } })
      .resolves({});
    await expect(sink.writeBatch(items(2))).resolves.toMatchObject({ stored: 2 });
    const calls = ddb.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input.RequestItems?.tx).toEqual([{ PutRequest: { Item: item(1) } }]);
    expect(sleeps).toEqual([10]); // full jitter: random 0.5 * min(100, 10 * 2^1)
  });

  it('retries UnprocessedKeys of BatchGetItem', async () => {
    const key = { transaction_id: 'tx-0', timestamp: '2024-05-01T09:15:00.000Z' };
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ UnprocessedKeys: { tx: { Keys: [key] } } })
      .resolves({ Responses: { tx: [{ ...key, content_hash: 'c-0' }] } });
    await expect(sink.writeBatch(items(1))).resolves.toMatchObject({ stored: 0, unchanged: 1 });
  });

  it('retries throttling errors', async () => {
    ddb.on(BatchGetCommand).resolves({});
    ddb.on(BatchWriteCommand).rejectsOnce(throttled()).resolves({});
    await expect(sink.writeBatch(items(1))).resolves.toMatchObject({ stored: 1 });
  });

  it('fails with WriteFailedError when UnprocessedItems never drain', async () => {
    ddb.on(BatchGetCommand).resolves({});
    ddb.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    const error = await sink.writeBatch(items(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toMatch(/did not complete after 4 attempts: items still unprocessed/);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(4);
  });

  it('fails at once on an error that retrying cannot fix', async () => {
    ddb
      .on(BatchGetCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: {} }));
    const error = await sink.writeBatch(items(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
  });

  it('full jitter stays within the exponential ceiling', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1000 };
    expect(backoffDelay(1, { ...policy, random: () => 0.999 })).toBe(99);
    expect(backoffDelay(10, { ...policy, random: () => 0.999 })).toBe(999);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });

  it('runBounded never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const task = async () => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    await runBounded(
      Array.from({ length: 10 }, () => task),
      3,
    );
    expect(peak).toBe(3);
  });
});
