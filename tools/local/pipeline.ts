/**
 * The whole pipeline on an embedded local AWS, wired as the stack wires it: DynamoDB Local with the
 * table and its stream, s3rver with the bucket, the SNS and Secrets Manager stand-ins, the real
 * function bundles in local execution environments, S3 notifications -> validator (async, with
 * retries), stream -> anomaly (event source mapping semantics), and the API in front of the api
 * function. `npm start` and the end-to-end tests both use it.
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { CALL_LOG_ENV } from '../../lambda/shared/call-recorder';
import type { LocalDefinitions } from './definitions';
import { startDynamoDbLocal, type LocalDynamoDb } from './dynamodb-local';
import { FunctionHost } from './function-host';
import { freePort } from './free-port';
import { functionBaseEnv, LOCAL_CREDENTIALS, type LocalEndpoints } from './local-env';
import { createAsyncInvoker } from './async-invoker';
import { startLocalApi, type LocalApiKey } from './api-gateway';
import { startLocalS3 } from './s3-local';
import { matchingNotifications, toS3Event, type ObjectEvent } from './s3-notifications';
import { startSecretStore, type SecretStore } from './secret-store';
import { startAlertSink, type AlertSink, type LocalAlert } from './sns-sink';
import { startStreamPoller } from './stream-poller';
import { DEFAULT_SHARD_COUNT } from './stream-shards';

export interface LocalPorts {
  api?: number;
  dynamodb?: number;
  s3?: number;
  sns?: number;
  secretsManager?: number;
}

export type PipelineEvent =
  | { kind: 'upload-received'; key: string }
  | { kind: 'upload-ignored'; key: string }
  | { kind: 'validator-error'; key: string; attempt: number; message: string }
  | { kind: 'alert'; alert: LocalAlert }
  | { kind: 'failure'; functionName: string; condition: string }
  | { kind: 'stream-batch'; records: number; invocations: number; dropped: number }
  | { kind: 'request'; line: string };

export interface LocalPipelineOptions {
  definitions: LocalDefinitions;
  /** All local state; emptied at start. */
  stateDir: string;
  ports?: LocalPorts;
  /** Overrides the mapping's batching window (tests); the stack's value by default. */
  batchingWindowSeconds?: number;
  /** Virtual shards of the table's stream, each with its own execution environment. @default DEFAULT_SHARD_COUNT */
  streamShardCount?: number;
  /** Delays before async retries. @default [1000, 2000] */
  asyncRetryDelaysMs?: number[];
  onEvent?: (event: PipelineEvent) => void;
  /**
   * A file that receives one JSON line per AWS call the functions make (lambda/shared/call-recorder.ts),
   * for the least-privilege proof in tests/iam. Off by default.
   */
  callLog?: string;
  /** Start-up steps, for progress output. */
  onProgress?: (line: string) => void;
  /** Receives the stop function before start-up begins, so Ctrl-C during start-up stops what started. */
  registerStop?: (stop: () => Promise<void>) => void;
}

export interface LocalPipeline {
  apiUrl: string;
  keys: LocalApiKey[];
  endpoints: LocalEndpoints;
  /** Client settings for the local servers (tests, tools): region, dummy credentials. */
  clientConfig: { region: string; credentials: typeof LOCAL_CREDENTIALS };
  bucket: string;
  tableName: string;
  stateDir: string;
  alerts: LocalAlert[];
  alertSink: AlertSink;
  /** The Secrets Manager stand-in, for fault injection in tests. */
  secretStore: SecretStore;
  failures: Record<string, unknown>[];
  /** Resolves when every upload so far is processed and every stream record delivered. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export const STATE_FILES = {
  alerts: 'alerts.jsonl',
  failures: 'failures.jsonl',
  cardKey: 'card-hash-key',
  logs: 'logs',
  functions: 'functions',
} as const;

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const d = options.definitions;
  const dir = options.stateDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, STATE_FILES.logs), { recursive: true });
  const emit = options.onEvent ?? (() => undefined);
  const progress = options.onProgress ?? (() => undefined);
  const failures: Record<string, unknown>[] = [];
  // The local failure queue: what the functions' SQS on-failure destinations would receive.
  const toFailureQueue = (functionName: string, record: Record<string, unknown>) => {
    failures.push(record);
    appendFileSync(join(dir, STATE_FILES.failures), `${JSON.stringify({ functionName, ...record })}\n`);
    const condition = String((record.requestContext as { condition?: string })?.condition);
    emit({ kind: 'failure', functionName, condition });
  };

  const stops: (() => Promise<void>)[] = [];
  let stopRequested = false;
  // Whatever starts after a stop was requested (Ctrl-C during start-up) is stopped at once.
  const track = (stopOne: () => Promise<void>) => {
    if (stopRequested) void stopOne().catch(() => undefined);
    else stops.push(stopOne);
  };
  const stop = async () => {
    stopRequested = true;
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  options.registerStop?.(stop);
  try {
    const ports = options.ports ?? {};
    progress(`DynamoDB Local: table ${d.table.name} with a ${d.table.streamViewType} stream`);
    const dynamo: LocalDynamoDb = await startDynamoDbLocal(d, ports.dynamodb ?? (await freePort()));
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
    let onObjectEvent: (event: ObjectEvent) => void = () => undefined;
    const s3 = await startLocalS3({
      bucket: d.bucket.name,
      port: ports.s3 ?? (await freePort()),
      onObjectEvent: (e) => onObjectEvent(e),
    });
    track(s3.stop);

    const endpoints: LocalEndpoints = {
      dynamodb: dynamo.endpoint,
      s3: s3.endpoint,
      sns: alertSink.url,
      secretsManager: secrets.url,
    };
    const baseEnv = {
      ...functionBaseEnv(d, endpoints),
      ...(options.callLog ? { [CALL_LOG_ENV]: options.callLog } : {}),
    };
    // The stream's function gets a pool of hosts, one per virtual shard (below).
    const streamTarget = Object.values(d.functions).find((f) => f.name === d.streamMapping.functionName);
    if (!streamTarget)
      throw new Error(`The stack wires ${d.streamMapping.functionName}, which it does not define.`);
    const singleHosted = Object.values(d.functions).filter((f) => f !== streamTarget);
    const hosts = Object.fromEntries(
      singleHosted.map((f) => [
        f.name,
        new FunctionHost(f, {
          codeDir: join(dir, STATE_FILES.functions, f.purpose),
          logFile: join(dir, STATE_FILES.logs, `${f.purpose}.log`),
          baseEnv,
        }),
      ]),
    );
    track(async () => {
      await Promise.all(Object.values(hosts).map((h) => h.stop()));
    });
    const hostOf = (name: string) => {
      const host = hosts[name];
      if (!host) throw new Error(`The stack wires ${name}, which it does not define.`);
      return host;
    };

    const validator = d.functions.validator;
    const validatorInvoker = createAsyncInvoker({
      functionArn: validator.arn,
      invoke: (event) => hostOf(validator.name).invoke(event),
      maximumRetryAttempts: d.validatorAsync.maximumRetryAttempts,
      maximumEventAgeSeconds: d.validatorAsync.maximumEventAgeSeconds,
      retryDelaysMs: options.asyncRetryDelaysMs,
      onFailure: (record) => toFailureQueue(validator.name, record as unknown as Record<string, unknown>),
    });
    onObjectEvent = (event) => {
      const targets = matchingNotifications(d.bucket.notifications, event);
      if (targets.length === 0) return emit({ kind: 'upload-ignored', key: event.key });
      for (const target of targets) {
        if (target.functionName !== validator.name) continue;
        emit({ kind: 'upload-received', key: event.key });
        validatorInvoker.submit(toS3Event(event, d.region, 'validator-notification'));
      }
    };

    const streams = new DynamoDBStreamsClient({
      endpoint: dynamo.endpoint,
      region: d.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const mapping = {
      ...d.streamMapping,
      batchingWindowSeconds: options.batchingWindowSeconds ?? d.streamMapping.batchingWindowSeconds,
    };
    // On AWS each shard is processed by its own concurrent invocation, so each virtual shard gets
    // its own execution environment (one log file, as one log group with a stream per environment).
    // https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
    const shardCount = options.streamShardCount ?? DEFAULT_SHARD_COUNT;
    const anomalyHosts = Array.from(
      { length: shardCount },
      (_, n) =>
        new FunctionHost(streamTarget, {
          codeDir: join(dir, STATE_FILES.functions, streamTarget.purpose, `v${n}`),
          logFile: join(dir, STATE_FILES.logs, `${streamTarget.purpose}.log`),
          baseEnv,
        }),
    );
    track(async () => {
      await Promise.all(anomalyHosts.map((h) => h.stop()));
    });
    const poller = startStreamPoller({
      client: streams,
      streamArn: dynamo.streamArn,
      functionArn: streamTarget.arn,
      mapping,
      shardCount,
      keyAttributes: [d.table.partitionKey],
      // Virtual shards of a later real shard (after a stream rollover) share the same hosts.
      invoke: (event, shard) => anomalyHosts[shard.index % shardCount].invoke(event),
      onFailure: (record) => toFailureQueue(streamTarget.name, record),
      onBatch: (records, invocations, dropped) =>
        emit({ kind: 'stream-batch', records, invocations, dropped }),
    });
    // Stopped before the functions and DynamoDB Local (stops run in reverse order).
    track(async () => {
      await poller.stop();
      streams.destroy();
    });

    const m = mapping;
    progress(
      `functions: ${Object.values(d.functions)
        .map((f) => f.name)
        .join(', ')}; stream mapping: batch ${m.batchSize}, ` +
        `window ${m.batchingWindowSeconds} s, bisect ${m.bisectOnError ? 'on' : 'off'}, ${m.maximumRetryAttempts} retries`,
    );
    const api = await startLocalApi({
      definitions: d,
      invoke: (event) => hostOf(d.functions.api.name).invoke(event),
      port: ports.api,
      onRequest: (line) => emit({ kind: 'request', line }),
    });
    track(api.close);

    return {
      apiUrl: api.url,
      keys: api.keys,
      endpoints,
      clientConfig: { region: d.region, credentials: LOCAL_CREDENTIALS },
      bucket: d.bucket.name,
      tableName: d.table.name,
      stateDir: dir,
      alerts: alertSink.alerts,
      alertSink,
      secretStore: secrets,
      failures,
      settle: async () => {
        await validatorInvoker.idle();
        await poller.idle();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
