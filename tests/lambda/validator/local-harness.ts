/**
 * Harness for the validator against real local servers: DynamoDB Local (with its stream) and
 * s3rver, the handler loaded with the environment the stack would give it, Secrets Manager
 * mocked (no local emulator), and stdout captured so logs can be scanned.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { S3Event } from 'aws-lambda';
import {
  createTransactionsTable,
  readStreamRecords,
  startDynamoDbLocal,
  type LocalDynamoDb,
} from '../../support/local-dynamodb';
import { createBucket, S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from '../../support/local-s3';

export const TABLE = 'transactions-test';
export const BUCKET = 'uploads-test';

export interface Harness {
  dynamo: LocalDynamoDb;
  s3server: LocalS3;
  db: DynamoDBClient;
  s3: S3Client;
  streamArn: string;
  stop(): Promise<void>;
}

export const startHarness = async (): Promise<Harness> => {
  const [dynamo, s3server] = await Promise.all([startDynamoDbLocal({ sharedDb: true }), startS3rver()]);
  const db = new DynamoDBClient(dynamo.clientConfig);
  const s3 = new S3Client(s3server.clientConfig);
  const streamArn = await createTransactionsTable(db, TABLE);
  await createBucket(s3, BUCKET);
  Object.assign(process.env, {
    TABLE_NAME: TABLE,
    BUCKET_NAME: BUCKET,
    CARD_HASH_SECRET_ID: 'secret-card-hash-test',
    WRITE_CONCURRENCY: '4',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3server.endpoint,
    POWERTOOLS_METRICS_NAMESPACE: 'TransactionProcessorTest',
  });
  return {
    dynamo,
    s3server,
    db,
    s3,
    streamArn,
    stop: async () => {
      db.destroy();
      s3.destroy();
      await Promise.all([dynamo.stop(), s3server.stop()]);
    },
  };
};

/**
 * A fresh upload id. Random v4 UUIDs sometimes hold 12+ digit runs that pass Luhn, which the
 * card-number scan of all outputs would (rightly) flag; these ids keep a letter in every group.
 */
let uploads = 0;
export const newUploadId = (): string =>
  `up-${randomUUID().slice(0, 8).replace(/^./, 'a')}-abcd-4abc-8abc-a${(++uploads).toString(16).padStart(11, 'c')}`;

export const putUpload = async (s3: S3Client, key: string, body: string | Buffer): Promise<S3Event> => {
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }),
  );
  return s3Event(key, Buffer.byteLength(body));
};

/**
 * The event S3 sends for a new object (keys URL-encoded, as S3 does). The bucket is versioned on
 * AWS, so events name a version; s3rver keeps none and serves the current object for any version id.
 */
export const s3Event = (key: string, size: number, eventTime = new Date().toISOString()): S3Event =>
  ({
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime,
        s3: {
          bucket: { name: BUCKET },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size, versionId: 'local-version' },
        },
      },
    ],
  }) as unknown as S3Event;

export const getText = async (s3: S3Client, key: string): Promise<string | undefined> => {
  try {
    const result = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await result.Body?.transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
};

export const listKeys = async (s3: S3Client, prefix: string): Promise<string[]> => {
  const result = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (result.Contents ?? []).map((o) => o.Key as string);
};

export const scanItems = async (db: DynamoDBClient): Promise<Record<string, unknown>[]> => {
  const result = await db.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
  return (result.Items ?? []).map((item) => unmarshall(item));
};

/** Every record of the table's stream so far (DynamoDB Local keeps them in one shard per table). */
export const streamRecords = async (h: Harness) => {
  const streams = new DynamoDBStreamsClient(h.dynamo.clientConfig);
  try {
    const arn =
      h.streamArn || (await h.db.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.LatestStreamArn;
    return await readStreamRecords(streams, arn ?? '');
  } finally {
    streams.destroy();
  }
};

/** Captures everything written to stdout/stderr (Powertools logs and EMF metrics) until restored. */
export const captureOutput = () => {
  const lines: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }),
  );
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
};
