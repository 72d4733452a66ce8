/** A mocked DynamoDB Streams shard and a poller reading it, shared by the stream suites. */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { StreamMappingDefinition } from '../../../tools/local/definitions';
import { startStreamPoller, type StreamPoller } from '../../../tools/local/stream-poller';
import { shardIndexOf, type VirtualShardRef } from '../../../tools/local/stream-shards';

export const STREAM = 'arn:aws:dynamodb:us-east-1:1:table/t/stream/2026';
export const KEY = 'transaction_id';
export const MAPPING: StreamMappingDefinition = {
  functionName: 'anomaly',
  batchSize: 100,
  batchingWindowSeconds: 0.3,
  bisectOnError: true,
  maximumRetryAttempts: 1,
  maximumRecordAgeSeconds: 3600,
  reportBatchItemFailures: true,
  startingPosition: 'LATEST',
};

/** A stream record of the item `key` (its own key by default), as DynamoDB Streams returns it. */
export const sdkRecord = (seq: number, key = `tx-${seq}`): _Record => ({
  eventID: `e${seq}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    SequenceNumber: String(seq),
    ApproximateCreationDateTime: new Date(),
    Keys: { [KEY]: { S: key }, timestamp: { S: `2026-04-01T10:00:${String(seq % 60).padStart(2, '0')}Z` } },
    NewImage: { [KEY]: { S: key } },
  },
});
export const range = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sdkRecord(from + i));
export const seqOf = (r: DynamoDBRecord) => Number(r.dynamodb!.SequenceNumber);
export const keyOf = (r: DynamoDBRecord) => r.dynamodb!.Keys![KEY].S!;

/** The first key, in `k-0`, `k-1`, ..., that lands on each of the virtual shards `indexes`. */
export function keysOnShards(shardCount: number, ...indexes: number[]): string[] {
  return indexes.map((index) => {
    for (let n = 0; n < 1000; n++) {
      const key = `k-${n}`;
      if (shardIndexOf({ [KEY]: { S: key } }, shardCount, [KEY]) === index) return key;
    }
    throw new Error(`No key of k-0..k-999 lands on virtual shard ${index} of ${shardCount}.`);
  });
}

/** A shard that returns the given pages of records, one per read, then nothing. */
export const fakeStream = (pages: _Record[][]) => {
  const streams = mockClient(DynamoDBStreamsClient);
  streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
  streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
  let page = 0;
  streams
    .on(GetRecordsCommand)
    .callsFake(async () => ({ Records: pages[page++] ?? [], NextShardIterator: `it-${page}` }));
  return streams;
};

export interface Invocation {
  shard: string;
  seqs: number[];
  keys: string[];
}

export interface PollerRun {
  poller: StreamPoller;
  /** Every invocation, in the order they started. */
  invocations: Invocation[];
  failures: Record<string, unknown>[];
  /** Stops the poller and restores the client. */
  stop(): Promise<void>;
}

/** Starts a poller on a fake shard; `invoke` answers each invocation. */
export function startFakePoller(
  pages: _Record[][],
  invoke: (records: DynamoDBRecord[], shard: VirtualShardRef) => Promise<unknown>,
  options: { shardCount: number; mapping?: Partial<StreamMappingDefinition>; maxBacklogRecords?: number },
): PollerRun {
  const streams = fakeStream(pages);
  const invocations: Invocation[] = [];
  const failures: Record<string, unknown>[] = [];
  const poller = startStreamPoller({
    client: new DynamoDBStreamsClient({ region: 'us-east-1' }),
    streamArn: STREAM,
    functionArn: 'arn:aws:lambda:us-east-1:1:function:anomaly',
    mapping: { ...MAPPING, ...options.mapping },
    shardCount: options.shardCount,
    keyAttributes: [KEY],
    maxBacklogRecords: options.maxBacklogRecords,
    invoke: async ({ Records }, shard) => {
      invocations.push({ shard: shard.id, seqs: Records.map(seqOf), keys: Records.map(keyOf) });
      return invoke(Records, shard);
    },
    onFailure: (record) => failures.push(record),
    pollIntervalMs: 20,
  });
  return {
    poller,
    invocations,
    failures,
    async stop() {
      await poller.stop();
      streams.restore();
    },
  };
}

/** Runs a poller until idle, then stops it. */
export async function runUntilIdle(
  pages: _Record[][],
  invoke: (records: DynamoDBRecord[], shard: VirtualShardRef) => Promise<unknown>,
  options: { shardCount: number; mapping?: Partial<StreamMappingDefinition> },
) {
  const run = startFakePoller(pages, invoke, options);
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await run.poller.idle();
  } finally {
    await run.stop();
  }
  return run;
}

/** Resolves true once `parties` calls have arrived, or false after `timeoutMs`. */
export function barrier(parties: number, timeoutMs: number): () => Promise<boolean> {
  let arrived = 0;
  const waiters: ((met: boolean) => void)[] = [];
  const timers: NodeJS.Timeout[] = [];
  return () => {
    arrived++;
    const wait = new Promise<boolean>((resolve) => {
      waiters.push(resolve);
      timers.push(setTimeout(() => resolve(false), timeoutMs));
    });
    if (arrived >= parties) {
      for (const timer of timers) clearTimeout(timer);
      for (const resolve of waiters) resolve(true);
    }
    return wait;
  };
}
