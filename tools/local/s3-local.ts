/**
 * An S3-compatible server (s3rver) on 127.0.0.1 with the stack's bucket, reporting object events.
 * Its storage lives in the OS temp directory, not under `.local/`, and is deleted when it stops:
 * merchants' raw uploads carry full card numbers, which must never be left in the working tree.
 * (s3rver has no versioning and no lifecycle; the bucket's 90-day expiry is AWS-side only. Each
 * write is given a version id that its event carries, as a versioned bucket's events do, so the
 * validator reads by version as on AWS; s3rver itself serves the current object for any version id.)
 * Multipart uploads abort as on S3 (s3-multipart.ts), since the validator streams its rejects file.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { LOCAL_CREDENTIALS } from './local-env';
import { enforcePostPolicies } from './s3-auth/post-middleware';
import type { ObjectEvent } from './s3-notifications';
import { addMultipartSupport, type MultipartFaults, type S3rverApp } from './s3-multipart';

interface S3rverRecord {
  eventName: string;
  requestParameters?: { sourceIPAddress?: string };
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer: string } };
}
interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
}
interface S3rverInstance extends S3rverApp {
  store: FilesystemStore;
  run(): Promise<unknown>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: S3rverRecord[] }) => void): void;
}
// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;

const toBuffer = async (content: Buffer | Readable): Promise<Buffer> => {
  if (Buffer.isBuffer(content)) return content;
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

/**
 * S3 writes are atomic: a reader sees the old object or the new one, never part of one
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel). s3rver
 * overwrites files in place, so a manifest read while the validator rewrites it can come back
 * truncated. Writes go to a temporary file renamed into place, and reads and writes of one key
 * are serialized until the reader holds the file open.
 */
export function makeWritesAtomic(store: FilesystemStore): void {
  const locks = new Map<string, Promise<unknown>>();
  const withLock = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    locks.set(key, settled);
    void settled.then(() => locks.get(key) === settled && locks.delete(key));
    return run;
  };
  const getObject = store.getObject.bind(store);
  store.getObject = (bucket, key, options) =>
    withLock(`${bucket}/${key}`, () => getObject(bucket, key, options));
  store.putObject = (object) =>
    withLock(`${object.bucket}/${object.key}`, async () => {
      const content = await toBuffer(object.content);
      const path = store.getResourcePath(object.bucket, object.key, 'object');
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomUUID()}.tmp`;
      await writeFile(temporary, content);
      await rename(temporary, path);
      const md5 = createHash('md5').update(content).digest('hex');
      await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      return { size: content.length, md5 };
    });
}

/**
 * Gives every stored object a new version id, kept per key until the next write: what a versioned
 * bucket's ObjectCreated event names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 */
export function assignVersionIds(
  store: FilesystemStore,
): (bucket: string, key: string) => string | undefined {
  const versions = new Map<string, string>();
  const putObject = store.putObject.bind(store);
  store.putObject = async (object) => {
    const stored = await putObject(object);
    versions.set(`${object.bucket}/${object.key}`, randomBytes(24).toString('base64url'));
    return stored;
  };
  return (bucket, key) => versions.get(`${bucket}/${key}`);
}

export interface LocalS3 extends MultipartFaults {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalS3(options: {
  bucket: string;
  port: number;
  onObjectEvent: (event: ObjectEvent) => void;
}): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'transaction-processor-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory,
    resetOnClose: true,
    // s3rver does not compute SigV4 signatures (it checks the access key id only); presigned POST
    // uploads, what merchants send, are checked in full by enforcePostPolicies below.
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  enforcePostPolicies(server, (id) =>
    id === LOCAL_CREDENTIALS.accessKeyId ? LOCAL_CREDENTIALS.secretAccessKey : undefined,
  );
  makeWritesAtomic(server.store);
  const faults = addMultipartSupport(server);
  const versionOf = assignVersionIds(server.store);
  server.on('event', (event) => {
    for (const r of event.Records) {
      const created = r.eventName.startsWith('ObjectCreated:');
      options.onObjectEvent({
        eventName: r.eventName,
        bucket: r.s3.bucket.name,
        key: r.s3.object.key,
        size: r.s3.object.size,
        eTag: r.s3.object.eTag,
        versionId: created ? versionOf(r.s3.bucket.name, r.s3.object.key) : undefined,
        sequencer: r.s3.object.sequencer,
        sourceIp: r.requestParameters?.sourceIPAddress,
      });
    }
  });
  try {
    await server.run();
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    ...faults,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
