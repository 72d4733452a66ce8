/**
 * An S3-compatible server (`s3rver`) on 127.0.0.1, a free port and a temporary directory,
 * silent, removed when stopped, with S3's AbortMultipartUpload (tools/local/s3-multipart.ts). Clients
 * must use path-style addressing (forcePathStyle).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { enforcePostPolicies } from '../../tools/local/s3-auth/post-middleware';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { addMultipartSupport, type MultipartFaults, type S3rverApp } from '../../tools/local/s3-multipart';
import { freePort, LOCAL_REGION } from './free-port';

/** s3rver checks the access key id (its built-in account is S3RVER/S3RVER). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface S3rverInstance extends S3rverApp {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as S3rverConstructor;

export interface LocalS3 extends MultipartFaults {
  endpoint: string;
  /** Client config (endpoint, path style, region, dummy credentials) for SDK clients in tests. */
  clientConfig: S3ClientConfig;
  stop(): Promise<void>;
}

export const startS3rver = async (): Promise<LocalS3> => {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    resetOnClose: true,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
  });
  // As on AWS, a presigned POST upload is stored only if its policy and signature hold.
  enforcePostPolicies(server, (id) =>
    id === S3RVER_CREDENTIALS.accessKeyId ? S3RVER_CREDENTIALS.secretAccessKey : undefined,
  );
  const faults = addMultipartSupport(server);
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clientConfig: { endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: S3RVER_CREDENTIALS },
    ...faults,
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
};

export const createBucket = async (client: S3Client, bucket: string): Promise<void> => {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
};
