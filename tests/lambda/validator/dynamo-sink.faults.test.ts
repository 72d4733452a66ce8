import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand as BatchGetCommand,
  DynamoDBClient,
  type AttributeValue,
  type BatchExecuteStatementCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoSink } from '../../../lambda/validator/adapters/dynamo-sink';
import { getEventListeners } from 'node:events';
import { backoffDelay, pause } from '../../../lambda/shared/retry';
import { runBounded } from '../../../lambda/shared/run-bounded';
import { WriteFailedError } from '../../../lambda/shared/errors';
import { sinkItem } from './helpers';

const doc = new DynamoDBClient({ region: 'us-east-1' });
const ddb = mockClient(DynamoDBClient);
/** A stored item's value as the sink sends it. */
const attr = (value: unknown): AttributeValue =>
  typeof value === 'number' ? { N: String(value) } : { S: String(value) };
/** Items as BatchGetItem answers them. */
const wire = (items: Record<string, unknown>[]) => items.map((i) => marshall(i));
const sleeps: number[] = [];
const retry = {
  maxAttempts: 4,
  baseDelayMs: 10,
  maxDelayMs: 100,
  sleep: async (ms: number) => void sleeps.push(ms),
  random: () => 0.5,
};
/** A fresh sink per test: a sink adapts to the batches it saw (see 'reads first'). */
let sink = createDynamoSink(doc, { tableName: 'txs', concurrency: 3, retry });

const item = sinkItem;
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
    sink = createDynamoSink(doc, { tableName: 'txs', concurrency: 3, retry });
  });

  /** Answers every statement with success, or with the error `errorFor` gives its transaction id. */
  const answer =
    (errorFor: (transactionId: string) => string | undefined = () => undefined) =>
    (input: BatchExecuteStatementCommandInput) => ({
      Responses: (input.Statements ?? []).map((s) => {
        const code = errorFor(String(s.Parameters?.[0]?.S));
        return code ? { Error: { Code: code, Message: 'x' } } : { TableName: 'txs' };
      }),
    });
  const insertedIds = () =>
    ddb
      .commandCalls(BatchExecuteStatementCommand)
      .map((c) => (c.args[0].input.Statements ?? []).map((s) => s.Parameters?.[0]?.S));

  it('inserts in requests of 25 conditional INSERT statements, never a plain put', async () => {
    ddb.on(BatchExecuteStatementCommand).callsFake(answer());
    const outcome = await sink.writeBatch(items(60));
    expect(outcome).toEqual({ stored: 60, unchanged: 0, conflicts: [] });
    expect(insertedIds().map((ids) => ids.length)).toEqual([25, 25, 10]);
    const first = ddb.commandCalls(BatchExecuteStatementCommand)[0].args[0].input.Statements?.[0];
    expect(first?.Statement).toBe(
      `INSERT INTO "txs" VALUE {'transaction_id': ?, 'timestamp': ?, 'merchant_id': ?, 'amount': ?, ` +
        `'currency': ?, 'card_last4': ?, 'card_hash': ?, 'upload_id': ?, 'source_line': ?, 'content_hash': ?}`,
    );
    expect(first?.Parameters).toEqual(Object.values(item(0)).map(attr));
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('leaves optional attributes that are absent out of the statement', async () => {
    ddb.on(BatchExecuteStatementCommand).callsFake(answer());
    await sink.writeBatch([{ ...item(0), country: 'FR', card_type: undefined }]);
    const statement = ddb.commandCalls(BatchExecuteStatementCommand)[0].args[0].input.Statements?.[0];
    expect(statement?.Statement).toContain(`'country': ?`);
    expect(statement?.Statement).not.toContain('card_type');
    expect(statement?.Parameters).not.toContain(undefined);
  });

  it('reads back keys that already exist: same content is unchanged, different content a conflict', async () => {
    ddb
      .on(BatchExecuteStatementCommand)
      .callsFake(answer((id) => (id === 'tx-0' || id === 'tx-1' ? 'DuplicateItem' : undefined)));
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        txs: wire([
          { transaction_id: 'tx-0', timestamp: '2024-05-01T09:15:00.000Z', content_hash: 'c-0' },
          { transaction_id: 'tx-1', timestamp: '2024-05-01T09:15:00.000Z', content_hash: 'other' },
        ]),
      },
    });
    const outcome = await sink.writeBatch(items(3));
    expect(outcome.stored).toBe(1);
    expect(outcome.unchanged).toBe(1);
    expect(outcome.conflicts.map((c) => c.transaction_id)).toEqual(['tx-1']);
    const read = ddb.commandCalls(BatchGetCommand)[0].args[0].input.RequestItems?.txs;
    expect(read?.ConsistentRead).toBe(true);
    expect(read?.Keys?.map((k) => k.transaction_id.S)).toEqual(['tx-0', 'tx-1']);
    expect(insertedIds()).toEqual([['tx-0', 'tx-1', 'tx-2']]);
  });

  it('inserts again a key that vanished between the failed insert and the read', async () => {
    ddb
      .on(BatchExecuteStatementCommand)
      .callsFakeOnce(answer(() => 'DuplicateItem'))
      .callsFake(answer());
    ddb.on(BatchGetCommand).resolves({ Responses: { txs: [] } });
    await expect(sink.writeBatch(items(1))).resolves.toEqual({ stored: 1, unchanged: 0, conflicts: [] });
    expect(insertedIds()).toEqual([['tx-0'], ['tx-0']]);
  });

  it('retries throttled statements alone, with backoff, until they are written', async () => {
    ddb
      .on(BatchExecuteStatementCommand)
      .callsFakeOnce(answer((id) => (id === 'tx-1' ? 'ThrottlingError' : undefined)))
      .callsFake(answer());
    await expect(sink.writeBatch(items(2))).resolves.toMatchObject({ stored: 2 });
    expect(insertedIds()).toEqual([['tx-0', 'tx-1'], ['tx-1']]);
    expect(sleeps).toEqual([10]); // full jitter: random 0.5 * min(100, 10 * 2^1)
  });

  it('retries UnprocessedKeys of BatchGetItem', async () => {
    const key = { transaction_id: 'tx-0', timestamp: '2024-05-01T09:15:00.000Z' };
    ddb.on(BatchExecuteStatementCommand).callsFake(answer(() => 'DuplicateItem'));
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ UnprocessedKeys: { txs: { Keys: wire([key]) } } })
      .resolves({ Responses: { txs: wire([{ ...key, content_hash: 'c-0' }]) } });
    await expect(sink.writeBatch(items(1))).resolves.toMatchObject({ stored: 0, unchanged: 1 });
  });

  it('leaves a failed request to the SDK: it is not sent again here, and the batch fails naming it', async () => {
    // aws-sdk-client-mock answers below the SDK's retry strategy: this rejection is what the sink
    // sees once the SDK's own attempts are spent (sdk-retry.test.ts shows those attempts).
    ddb.on(BatchExecuteStatementCommand).rejectsOnce(throttled()).callsFake(answer());
    const error = await sink.writeBatch(items(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toMatch(/failed: ProvisionedThroughputExceededException/);
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('fails with WriteFailedError when statements stay throttled', async () => {
    ddb.on(BatchExecuteStatementCommand).callsFake(answer(() => 'ProvisionedThroughputExceeded'));
    const error = await sink.writeBatch(items(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toMatch(/did not complete after 4 attempts: items still unprocessed/);
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(4);
  });

  it('fails at once, naming only the code, on a statement error that retrying cannot fix', async () => {
    ddb.on(BatchExecuteStatementCommand).callsFake(answer(() => 'ValidationError'));
    const error = await sink.writeBatch(items(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toBe('Writing a transaction failed: ValidationError.');
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
  });

  it('fails at once on a request error that retrying cannot fix', async () => {
    ddb
      .on(BatchExecuteStatementCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: {} }));
    const error = await sink.writeBatch(items(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toMatch(/failed: AccessDeniedException/);
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
  });

  it('reads first after a batch that was mostly stored already, and inserts only the absent keys', async () => {
    const stored = (ids: number[]) => ({
      Responses: {
        txs: wire(
          ids.map((i) => ({
            transaction_id: `tx-${i}`,
            timestamp: '2024-05-01T09:15:00.000Z',
            content_hash: `c-${i}`,
          })),
        ),
      },
    });
    // Batch 1 (tx-0..3): all already stored, found by failed inserts.
    ddb.on(BatchExecuteStatementCommand).callsFake(answer(() => 'DuplicateItem'));
    ddb.on(BatchGetCommand).resolvesOnce(stored([0, 1, 2, 3]));
    await expect(sink.writeBatch(items(4))).resolves.toEqual({ stored: 0, unchanged: 4, conflicts: [] });
    // Batch 2 (tx-4..7): read first; only tx-7 is absent, so only tx-7 is inserted.
    ddb.reset();
    ddb.on(BatchGetCommand).resolves(stored([4, 5, 6]));
    ddb.on(BatchExecuteStatementCommand).callsFake(answer());
    const batch2 = items(8).slice(4);
    await expect(sink.writeBatch(batch2)).resolves.toEqual({ stored: 1, unchanged: 3, conflicts: [] });
    expect(insertedIds()).toEqual([['tx-7']]);
    // Batch 3 (tx-8..11): read first, all absent, all inserted; batch 4 then inserts first again.
    ddb.reset();
    ddb.on(BatchGetCommand).resolves({ Responses: { txs: [] } });
    ddb.on(BatchExecuteStatementCommand).callsFake(answer());
    await expect(sink.writeBatch(items(12).slice(8))).resolves.toMatchObject({ stored: 4 });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    await expect(sink.writeBatch(items(16).slice(12))).resolves.toMatchObject({ stored: 4 });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
  });

  it('fails on a statement error without a code rather than count the row as stored', async () => {
    ddb.on(BatchExecuteStatementCommand).resolves({ Responses: [{ Error: { Message: 'x' } }] });
    const error = await sink.writeBatch(items(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toBe('Writing a transaction failed: an error without a code.');
  });

  it('fails when DynamoDB answers fewer statements than were sent', async () => {
    ddb.on(BatchExecuteStatementCommand).resolves({ Responses: [{ TableName: 'txs' }] });
    const error = await sink.writeBatch(items(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toBe('BatchExecuteStatement answered 1 of 2 statements.');
  });

  it('gives up on keys that keep vanishing between the insert and the read', async () => {
    ddb.on(BatchExecuteStatementCommand).callsFake(answer(() => 'DuplicateItem'));
    ddb.on(BatchGetCommand).resolves({ Responses: { txs: [] } });
    const error = await sink.writeBatch(items(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toMatch(
      /kept being deleted while they were written; stopped after 3 rounds/,
    );
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(3);
  });

  it('stops retrying, without waiting out its pauses, once the signal aborts', async () => {
    const abort = new AbortController();
    const slowRetry = { ...retry, sleep: () => new Promise<void>(() => undefined) }; // a pause that never ends
    const patient = createDynamoSink(doc, { tableName: 'txs', concurrency: 1, retry: slowRetry });
    ddb.on(BatchExecuteStatementCommand).callsFake((input: BatchExecuteStatementCommandInput) => {
      setTimeout(() => abort.abort(), 5);
      return answer(() => 'ThrottlingError')(input);
    });
    const error = await patient.writeBatch(items(1), abort.signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toMatch(/stopped: the function's time limit is near/);
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
    expect((ddb.commandCalls(BatchExecuteStatementCommand)[0].args as unknown[])[1]).toEqual({
      abortSignal: abort.signal,
    });
  });

  it('refuses a table name that could not be quoted safely into a statement', () => {
    expect(() => createDynamoSink(doc, { tableName: 'tx" VALUE', concurrency: 1 })).toThrow(/table name/);
  });

  it('a pause leaves no listener on the signal that outlives it (one signal serves a whole upload)', async () => {
    const signal = new AbortController().signal;
    for (let attempt = 1; attempt <= 20; attempt++)
      await pause(attempt, { ...retry, sleep: async () => undefined }, signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('full jitter stays within the exponential ceiling', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1000 };
    expect(backoffDelay(1, { ...policy, random: () => 0.999 })).toBe(99);
    expect(backoffDelay(10, { ...policy, random: () => 0.999 })).toBe(999);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });

  it('runBounded starts nothing after a failure and rejects only once the tasks in flight are done', async () => {
    const started: number[] = [];
    let running = 0;
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      await new Promise((resolve) => setTimeout(resolve, i === 0 ? 1 : 20));
      running--;
      if (i === 0) throw new Error('first failed');
      return i;
    };
    await expect(
      runBounded(
        Array.from({ length: 10 }, (_, i) => task(i)),
        3,
      ),
    ).rejects.toThrow('first failed');
    expect(started).toEqual([0, 1, 2]);
    expect(running).toBe(0);
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
