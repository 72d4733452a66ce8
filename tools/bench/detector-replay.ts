/**
 * The detector's capacity, as opposed to its rate in the end-to-end run (which can be no faster
 * than the validator feeds it). Once the end-to-end file is stored, its stream records are read
 * back (all of them, before the clock starts) and fed again, through the real anomaly bundle, to a
 * fresh detector state table on the same DynamoDB Local, as fast as the shards take them: each
 * virtual shard (the same routing as the local stream) gets full batches of the stack's batch
 * size, one at a time and in order, with the mapping's retry semantics, all shards concurrently,
 * each in its own execution environment. The state table is fresh, so the detector does exactly
 * the work it did in the end-to-end run, alerts included (the alert claims are new too).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { ENV } from '../../lambda/shared/contract';
import type { LocalDefinitions } from '../local/definitions';
import { createStateTable } from '../local/dynamodb-local';
import { FunctionHost } from '../local/function-host';
import { functionBaseEnv } from '../local/local-env';
import type { LocalPipeline } from '../local/pipeline';
import { deliverBatch } from '../local/stream-batches';
import { toLambdaRecord } from '../local/stream-poller';
import { DEFAULT_SHARD_COUNT, shardIndexOf } from '../local/stream-shards';
import { perTransaction, readSettledLog, sumBatchLog } from './batch-log';

export interface DetectorReplay {
  transactions: number;
  shards: number;
  seconds: number;
  rowsPerSecond: number;
  /**
   * CPU of this process's threads other than the main one (the shards' execution environments and
   * the runtime's helper threads) over the replay, per transaction; the main thread runs the local
   * stand-ins (SNS, S3, the stream poller), which are not the detector's cost.
   */
  cpuMicrosPerTransaction: number;
  /** The main thread's share over the same time, per transaction: what the figure above leaves out. */
  mainThreadMicrosPerTransaction: number;
  stateReadsPerTransaction: number;
  stateWritesPerTransaction: number;
  alertsSent: number;
  invocations: number;
  droppedBatches: number;
}

/**
 * CPU time (µs) of this process's main thread and of all its other threads, from /proc (Linux);
 * process.cpuUsage() cannot tell the worker threads from the main one.
 */
export function threadCpuMicros(): { main: number; others: number } | undefined {
  const ticks = (tid: string) => {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // clock ticks, USER_HZ = 100
  };
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        if (tid === String(process.pid)) main = ticks(tid);
        else others += ticks(tid);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return { main, others };
  } catch {
    return undefined;
  }
}

/** Every record of the table's stream so far, in stream order, in the shape Lambda passes. */
async function readStream(pipeline: LocalPipeline): Promise<DynamoDBRecord[]> {
  const config = { endpoint: pipeline.endpoints.dynamodb, ...pipeline.clientConfig };
  const tables = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  try {
    const table = await tables.send(new DescribeTableCommand({ TableName: pipeline.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`${pipeline.tableName} has no stream`);
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const start = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let iterator = start.ShardIterator;
      // An open shard never ends: an empty read means everything written so far has been read.
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        if ((page.Records ?? []).length === 0) break;
        records.push(...(page.Records ?? []).map((r) => toLambdaRecord(r, streamArn)));
        iterator = page.NextShardIterator;
      }
    }
    return records;
  } finally {
    tables.destroy();
    streams.destroy();
  }
}

/** The records of each virtual shard in stream order, cut into batches of `batchSize`. */
export function shardBatches(
  records: readonly DynamoDBRecord[],
  shards: number,
  batchSize: number,
  keyAttributes: readonly string[],
): DynamoDBRecord[][][] {
  const lanes: DynamoDBRecord[][] = Array.from({ length: shards }, () => []);
  for (const record of records)
    lanes[shardIndexOf(record.dynamodb?.Keys, shards, keyAttributes)].push(record);
  return lanes.map((lane) => {
    const batches: DynamoDBRecord[][] = [];
    for (let from = 0; from < lane.length; from += batchSize)
      batches.push(lane.slice(from, from + batchSize));
    return batches;
  });
}

export async function replayDetector(
  definitions: LocalDefinitions,
  pipeline: LocalPipeline,
  workDir: string,
  shards = DEFAULT_SHARD_COUNT,
): Promise<DetectorReplay> {
  const records = await readStream(pipeline);
  const transactions = records.filter((r) => r.eventName === 'INSERT').length;
  if (transactions === 0) throw new Error('the stream holds no transaction to replay');

  // Each replay (one per shard count) gets its own fresh state table, code folders and log.
  const stateTable = { ...definitions.stateTable, name: `${definitions.stateTable.name}-replay-${shards}` };
  const client = new DynamoDBClient({ endpoint: pipeline.endpoints.dynamodb, ...pipeline.clientConfig });
  try {
    await createStateTable(client, stateTable);
  } finally {
    client.destroy();
  }
  const anomaly = definitions.functions.anomaly;
  const definition = {
    ...anomaly,
    environment: { ...anomaly.environment, [ENV.stateTableName]: stateTable.name },
  };
  const logFile = join(workDir, `replay-${shards}-anomaly.log`);
  const hosts = Array.from(
    { length: shards },
    (_, n) =>
      new FunctionHost(definition, {
        codeDir: join(workDir, `replay-${shards}`, `v${n}`),
        logFile,
        baseEnv: functionBaseEnv(definitions, pipeline.endpoints),
      }),
  );
  try {
    // Warm every environment first: capacity is the steady state (cold starts are measured apart).
    await Promise.all(hosts.map((host) => host.invoke({ Records: [] }).catch(() => undefined)));
    const lanes = shardBatches(records, shards, definitions.streamMapping.batchSize, [
      definitions.table.partitionKey,
    ]);
    let invocations = 0;
    let droppedBatches = 0;
    const cpuBefore = process.cpuUsage();
    const threadsBefore = threadCpuMicros();
    const started = performance.now();
    await Promise.all(
      lanes.map(async (batches, index) => {
        for (const batch of batches) {
          const report = await deliverBatch(batch, definitions.streamMapping, (event) =>
            hosts[index].invoke({ Records: event }),
          );
          invocations += report.invocations;
          droppedBatches += report.dropped.length;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const threadsAfter = threadCpuMicros();
    // Without /proc, the whole process's CPU: an upper bound of the detector's.
    const split =
      threadsBefore && threadsAfter
        ? { others: threadsAfter.others - threadsBefore.others, main: threadsAfter.main - threadsBefore.main }
        : { others: cpu.user + cpu.system, main: 0 };
    const totals = sumBatchLog(await readSettledLog(logFile));
    const per = perTransaction(totals);
    if (!per) throw new Error('the replay logged no evaluated batch');
    return {
      transactions,
      shards,
      seconds,
      rowsPerSecond: transactions / seconds,
      cpuMicrosPerTransaction: split.others / transactions,
      mainThreadMicrosPerTransaction: split.main / transactions,
      stateReadsPerTransaction: per.reads,
      stateWritesPerTransaction: per.writes,
      alertsSent: totals.alertsSent,
      invocations,
      droppedBatches,
    };
  } finally {
    await Promise.all(hosts.map((host) => host.stop()));
  }
}
