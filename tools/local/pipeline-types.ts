/** The local pipeline's options, events and handle (pipeline.ts starts it; pipeline-parts.ts wires it). */
import type { LocalApiKey } from './api-gateway';
import type { LocalDefinitions } from './definitions';
import type { LOCAL_CREDENTIALS, LocalEndpoints } from './local-env';
import type { MultipartFaults } from './s3-multipart';
import type { SecretStore } from './secret-store';
import type { AlertSink, LocalAlert } from './sns-sink';

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
  /** Work given up after its retries; `subject` names it (the file, or the stream batch). */
  | { kind: 'failure'; functionName: string; condition: string; subject: string }
  | { kind: 'stream-batch'; records: number; invocations: number; dropped: number }
  | { kind: 'request'; line: string };

export interface LocalPipelineOptions {
  definitions: LocalDefinitions;
  /** The stack the definitions come from, recorded for tools started beside it. @default "dev" */
  stack?: string;
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
  /** The local S3's faults, for tests. */
  objectStore: MultipartFaults;
  failures: Record<string, unknown>[];
  /** Resolves when every upload so far is processed and every stream record delivered. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** `<stateDir>/local.json`: what a tool needs to reach a running local AWS (npm run redrive). */
export interface LocalState {
  /** The stack whose definitions the local AWS runs (tools synthesize it again to host functions). */
  stack: string;
  endpoints: LocalEndpoints;
  /** Virtual shards of the table's stream (the virtual shard of a record is a hash of its key). */
  shardCount: number;
  keyAttributes: string[];
}
