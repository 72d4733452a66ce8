import type { DynamoDBRecord } from 'aws-lambda';
import { toLambdaRecord } from '../../../tools/local/stream-poller';
import {
  barrier,
  keysOnShards,
  range,
  runUntilIdle,
  sdkRecord,
  seqOf,
  startFakePoller,
  STREAM,
  type Invocation,
} from './stream-fakes';

const ONE_SHARD = { shardCount: 1 };
const seqsOf = (invocations: Invocation[]) => invocations.map((i) => i.seqs);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local event source mapping, on one shard', () => {
  test('records read in several pages wait for the batching window and go in one batch', async () => {
    const { invocations } = await runUntilIdle([range(1, 3), range(4, 2)], async () => null, ONE_SHARD);
    expect(seqsOf(invocations)).toEqual([[1, 2, 3, 4, 5]]);
  });

  test('a full batch is delivered at once, in order, at most batchSize records each', async () => {
    const { invocations } = await runUntilIdle([range(1, 250)], async () => null, ONE_SHARD);
    expect(invocations.map((i) => i.seqs.length)).toEqual([100, 100, 50]);
    expect(invocations.flatMap((i) => i.seqs)).toEqual(
      range(1, 250).map((r) => Number(r.dynamodb!.SequenceNumber)),
    );
    expect(new Set(invocations.map((i) => i.shard))).toEqual(new Set(['shard-1']));
  });

  test('a record that keeps failing goes to the failure destination with the batch info, not the record', async () => {
    const { failures } = await runUntilIdle(
      [range(1, 2)],
      async (records: DynamoDBRecord[]) =>
        records.some((r) => r.dynamodb!.SequenceNumber === '2')
          ? { batchItemFailures: [{ itemIdentifier: '2' }] }
          : null,
      ONE_SHARD,
    );
    expect(failures).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 2,
        }),
        DDBStreamBatchInfo: expect.objectContaining({
          shardId: 'shard-1',
          startSequenceNumber: '2',
          endSequenceNumber: '2',
          batchSize: 1,
          streamArn: STREAM,
        }),
      }),
    ]);
    expect(JSON.stringify(failures)).not.toContain('tx-2');
  });
});

describe('the local event source mapping, on virtual shards', () => {
  test('the records of one key stay on one virtual shard, in stream order, across pages and batches', async () => {
    const keyOfSeq = (seq: number) => `card-key-${seq % 5}`;
    const pages = [1, 21, 41].map((from) =>
      Array.from({ length: 20 }, (_, i) => sdkRecord(from + i, keyOfSeq(from + i))),
    );
    const { invocations } = await runUntilIdle(pages, async () => null, {
      shardCount: 4,
      mapping: { batchSize: 3 },
    });
    for (let k = 0; k < 5; k++) {
      const key = `card-key-${k}`;
      const mine = invocations.filter((i) => i.keys.includes(key));
      expect(new Set(mine.map((i) => i.shard)).size).toBe(1);
      const delivered = mine.flatMap((i) => i.seqs.filter((_, n) => i.keys[n] === key));
      expect(delivered).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1).filter((s) => keyOfSeq(s) === key),
      );
    }
    expect(invocations.every((i) => i.seqs.length <= 3)).toBe(true);
  });

  test('the records of different keys spread over several virtual shards, named after the real one', async () => {
    const { invocations } = await runUntilIdle([range(1, 40)], async () => null, { shardCount: 4 });
    expect(new Set(invocations.map((i) => i.shard))).toEqual(
      new Set(['shard-1#v0', 'shard-1#v1', 'shard-1#v2', 'shard-1#v3']),
    );
    expect(invocations.flatMap((i) => i.seqs).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  test('two virtual shards have a batch in flight at the same time', async () => {
    const [a, b] = keysOnShards(4, 0, 1);
    const bothInFlight = barrier(2, 3000);
    const met: boolean[] = [];
    await runUntilIdle(
      [[sdkRecord(1, a), sdkRecord(2, b)]],
      async () => {
        met.push(await bothInFlight());
        return null;
      },
      { shardCount: 4 },
    );
    expect(met).toEqual([true, true]);
  });

  test('a failing record blocks only its own virtual shard; reading and the other shards go on', async () => {
    const [a, b] = keysOnShards(4, 2, 3);
    const otherDelivered = barrier(2, 3000);
    let deliveredWhileBlocked = false;
    const { invocations, failures } = await runUntilIdle(
      // b's records are read only after a's batch is already failing.
      [
        [sdkRecord(1, a), sdkRecord(2, a), sdkRecord(3, a)],
        [],
        [],
        [sdkRecord(4, b), sdkRecord(5, b), sdkRecord(6, b)],
        [sdkRecord(7, a)],
      ],
      async (records, shard) => {
        if (shard.index === 3) {
          void otherDelivered();
          return null;
        }
        if (records.some((r) => seqOf(r) === 2)) {
          if (records.length === 3) deliveredWhileBlocked = await otherDelivered();
          return { batchItemFailures: [{ itemIdentifier: '2' }] };
        }
        return null;
      },
      { shardCount: 4, mapping: { batchSize: 3 } },
    );
    expect(deliveredWhileBlocked).toBe(true);
    const byShard = (id: string) => seqsOf(invocations.filter((i) => i.shard === id));
    // Checkpoint at the failed record, one retry, then the rest of the batch is dropped and a's shard moves on.
    expect(byShard('shard-1#v2')).toEqual([[1, 2, 3], [2, 3], [7]]);
    expect(byShard('shard-1#v3')).toEqual([[4, 5, 6]]);
    expect(failures).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 2,
        }),
        DDBStreamBatchInfo: expect.objectContaining({
          shardId: 'shard-1#v2',
          startSequenceNumber: '2',
          endSequenceNumber: '3',
          batchSize: 2,
        }),
      }),
    ]);
  });

  test('idle() resolves only once every virtual shard has delivered what was written before', async () => {
    const [slow, fast] = keysOnShards(4, 0, 1);
    const done: number[] = [];
    const run = startFakePoller(
      [[sdkRecord(1, slow), sdkRecord(2, fast)], [], [sdkRecord(3, fast)]],
      async (records, shard) => {
        if (shard.index === 0) await sleep(800);
        done.push(...records.map(seqOf));
        return null;
      },
      { shardCount: 4, mapping: { batchingWindowSeconds: 0 } },
    );
    try {
      await sleep(100);
      await run.poller.idle();
      expect(done.sort()).toEqual([1, 2, 3]);
    } finally {
      await run.stop();
    }
  });

  test('stop() waits for the batches in flight and starts no other, on any virtual shard', async () => {
    const [a, b] = keysOnShards(4, 0, 1);
    const ended: number[] = [];
    const run = startFakePoller(
      [[1, 2, 3].map((s) => sdkRecord(s, a)), [4, 5, 6].map((s) => sdkRecord(s, b))],
      async (records) => {
        await sleep(300);
        ended.push(...records.map(seqOf));
        return null;
      },
      { shardCount: 4, mapping: { batchSize: 1, batchingWindowSeconds: 0 } },
    );
    await sleep(150);
    await run.stop();
    expect(ended.sort()).toEqual([1, 4]);
    await sleep(400);
    expect(seqsOf(run.invocations).sort()).toEqual([[1], [4]]);
  });
});

describe('the Lambda record shape', () => {
  test('epoch seconds for the creation time, and the stream ARN', () => {
    const record = toLambdaRecord(
      {
        ...sdkRecord(7),
        dynamodb: { SequenceNumber: '7', ApproximateCreationDateTime: new Date(1_700_000_000_500) },
      },
      STREAM,
    );
    expect(record).toMatchObject({
      eventSourceARN: STREAM,
      dynamodb: { SequenceNumber: '7', ApproximateCreationDateTime: 1_700_000_000 },
    });
  });
});
