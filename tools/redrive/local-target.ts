/**
 * The failure queues of `npm start`'s embedded local AWS: `<stateDir>/failures.jsonl` (one record per
 * line, as the SQS destinations would receive them), replayed into the running local servers whose
 * addresses `<stateDir>/local.json` gives. There is no local Lambda service, so the replay runs the
 * same function bundle here, with the environment the stack gives it, against those servers.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KEYS } from '../../lambda/shared/contract';
import type { UploadManifest } from '../../lambda/shared/manifest';
import { parseUploadKey } from '../../lambda/validator/upload-key';
import type { FunctionDefinition, LocalDefinitions } from '../local/definitions';
import { FunctionHost } from '../local/function-host';
import { functionBaseEnv, LOCAL_CREDENTIALS } from '../local/local-env';
import { STATE_FILES } from '../local/pipeline-parts';
import type { LocalState } from '../local/pipeline-types';
import { toLambdaRecord } from '../local/stream-poller';
import { shardIndexOf } from '../local/stream-shards';
import { readMessage, type RedriveMessage } from './messages';
import { RecordsLostError, type RedriveTarget } from './redrive';

/** The local AWS is not running, or not where the state directory says. */
export class LocalStateError extends Error {
  override readonly name = 'LocalStateError';
}

type Message<K extends RedriveMessage['kind']> = Extract<RedriveMessage, { kind: K }>;

function readLocalState(stateDir: string): LocalState {
  const file = join(stateDir, STATE_FILES.local);
  if (!existsSync(file)) {
    throw new LocalStateError(
      `${file} does not exist: start the local AWS first (npm start, which serves until Ctrl-C), or pass --state-dir.`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as LocalState;
}

/** `<real shard id>#v<index>` (virtual shards of tools/local/stream-shards.ts) -> its parts. */
function splitShardId(shardId: string): { real: string; index?: number } {
  const match = /^(.*)#v(\d+)$/.exec(shardId);
  return match ? { real: match[1], index: Number(match[2]) } : { real: shardId };
}

const sequenceValue = (sequence: string | undefined) => BigInt(sequence ?? '0');

export interface LocalTarget extends RedriveTarget {
  close(): Promise<void>;
}

export function localTarget(stateDir: string, definitions: LocalDefinitions): LocalTarget {
  const state = readLocalState(stateDir);
  const failuresFile = join(stateDir, STATE_FILES.failures);
  const baseEnv = functionBaseEnv(definitions, state.endpoints);
  const client = { region: definitions.region, credentials: LOCAL_CREDENTIALS };
  const s3 = new S3Client({ ...client, endpoint: state.endpoints.s3, forcePathStyle: true });
  const streams = new DynamoDBStreamsClient({ ...client, endpoint: state.endpoints.dynamodb });
  const hosts = new Map<string, FunctionHost>();

  function hostFor(functionName: string): FunctionHost {
    const definition = Object.values(definitions.functions).find(
      (f: FunctionDefinition) => f.name === functionName,
    );
    if (!definition) throw new Error(`the stack defines no function ${functionName}`);
    let host = hosts.get(functionName);
    if (!host) {
      host = new FunctionHost(definition, {
        codeDir: join(stateDir, STATE_FILES.functions, 'redrive', definition.purpose),
        logFile: join(stateDir, STATE_FILES.logs, `redrive-${definition.purpose}.log`),
        baseEnv,
      });
      hosts.set(functionName, host);
    }
    return host;
  }

  function lines(): string[] {
    if (!existsSync(failuresFile)) return [];
    return readFileSync(failuresFile, 'utf8').split('\n').filter(Boolean);
  }

  async function manifestOf(key: string): Promise<string> {
    const upload = parseUploadKey(key);
    if (!upload) return 'not an upload key';
    const Key = KEYS.manifestKey(upload.merchantId, upload.uploadId);
    const object = await s3.send(new GetObjectCommand({ Bucket: definitions.bucket.name, Key }));
    const manifest = JSON.parse(await object.Body!.transformToString()) as UploadManifest;
    const c = manifest.counts;
    return `${key} ${manifest.status}, ${c.stored} stored, ${c.unchanged} unchanged, ${c.rejected} rejected`;
  }

  /** The batch's records, read again from the stream: from its first sequence number to its last. */
  async function readBatch(m: Message<'stream'>, streamArn: string): Promise<DynamoDBRecord[]> {
    const { real, index } = splitShardId(m.batch.shardId);
    const end = sequenceValue(m.batch.endSequenceNumber);
    let iterator: string | undefined;
    try {
      iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: real,
            ShardIteratorType: 'AT_SEQUENCE_NUMBER',
            SequenceNumber: m.batch.startSequenceNumber,
          }),
        )
      ).ShardIterator;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TrimmedDataAccessException' || name === 'ResourceNotFoundException')
        throw new RecordsLostError((error as Error).message);
      throw error;
    }
    const found: DynamoDBRecord[] = [];
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const records = (page.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
      for (const r of records) {
        if (sequenceValue(r.dynamodb?.SequenceNumber) > end) return found;
        // The local stream is one real shard spread over virtual ones by key, as the poller does.
        const shard = shardIndexOf(r.dynamodb?.Keys, state.shardCount, state.keyAttributes);
        if (index === undefined || shard === index) found.push(r);
      }
      if (records.length === 0) break; // caught up with the shard: the end is not there
      iterator = page.NextShardIterator;
    }
    if (found.length === 0) throw new RecordsLostError('none of its records is in the stream');
    return found;
  }

  /** Any HTTP answer from DynamoDB Local will do; a refused connection means npm start is gone. */
  async function assertRunning(): Promise<void> {
    try {
      await fetch(state.endpoints.dynamodb, { method: 'GET' });
    } catch {
      throw new LocalStateError(
        `the local AWS of ${stateDir} does not answer at ${state.endpoints.dynamodb}: start npm start and leave it serving.`,
      );
    }
  }

  return {
    description: `the local AWS of npm start (${stateDir})`,
    async list() {
      await assertRunning();
      return lines().map((line, i) => readMessage(line, `line ${i + 1}`));
    },
    async replayAsync(m) {
      await hostFor(m.functionName).invoke(m.event);
      const outcomes = await Promise.all(m.objectKeys.map(manifestOf));
      return outcomes.join('; ');
    },
    async replayStream(m) {
      const streamArn = m.batch.streamArn;
      if (!streamArn) throw new Error('the message names no stream (DDBStreamBatchInfo.streamArn)');
      const records = await readBatch(m, streamArn);
      const response = await hostFor(m.functionName).invoke<{ batchItemFailures?: unknown[] }>({
        Records: records,
      });
      const failed = response?.batchItemFailures?.length ?? 0;
      if (failed > 0) throw new Error(`${failed} of ${records.length} records failed again`);
      return `${records.length} records checked again`;
    },
    async remove(m) {
      // Like DeleteMessage: the file is rewritten without this record, then swapped in at once.
      const kept = lines().filter((line) => readMessage(line, '').id !== m.id);
      const next = `${failuresFile}.next`;
      writeFileSync(next, kept.map((l) => `${l}\n`).join(''));
      renameSync(next, failuresFile);
    },
    async close() {
      await Promise.all([...hosts.values()].map((h) => h.stop()));
      s3.destroy();
      streams.destroy();
    },
  };
}
