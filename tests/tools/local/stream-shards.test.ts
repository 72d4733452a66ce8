import type { DynamoDBRecord } from 'aws-lambda';
import {
  assertShardCount,
  fanOutShard,
  shardIndexOf,
  virtualShardId,
  type VirtualShardRef,
} from '../../../tools/local/stream-shards';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const record = (seq: number, key: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: String(seq), Keys: { pk: { S: key }, sk: { S: `t${seq}` } } },
});
/** Whether `promise` is still pending after a short while. */
const pending = async (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => false), sleep(50).then(() => true)]);

describe('routing a record to a virtual shard', () => {
  test('only the partition key attributes count, so all versions of a key share a shard', () => {
    for (let n = 0; n < 50; n++) {
      const first = shardIndexOf({ pk: { S: `m#tx-${n}` }, sk: { S: '2026-01-01' } }, 4, ['pk']);
      const later = shardIndexOf({ pk: { S: `m#tx-${n}` }, sk: { S: '2026-06-30' } }, 4, ['pk']);
      expect(later).toBe(first);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThan(4);
    }
  });

  test('without key attributes all of Keys count, whatever their order', () => {
    const indexes = Array.from({ length: 50 }, (_, n) => [
      shardIndexOf({ pk: { S: `k${n}` }, sk: { S: 'a' } }, 8),
      shardIndexOf({ sk: { S: 'a' }, pk: { S: `k${n}` } }, 8),
    ]);
    for (const [one, other] of indexes) expect(other).toBe(one);
    expect(new Set(indexes.map(([one]) => one)).size).toBeGreaterThan(4);
  });

  test('one shard is the real shard itself', () => {
    expect(shardIndexOf({ pk: { S: 'x' } }, 1, ['pk'])).toBe(0);
    expect(virtualShardId('shardId-1', 0, 1)).toBe('shardId-1');
    expect(virtualShardId('shardId-1', 2, 4)).toBe('shardId-1#v2');
  });

  test.each([0, -1, 1.5, Number.NaN])('a shard count of %p is refused', (count) => {
    expect(() => assertShardCount(count)).toThrow(/shardCount must be a whole number/);
  });
});

describe('the virtual shards of one real shard', () => {
  const start = (
    deliver: (shard: VirtualShardRef, records: DynamoDBRecord[]) => Promise<void>,
    maxBacklog = 100,
  ) =>
    fanOutShard({
      realShardId: 'shard-1',
      shardCount: 1,
      keyAttributes: ['pk'],
      mapping: { batchSize: 2, batchingWindowSeconds: 60 },
      maxBacklog,
      deliver,
    });

  test('the backlog is bounded: room comes back once the blocked shard takes its next batch', async () => {
    let release = () => undefined as void;
    const fanOut = start(() => new Promise<void>((resolve) => (release = resolve)), 2);
    fanOut.push([record(1, 'a'), record(2, 'a')]); // a full batch, taken at once and blocked
    await sleep(10);
    fanOut.push([record(3, 'a'), record(4, 'a')]);
    const room = fanOut.whenRoom();
    expect(await pending(room)).toBe(true);
    release();
    expect(await pending(room)).toBe(false);
    release();
    await fanOut.stop();
  });

  test('close() delivers what is buffered without waiting for the batching window', async () => {
    const delivered: string[] = [];
    const fanOut = start(async (_shard, records) => {
      delivered.push(...records.map((r) => r.dynamodb!.SequenceNumber!));
    });
    fanOut.push([record(1, 'a')]);
    await sleep(20);
    expect(delivered).toEqual([]);
    await fanOut.close();
    expect(delivered).toEqual(['1']);
    expect(fanOut.drained()).toBe(true);
  });

  test('an error thrown by a delivery is kept for the reader, and close() reports it', async () => {
    const fanOut = start(async () => {
      throw new Error('destination unavailable');
    });
    fanOut.push([record(1, 'a'), record(2, 'a')]);
    await sleep(20);
    expect(fanOut.failure()?.message).toBe('destination unavailable');
    await expect(fanOut.close()).rejects.toThrow('destination unavailable');
  });
});
