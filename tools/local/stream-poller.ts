/**
 * The local event source mapping from the table's stream to the anomaly function: reads every
 * shard with the DynamoDB Streams API and spreads its records over virtual shards by partition key
 * (stream-shards.ts), as a table's partitions spread them over shards on AWS. Each virtual shard
 * fills batches up to the mapping's batch size or batching window, converts records to the Lambda
 * event shape and delivers them one batch at a time (in order), concurrently with the other
 * virtual shards, with the semantics in stream-batches.ts. Dropped batches go to the on-failure
 * destination as Lambda's invocation record (batch metadata, not the records).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamMappingDefinition } from './definitions';
import { deliverBatch, type DroppedBatch } from './stream-batches';
import {
  DEFAULT_MAX_BACKLOG,
  DEFAULT_SHARD_COUNT,
  assertShardCount,
  fanOutShard,
  type ShardFanOut,
  type VirtualShardRef,
} from './stream-shards';

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  functionArn: string;
  mapping: StreamMappingDefinition;
  /** Invokes the function for one batch of one virtual shard (each may run concurrently). */
  invoke: (event: { Records: DynamoDBRecord[] }, shard: VirtualShardRef) => Promise<unknown>;
  onFailure: (record: Record<string, unknown>) => void;
  onBatch?: (records: number, invocations: number, dropped: number) => void;
  /** Pause between empty reads of a shard. @default 200 */
  pollIntervalMs?: number;
  /** Virtual shards per real shard; 1 delivers the real shard as it is. @default DEFAULT_SHARD_COUNT */
  shardCount?: number;
  /**
   * The partition key attribute(s) that choose a record's virtual shard, read from its `Keys`
   * (the table's hash key). @default all of `Keys`, which keeps each item on one shard
   */
  keyAttributes?: readonly string[];
  /** Records buffered per virtual shard before reading pauses. @default DEFAULT_MAX_BACKLOG */
  maxBacklogRecords?: number;
}

export interface StreamPoller {
  /** Resolves once every record written before the call has been delivered (or dropped). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface ShardState {
  id: string;
  /**
   * Time of the last read that returned nothing while nothing was buffered or being delivered on
   * any of the shard's virtual shards.
   */
  quietAt: number;
  loop: Promise<void>;
  fanOut?: ShardFanOut;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SDK's record in the shape Lambda passes to the function (epoch seconds, the source ARN). */
export const toLambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord => {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d as DynamoDBRecord['dynamodb']),
      ApproximateCreationDateTime:
        created instanceof Date ? Math.floor(created.getTime() / 1000) : Number(created),
    },
  };
};

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn, mapping } = options;
  const pollMs = options.pollIntervalMs ?? 200;
  const shardCount = options.shardCount ?? DEFAULT_SHARD_COUNT;
  assertShardCount(shardCount); // before any shard is read, where the error would be retried
  const shards = new Map<string, ShardState>();
  let stopped = false;
  let described = false;

  const sendToDestination = (shardId: string, dropped: DroppedBatch) => {
    const seqs = dropped.records.map((r) => r.dynamodb?.SequenceNumber ?? '');
    const times = dropped.records.map((r) => Number(r.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000);
    options.onFailure({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: options.functionArn,
        condition: dropped.condition,
        approximateInvokeCount: dropped.attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      error: dropped.error,
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: seqs[0],
        endSequenceNumber: seqs[seqs.length - 1],
        approximateArrivalOfFirstRecord: new Date(Math.min(...times)).toISOString(),
        approximateArrivalOfLastRecord: new Date(Math.max(...times)).toISOString(),
        batchSize: dropped.records.length,
        streamArn,
      },
    });
  };

  const deliver = async (shard: VirtualShardRef, records: DynamoDBRecord[]) => {
    const report = await deliverBatch(records, mapping, (batch) => options.invoke({ Records: batch }, shard));
    for (const dropped of report.dropped) sendToDestination(shard.id, dropped);
    options.onBatch?.(records.length, report.invocations, report.dropped.length);
  };

  const readShard = async (state: ShardState) => {
    let lastSequence: string | undefined;
    // The table is created empty just before: reading from the trim horizon is what LATEST would
    // see on AWS, without a race between the first write and the first iterator.
    const iteratorFrom = async () => {
      const position = lastSequence
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: lastSequence }
        : { ShardIteratorType: 'TRIM_HORIZON' as const };
      const start = await client.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: state.id, ...position }),
      );
      return start.ShardIterator;
    };
    const fanOut = fanOutShard({
      realShardId: state.id,
      shardCount,
      keyAttributes: options.keyAttributes,
      mapping,
      maxBacklog: Math.max(options.maxBacklogRecords ?? DEFAULT_MAX_BACKLOG, mapping.batchSize),
      deliver,
    });
    state.fanOut = fanOut;
    try {
      let iterator = await iteratorFrom();
      while (!stopped && iterator) {
        // Reading goes on while a virtual shard retries a batch, up to a bounded backlog.
        await fanOut.whenRoom();
        const failure = fanOut.failure();
        if (failure) throw failure;
        if (stopped) return;
        const readAt = Date.now();
        let result;
        try {
          result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        } catch (error) {
          if (stopped) return;
          await sleep(pollMs * 5);
          // Iterators expire after 15 minutes: continue after the last record read.
          if ((error as Error).name === 'ExpiredIteratorException') iterator = await iteratorFrom();
          continue;
        }
        iterator = result.NextShardIterator;
        const records = (result.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
        lastSequence = records[records.length - 1]?.dynamodb?.SequenceNumber ?? lastSequence;
        fanOut.push(records);
        if (records.length === 0 && fanOut.drained()) state.quietAt = readAt;
        if (records.length === 0) await sleep(pollMs);
      }
      if (stopped) return;
      await fanOut.close(); // a closed shard: deliver what is buffered without waiting
      state.quietAt = Number.POSITIVE_INFINITY; // and nothing more to deliver
    } finally {
      await fanOut.stop();
    }
  };

  const discover = async () => {
    while (!stopped) {
      try {
        const description = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        for (const shard of description.StreamDescription?.Shards ?? []) {
          if (!shard.ShardId || shards.has(shard.ShardId)) continue;
          const state: ShardState = { id: shard.ShardId, quietAt: 0, loop: Promise.resolve() };
          // A shard whose reading fails is forgotten, so the next discovery round starts it again
          // (otherwise it would never be read, and idle() would wait for it forever).
          state.loop = readShard(state).catch(() => {
            if (shards.get(state.id) === state) shards.delete(state.id);
          });
          shards.set(shard.ShardId, state);
        }
        described = true;
      } catch {
        // DynamoDB Local is stopping or busy: try again on the next round.
      }
      for (let waited = 0; waited < 2000 && !stopped; waited += 100) await sleep(100);
    }
  };
  const discovery = discover();

  return {
    async idle() {
      const since = Date.now();
      while (!stopped) {
        const states = [...shards.values()];
        if (described && states.every((s) => s.quietAt > since)) return;
        await sleep(50);
      }
    },
    async stop() {
      stopped = true;
      const states = [...shards.values()];
      await Promise.all(states.map((s) => s.fanOut?.stop()));
      await Promise.all([discovery, ...states.map((s) => s.loop)]);
    },
  };
}
