import type { DynamoDBRecord } from 'aws-lambda';
import { shardBatches } from '../../../tools/bench/detector-replay';
import { shardIndexOf } from '../../../tools/local/stream-shards';

function record(sequence: number, key: string): DynamoDBRecord {
  return {
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: String(sequence), Keys: { pk: { S: key } } },
  };
}

describe("the detector replay's batches", () => {
  const records = Array.from({ length: 1000 }, (_, i) => record(i, `merchant-a#tx-${i % 300}`));
  const lanes = shardBatches(records, 4, 100, ['pk']);

  test('route each record to the virtual shard the local stream gives its key, in stream order', () => {
    expect(lanes).toHaveLength(4);
    lanes.forEach((batches, index) => {
      const sequences = batches.flat().map((r) => Number(r.dynamodb?.SequenceNumber));
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      for (const r of batches.flat()) expect(shardIndexOf(r.dynamodb?.Keys, 4, ['pk'])).toBe(index);
    });
    expect(lanes.flat(2)).toHaveLength(1000);
  });

  test("are full batches of the mapping's size, but for each shard's last", () => {
    for (const batches of lanes) {
      batches.slice(0, -1).forEach((batch) => expect(batch).toHaveLength(100));
      expect(batches[batches.length - 1].length).toBeLessThanOrEqual(100);
    }
  });
});
