/**
 * Virtual shards for the local stream. DynamoDB Local gives a table's stream one shard, while on
 * AWS a table's stream has about one shard per partition, and Lambda processes each shard with
 * its own concurrent invocation, in order within the shard, with its own batching, retries and
 * checkpoint (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html). To exercise the races
 * between shards locally, the records of one real shard are routed by a stable hash of their
 * partition key to `shardCount` virtual shards; each one buffers, batches and delivers on its own,
 * so a batch that fails blocks only its own virtual shard, as a failing shard does on AWS.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Processing
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { StreamMappingDefinition } from './definitions';

/**
 * Several shards is what AWS gives even a small busy table (about one per partition, and a table
 * starts with several partitions), so the local stream has several by default; 1 is one shard.
 */
export const DEFAULT_SHARD_COUNT = 4;

/**
 * Records buffered per virtual shard before reading the real shard pauses. A blocked virtual
 * shard then slows reading for the others instead of growing memory without bound; on AWS it is
 * the iterator age that grows instead.
 */
export const DEFAULT_MAX_BACKLOG = 10_000;

/** A virtual shard: its id in batch info (`<real shard id>#v<n>`) and its index, 0..shardCount-1. */
export interface VirtualShardRef {
  id: string;
  index: number;
}

/**
 * The virtual shard of a record's key: a hash of the partition key attributes (all of `Keys`,
 * by name, when none are given, so one item always maps to one shard). Stable across runs.
 */
export function shardIndexOf(
  keys: Record<string, AttributeValue> | undefined,
  shardCount: number,
  keyAttributes?: readonly string[],
): number {
  if (shardCount <= 1) return 0;
  const names = keyAttributes ?? Object.keys(keys ?? {}).sort();
  const canonical = JSON.stringify(names.map((name) => [name, keys?.[name] ?? null]));
  return createHash('sha256').update(canonical).digest().readUInt32BE(0) % shardCount;
}

/** The id a virtual shard reports; with one shard, the real shard's own id (today's behaviour). */
export function virtualShardId(realShardId: string, index: number, shardCount: number): string {
  return shardCount === 1 ? realShardId : `${realShardId}#v${index}`;
}

export interface ShardFanOutOptions {
  realShardId: string;
  shardCount: number;
  keyAttributes?: readonly string[];
  mapping: Pick<StreamMappingDefinition, 'batchSize' | 'batchingWindowSeconds'>;
  maxBacklog: number;
  /** Delivers one batch with the mapping's semantics; resolves once it is done or dropped. */
  deliver: (shard: VirtualShardRef, records: DynamoDBRecord[]) => Promise<void>;
}

export interface ShardFanOut {
  /** Routes records read from the real shard, in stream order; never waits. */
  push(records: readonly DynamoDBRecord[]): void;
  /** True when nothing is buffered or being delivered on any virtual shard. */
  drained(): boolean;
  /** Resolves once every virtual shard has room in its backlog (or the fan-out stopped). */
  whenRoom(): Promise<void>;
  /** The error a delivery threw, if any: the reader rethrows it to restart the real shard. */
  failure(): Error | undefined;
  /** The real shard closed: delivers what is buffered without waiting for the window, then ends. */
  close(): Promise<void>;
  /** Stops every virtual shard after the batch in flight, dropping what is buffered. */
  stop(): Promise<void>;
}

interface Buffered {
  record: DynamoDBRecord;
  at: number;
}

interface VirtualShard {
  ref: VirtualShardRef;
  backlog: Buffered[];
  inFlight: boolean;
  /** Ends the shard's current wait (records arrived, closing or stopping). */
  wake: () => void;
}

interface FanOutState {
  options: ShardFanOutOptions;
  closing: boolean;
  stopped: boolean;
  error?: Error;
  roomWaiters: (() => void)[];
}

/**
 * The next batch of a virtual shard, or how long to wait before looking again: a batch is ready
 * when it is full or when its oldest record has waited the batching window, as in Lambda
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html#invocation-eventsourcemapping-batching).
 */
function takeBatch(shard: VirtualShard, state: FanOutState): DynamoDBRecord[] | number {
  const { batchSize, batchingWindowSeconds } = state.options.mapping;
  const { backlog } = shard;
  if (backlog.length === 0) return Number.POSITIVE_INFINITY;
  const waited = Date.now() - backlog[0].at;
  const windowMs = batchingWindowSeconds * 1000;
  if (backlog.length < batchSize && waited < windowMs && !state.closing) return windowMs - waited;
  return backlog.splice(0, batchSize).map((b) => b.record);
}

/** Sleeps until `ms` have passed or the shard is woken (records arrived, closing, stopping). */
function waitForWork(shard: VirtualShard, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(resolve, ms) : undefined;
    shard.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

function hasRoom(shards: readonly VirtualShard[], state: FanOutState): boolean {
  if (state.stopped || state.error) return true; // nothing will drain: let the reader see why
  return shards.every((s) => s.backlog.length < state.options.maxBacklog);
}

function releaseRoomWaiters(shards: readonly VirtualShard[], state: FanOutState): void {
  if (!hasRoom(shards, state)) return;
  for (const resolve of state.roomWaiters.splice(0)) resolve();
}

/** One virtual shard's delivery loop: one batch at a time, in order, as Lambda does per shard. */
async function runVirtualShard(
  shard: VirtualShard,
  shards: readonly VirtualShard[],
  state: FanOutState,
): Promise<void> {
  while (!state.stopped && !state.error) {
    const next = takeBatch(shard, state);
    if (Array.isArray(next)) {
      shard.inFlight = true;
      releaseRoomWaiters(shards, state);
      try {
        await state.options.deliver(shard.ref, next);
      } catch (error) {
        state.error = error instanceof Error ? error : new Error(String(error));
        releaseRoomWaiters(shards, state);
      } finally {
        shard.inFlight = false;
      }
      continue;
    }
    if (state.closing && shard.backlog.length === 0) return;
    await waitForWork(shard, next);
  }
}

/** Fails fast on a shard count that cannot route records. */
export function assertShardCount(shardCount: number): void {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new Error(`shardCount must be a whole number of at least 1, not ${shardCount}.`);
  }
}

/** Starts the virtual shards of one real shard. */
export function fanOutShard(options: ShardFanOutOptions): ShardFanOut {
  const { shardCount } = options;
  assertShardCount(shardCount);
  const state: FanOutState = { options, closing: false, stopped: false, roomWaiters: [] };
  const shards: VirtualShard[] = Array.from({ length: shardCount }, (_, index) => ({
    ref: { id: virtualShardId(options.realShardId, index, shardCount), index },
    backlog: [],
    inFlight: false,
    wake: () => undefined,
  }));
  const loops = shards.map((shard) => runVirtualShard(shard, shards, state));
  const wakeAll = () => {
    for (const shard of shards) shard.wake();
  };

  return {
    push(records) {
      const at = Date.now();
      for (const record of records) {
        const index = shardIndexOf(record.dynamodb?.Keys, shardCount, options.keyAttributes);
        shards[index].backlog.push({ record, at });
      }
      if (records.length > 0) wakeAll();
    },
    drained: () => shards.every((s) => s.backlog.length === 0 && !s.inFlight),
    whenRoom: () =>
      hasRoom(shards, state) ? Promise.resolve() : new Promise((resolve) => state.roomWaiters.push(resolve)),
    failure: () => state.error,
    async close() {
      state.closing = true;
      wakeAll();
      await Promise.all(loops);
      if (state.error) throw state.error;
    },
    async stop() {
      state.stopped = true;
      wakeAll();
      releaseRoomWaiters(shards, state);
      await Promise.all(loops);
    },
  };
}
