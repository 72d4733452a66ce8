/**
 * The parts `startLocalPipeline` (pipeline.ts) wires together, each a named step: the local
 * servers, the functions' execution environments, the S3 notification to the validator, and the
 * stream to the anomaly function. Each part registers how to stop what it started.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { FunctionDefinition } from './definitions';
import { startDynamoDbLocal, type LocalDynamoDb } from './dynamodb-local';
import { FunctionHost } from './function-host';
import { freePort } from './free-port';
import { LOCAL_CREDENTIALS } from './local-env';
import { createAsyncInvoker, type AsyncInvoker } from './async-invoker';
import { startLocalS3, type LocalS3 } from './s3-local';
import { matchingNotifications, toS3Event, type ObjectEvent } from './s3-notifications';
import { startSecretStore, type SecretStore } from './secret-store';
import { startAlertSink, type AlertSink } from './sns-sink';
import { startStreamPoller, type StreamPoller } from './stream-poller';
import { DEFAULT_SHARD_COUNT } from './stream-shards';
import type { LocalPipelineOptions, PipelineEvent } from './pipeline-types';
import { readMessage } from '../redrive/messages';

export const STATE_FILES = {
  alerts: 'alerts.jsonl',
  failures: 'failures.jsonl',
  /** Where the running local AWS listens, for tools started beside it (npm run redrive). */
  local: 'local.json',
  cardKey: 'card-hash-key',
  logs: 'logs',
  functions: 'functions',
} as const;

type Emit = (event: PipelineEvent) => void;
type Track = (stopOne: () => Promise<void>) => void;
export type ToFailureQueue = (functionName: string, record: Record<string, unknown>) => void;

/** What was started, stopped in reverse order; whatever starts after a stop request stops at once. */
export function createStopList() {
  const stops: (() => Promise<void>)[] = [];
  let stopRequested = false;
  function track(stopOne: () => Promise<void>) {
    if (stopRequested) void stopOne().catch(() => undefined);
    else stops.push(stopOne);
  }
  async function stop() {
    stopRequested = true;
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  }
  return { track, stop };
}

/** The local failure queue: what the functions' SQS on-failure destinations would receive. */
export function failureQueue(dir: string, emit: Emit) {
  const failures: Record<string, unknown>[] = [];
  function toFailureQueue(functionName: string, record: Record<string, unknown>) {
    failures.push(record);
    appendFileSync(join(dir, STATE_FILES.failures), `${JSON.stringify({ functionName, ...record })}\n`);
    const condition = String((record.requestContext as { condition?: string })?.condition);
    emit({ kind: 'failure', functionName, condition, subject: failureSubject(record) });
  }
  return { failures, toFailureQueue };
}

/** What a failure record is about: the file of an S3 event, or the records of a stream batch. */
export function failureSubject(record: Record<string, unknown>): string {
  const message = readMessage(JSON.stringify(record), 'unknown');
  if (message.kind === 'async') return message.objectKeys.join(', ');
  if (message.kind === 'stream')
    return `${message.batch.batchSize} stream record(s) of shard ${message.batch.shardId}`;
  return 'an unreadable record';
}

export interface LocalServers {
  dynamo: LocalDynamoDb;
  alertSink: AlertSink;
  secrets: SecretStore;
  s3: LocalS3;
  /** Where the bucket's object events go, once the validator is wired. */
  onObjectEvent(listener: (event: ObjectEvent) => void): void;
}

/** DynamoDB Local with the tables, the SNS and Secrets Manager stand-ins, and s3rver with the bucket. */
export async function startServers(
  options: LocalPipelineOptions,
  emit: Emit,
  track: Track,
): Promise<LocalServers> {
  const d = options.definitions;
  const dir = options.stateDir;
  const ports = options.ports ?? {};
  const progress = options.onProgress ?? (() => undefined);
  progress(
    `DynamoDB Local: table ${d.table.name} with a ${d.table.streamViewType} stream, and ${d.stateTable.name}`,
  );
  const dynamo = await startDynamoDbLocal(d, ports.dynamodb ?? (await freePort()));
  track(dynamo.stop);
  const alertSink = await startAlertSink({
    topicArn: d.topic.arn,
    file: join(dir, STATE_FILES.alerts),
    onAlert: (alert) => emit({ kind: 'alert', alert }),
    port: ports.sns,
  });
  track(alertSink.close);
  const secrets = await startSecretStore({
    secretName: d.secret.name,
    region: d.region,
    accountId: d.accountId,
    keyFile: join(dir, STATE_FILES.cardKey),
    port: ports.secretsManager,
  });
  track(secrets.close);
  progress(
    `s3rver: bucket ${d.bucket.name}; SNS stand-in: ${d.topic.name}; secret stand-in: ${d.secret.name}`,
  );
  let listener: (event: ObjectEvent) => void = () => undefined;
  const s3 = await startLocalS3({
    bucket: d.bucket.name,
    port: ports.s3 ?? (await freePort()),
    onObjectEvent: (e) => listener(e),
  });
  track(s3.stop);
  return { dynamo, alertSink, secrets, s3, onObjectEvent: (l) => (listener = l) };
}

/** One execution environment per function, except the stream's, which gets one per shard. */
export function createHosts(options: LocalPipelineOptions, baseEnv: Record<string, string>, track: Track) {
  const d = options.definitions;
  const dir = options.stateDir;
  const host = (f: FunctionDefinition, codeDir: string) =>
    new FunctionHost(f, { codeDir, logFile: join(dir, STATE_FILES.logs, `${f.purpose}.log`), baseEnv });
  const streamTarget = Object.values(d.functions).find((f) => f.name === d.streamMapping.functionName);
  if (!streamTarget)
    throw new Error(`The stack wires ${d.streamMapping.functionName}, which it does not define.`);
  const hosts = new Map(
    Object.values(d.functions)
      .filter((f) => f !== streamTarget)
      .map((f) => [f.name, host(f, join(dir, STATE_FILES.functions, f.purpose))]),
  );
  // On AWS each shard is processed by its own concurrent invocation, so each virtual shard gets its
  // own execution environment (one log file, as one log group with a stream per environment).
  // https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
  const shardCount = options.streamShardCount ?? DEFAULT_SHARD_COUNT;
  const shardHosts = Array.from({ length: shardCount }, (_, n) =>
    host(streamTarget, join(dir, STATE_FILES.functions, streamTarget.purpose, `v${n}`)),
  );
  track(async () => {
    await Promise.all([...hosts.values(), ...shardHosts].map((h) => h.stop()));
  });
  function hostOf(name: string): FunctionHost {
    const found = hosts.get(name);
    if (!found) throw new Error(`The stack wires ${name}, which it does not define.`);
    return found;
  }
  return { hostOf, streamTarget, shardHosts };
}

/** S3 notifications -> the validator, invoked asynchronously with the stack's retry policy. */
export function wireValidator(
  options: LocalPipelineOptions,
  validatorHost: FunctionHost,
  servers: LocalServers,
  emit: Emit,
  toFailureQueue: ToFailureQueue,
): AsyncInvoker {
  const d = options.definitions;
  const validator = d.functions.validator;
  const invoker = createAsyncInvoker({
    functionArn: validator.arn,
    invoke: (event) => validatorHost.invoke(event),
    maximumRetryAttempts: d.validatorAsync.maximumRetryAttempts,
    maximumEventAgeSeconds: d.validatorAsync.maximumEventAgeSeconds,
    retryDelaysMs: options.asyncRetryDelaysMs,
    onFailure: (record) => toFailureQueue(validator.name, record as unknown as Record<string, unknown>),
  });
  servers.onObjectEvent((event) => {
    const targets = matchingNotifications(d.bucket.notifications, event);
    if (targets.length === 0) return emit({ kind: 'upload-ignored', key: event.key });
    for (const target of targets) {
      if (target.functionName !== validator.name) continue;
      emit({ kind: 'upload-received', key: event.key });
      invoker.submit(toS3Event(event, d.region, 'validator-notification'));
    }
  });
  return invoker;
}

/** The table's stream -> the anomaly function, with the event source mapping's semantics, per shard. */
export function wireStream(
  options: LocalPipelineOptions,
  dynamo: LocalDynamoDb,
  target: { definition: FunctionDefinition; shardHosts: FunctionHost[] },
  emit: Emit,
  toFailureQueue: ToFailureQueue,
  track: Track,
): StreamPoller {
  const d = options.definitions;
  const streams = new DynamoDBStreamsClient({
    endpoint: dynamo.endpoint,
    region: d.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const mapping = {
    ...d.streamMapping,
    batchingWindowSeconds: options.batchingWindowSeconds ?? d.streamMapping.batchingWindowSeconds,
  };
  const shardCount = target.shardHosts.length;
  const poller = startStreamPoller({
    client: streams,
    streamArn: dynamo.streamArn,
    functionArn: target.definition.arn,
    mapping,
    shardCount,
    keyAttributes: [d.table.partitionKey],
    // Virtual shards of a later real shard (after a stream rollover) share the same hosts.
    invoke: (event, shard) => target.shardHosts[shard.index % shardCount].invoke(event),
    onFailure: (record) => toFailureQueue(target.definition.name, record),
    onBatch: (records, invocations, dropped) => emit({ kind: 'stream-batch', records, invocations, dropped }),
  });
  // Stopped before the functions and DynamoDB Local (stops run in reverse order).
  track(async () => {
    await poller.stop();
    streams.destroy();
  });
  const m = mapping;
  options.onProgress?.(
    `functions: ${Object.values(d.functions)
      .map((f) => f.name)
      .join(', ')}; stream mapping: batch ${m.batchSize}, window ${m.batchingWindowSeconds} s, ` +
      `bisect ${m.bisectOnError ? 'on' : 'off'}, ${m.maximumRetryAttempts} retries, ${shardCount} shards`,
  );
  return poller;
}
