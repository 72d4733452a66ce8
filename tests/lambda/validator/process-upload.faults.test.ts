/**
 * Fault paths of one upload: DynamoDB that keeps throttling (mocked) while the
 * manifest goes to a real local S3 (s3rver).
 */
import { BatchExecuteStatementCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoSink } from '../../../lambda/validator/adapters/dynamo-sink';
import { STOP_MARGIN_MS, TimeLimitError } from '../../../lambda/validator/deadline';
import { processUpload } from '../../../lambda/validator/process-upload';
import type { ItemSink } from '../../../lambda/validator/core/types';
import { WriteFailedError } from '../../../lambda/shared/errors';
import type { UploadManifest } from '../../../lambda/shared/manifest';
import { createBucket, startS3rver, type LocalS3 } from '../../support/local-s3';
import { csv, LIMITS, row } from './helpers';

const BUCKET = 'fault-bucket';
/** s3rver keeps no versions and ignores the version id of a read; the validator needs one named. */
const VERSION = 'local-version-1';
const ddb = mockClient(DynamoDBClient);
const doc = new DynamoDBClient({ region: 'us-east-1' });
const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
let local: LocalS3;
let s3: S3Client;

const manifest = async (key: string): Promise<UploadManifest> => {
  const result = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(await (result.Body?.transformToString() ?? '')) as UploadManifest;
};

beforeAll(async () => {
  local = await startS3rver();
  s3 = new S3Client(local.clientConfig);
  await createBucket(s3, BUCKET);
});
afterAll(async () => {
  s3.destroy();
  await local.stop();
});

describe('processUpload fault paths', () => {
  const uploadId = 'up-11111111-2222-4333-8444-555555555555';
  const key = `uploads/merchant-a/${uploadId}.csv`;

  it('writes still throttled after every retry: throws so Lambda retries, and the manifest says failed', async () => {
    ddb.on(BatchExecuteStatementCommand).callsFake((input: { Statements?: unknown[] }) => ({
      Responses: (input.Statements ?? []).map(() => ({ Error: { Code: 'ThrottlingError' } })),
    }));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: csv(row({ transaction_id: 'a' }), row({ transaction_id: 'b' })),
      }),
    );
    const sink = createDynamoSink(doc, {
      tableName: 'tx-test',
      concurrency: 2,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const deps = { s3, sink, bucketName: BUCKET, limits: LIMITS, cardKey: async () => 'k', logger };
    const error = await processUpload(deps, { bucket: BUCKET, key, versionId: VERSION }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WriteFailedError);
    const written = await manifest(`reports/merchant-a/${uploadId}.json`);
    expect(written).toMatchObject({ status: 'failed', error: { code: 'WRITE_FAILED' } });
    expect(written.error?.message).toMatch(/did not complete after 3 attempts/);
    expect(written.finishedAt).toBeDefined();
    expect(ddb.commandCalls(BatchExecuteStatementCommand)).toHaveLength(3);
  });

  it('an event naming no object version fails (retried, then the failure queue) without reading the file', async () => {
    ddb.reset();
    const read = jest.fn();
    const cardKey = jest.fn(async () => 'k');
    const sink: ItemSink = { writeBatch: read };
    const deps = { s3, sink, bucketName: BUCKET, limits: LIMITS, cardKey, logger };
    const error = await processUpload(deps, { bucket: BUCKET, key, size: 11 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_VERSIONED' });
    const written = await manifest(`reports/merchant-a/${uploadId}.json`);
    expect(written).toMatchObject({ status: 'failed', error: { code: 'NOT_VERSIONED' } });
    expect(written.error?.message).toMatch(/names no object version/);
    expect(cardKey).not.toHaveBeenCalled();
    expect(read).not.toHaveBeenCalled();
  });

  it('a file over the size limit announced by the event is refused before it is read', async () => {
    ddb.reset();
    const deps = {
      s3,
      sink: createDynamoSink(doc, { tableName: 'tx-test', concurrency: 1 }),
      bucketName: BUCKET,
      limits: { ...LIMITS, maxFileBytes: 10 },
      cardKey: async () => 'k',
      logger,
    };
    const result = await processUpload(deps, { bucket: BUCKET, key, versionId: VERSION, size: 11 });
    expect(result).toMatchObject({ status: 'refused', refusal: { code: 'FILE_TOO_LARGE' } });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('a file over MAX_ROWS is refused by the checking pass: nothing is written', async () => {
    ddb.reset();
    const body = csv(...Array.from({ length: 4 }, (_, i) => row({ transaction_id: `many-${i}` })));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    const deps = {
      s3,
      sink: createDynamoSink(doc, { tableName: 'tx-test', concurrency: 1 }),
      bucketName: BUCKET,
      limits: { ...LIMITS, maxRows: 3 },
      cardKey: async () => 'k',
      logger,
    };
    const result = await processUpload(deps, { bucket: BUCKET, key, versionId: VERSION });
    expect(result).toMatchObject({ status: 'refused', refusal: { code: 'TOO_MANY_ROWS', line: 5 } });
    expect(ddb.calls()).toHaveLength(0);
  });

  describe('near the function timeout', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row({ transaction_id: `late-${i}` }));
    /** A sink that takes one (fake) second per batch of 200 rows. */
    const slowSink = (clock: { ms: number }, written: number[]): ItemSink => ({
      writeBatch: async (items) => {
        clock.ms += 1000;
        written.push(items.length);
        return { stored: items.length, unchanged: 0, conflicts: [] };
      },
    });
    const runLate = async (remainingMs: number) => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: csv(...rows) }));
      const clock = { ms: 0 };
      const written: number[] = [];
      const deps = {
        s3,
        sink: slowSink(clock, written),
        bucketName: BUCKET,
        limits: LIMITS,
        cardKey: async () => 'k',
        logger,
        now: () => new Date(clock.ms),
        remainingMs: () => remainingMs,
      };
      const outcome = await processUpload(deps, { bucket: BUCKET, key, versionId: VERSION }).catch(
        (e: unknown) => e,
      );
      return { outcome, written, manifest: await manifest(`reports/merchant-a/${uploadId}.json`) };
    };

    it('stops before the timeout, says how far it got in a failed manifest, and throws so Lambda retries', async () => {
      const { outcome, written, manifest: m } = await runLate(STOP_MARGIN_MS + 2500);
      expect(outcome).toBeInstanceOf(TimeLimitError);
      expect(written).toEqual([200, 200, 200]); // batches started at 0, 1 and 2 s; the deadline is 2.5 s
      expect(m).toMatchObject({
        status: 'failed',
        counts: { rows: 600, accepted: 600, stored: 600, rejected: 0 },
        error: { code: 'TIME_LIMIT' },
      });
      expect(m.error?.message).toMatch(
        /after 600 rows were stored, before the upload was finished\. The upload will be retried/,
      );
    });

    it('stores nothing when the time is already up during the checking pass', async () => {
      const { outcome, written, manifest: m } = await runLate(STOP_MARGIN_MS - 1);
      expect(outcome).toBeInstanceOf(TimeLimitError);
      expect(written).toEqual([]);
      expect(m).toMatchObject({
        status: 'failed',
        counts: { rows: 0, stored: 0 },
        error: { code: 'TIME_LIMIT' },
      });
    });

    it('aborts a write still hanging at the hard stop and reports the time limit', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: csv(...rows) }));
      let aborted = 0;
      const hanging: ItemSink = {
        writeBatch: (_items, signal) =>
          new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => {
              aborted++;
              reject(new WriteFailedError('aborted'));
            }),
          ),
      };
      const deps = {
        s3,
        sink: hanging,
        bucketName: BUCKET,
        limits: LIMITS,
        cardKey: async () => 'k',
        logger,
        remainingMs: () => 1_000,
        deadlineMargins: { stopMs: 200, abortMs: 700 }, // stop at 800 ms, abort at 300 ms
      };
      const started = Date.now();
      const outcome = await processUpload(deps, { bucket: BUCKET, key, versionId: VERSION }).catch(
        (e: unknown) => e,
      );
      expect(outcome).toBeInstanceOf(TimeLimitError);
      expect(aborted).toBe(1); // the write was under way, and the abort ended it
      expect(Date.now() - started).toBeLessThan(800);
      expect(await manifest(`reports/merchant-a/${uploadId}.json`)).toMatchObject({
        status: 'failed',
        counts: { stored: 0 },
        error: { code: 'TIME_LIMIT' },
      });
    });

    it('finishes as usual when there is time', async () => {
      const { outcome, manifest: m } = await runLate(60_000);
      expect(outcome).not.toBeInstanceOf(Error);
      expect(outcome).toEqual(m);
      expect(m).toMatchObject({ status: 'completed', counts: { rows: 1000, stored: 1000 } });
    });
  });
});
