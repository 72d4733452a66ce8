/**
 * The rejects file within one upload, on a real local S3 (s3rver): rejected rows of several parts
 * are streamed and completed; when the upload fails (the table, or S3 refusing a part), the
 * multipart upload is aborted, no rejects object is written, and the failure is what is reported.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { processUpload, type UploadDeps } from '../../../lambda/validator/process-upload';
import { TimeLimitError } from '../../../lambda/validator/deadline';
import { PART_SIZE } from '../../../lambda/validator/adapters/rejects-file';
import type { ItemSink } from '../../../lambda/validator/core/types';
import { WriteFailedError } from '../../../lambda/shared/errors';
import type { UploadManifest } from '../../../lambda/shared/manifest';
import { createBucket, startS3rver, type LocalS3 } from '../../support/local-s3';
import { csv, LIMITS, memorySink, row } from './helpers';

const BUCKET = 'rejects-upload-bucket';
const VERSION = 'local-version-1';
/** A new upload per test, so that none sees another's reports. */
let uploads = 0;
const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
let local: LocalS3;
let s3: S3Client;
/** Each S3 call of the validator's client, in order: `Operation` or `Operation!` when it failed. */
let calls: string[] = [];
/** While set, UploadPart requests wait for it (a part that hangs on the network). */
let partsHeld: Promise<void> | undefined;

/** Rows with a bad amount and a long description: about 300 bytes each in the rejects file. */
const badRows = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    row({ transaction_id: `bad-${i}`, amount: 'abc', description: 'd'.repeat(200) }),
  );
/** Enough rejected rows for the rejects file to pass one part. */
const MANY = Math.ceil((1.2 * PART_SIZE) / 300);

const text = async (k: string): Promise<string | undefined> =>
  s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: k })).then(
    (o) => o.Body!.transformToString(),
    (error: Error) => (error.name === 'NoSuchKey' ? undefined : Promise.reject(error)),
  );
const run = async (body: string, sink: ItemSink, late: Partial<UploadDeps> = {}) => {
  const uploadId = `up-22222222-3333-4444-8555-${String(++uploads).padStart(12, '0')}`;
  const key = `uploads/merchant-a/${uploadId}.csv`;
  const rejectsKey = `reports/merchant-a/${uploadId}.rejects.csv`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  calls = [];
  const deps = {
    s3,
    sink,
    bucketName: BUCKET,
    limits: { ...LIMITS, maxFileBytes: 64 * 1024 * 1024 },
    cardKey: async () => 'k',
    logger,
    ...late,
  };
  const outcome = await processUpload(deps, { bucket: BUCKET, key, versionId: VERSION }).catch(
    (e: unknown) => e,
  );
  const manifest = JSON.parse(
    (await text(`reports/merchant-a/${uploadId}.json`)) ?? 'null',
  ) as UploadManifest;
  return { outcome, manifest, rejectsKey, rejects: await text(rejectsKey) };
};

beforeAll(async () => {
  local = await startS3rver();
  s3 = new S3Client(local.clientConfig);
  s3.middlewareStack.add(
    (next, context) =>
      async function noteCall(args) {
        const name = (context.commandName ?? '').replace(/Command$/, '');
        if (name === 'UploadPart') await partsHeld;
        try {
          const result = await next(args);
          calls.push(name);
          return result;
        } catch (error) {
          calls.push(`${name}!`);
          throw error;
        }
      },
    { step: 'initialize', name: 'noteCall' },
  );
  await createBucket(s3, BUCKET);
});
afterAll(async () => {
  s3.destroy();
  await local.stop();
});
beforeEach(() => jest.clearAllMocks());

describe('processUpload and its rejects file', () => {
  it('streams rejected rows of several parts beside the manifest, and stores the rest', async () => {
    const { outcome, manifest, rejects, rejectsKey } = await run(
      csv(...badRows(MANY), row({ transaction_id: 'good-1' })),
      memorySink().sink,
    );
    expect(outcome).toEqual(manifest);
    expect(manifest).toMatchObject({
      status: 'completed',
      counts: { rows: MANY + 1, stored: 1, rejected: MANY },
      rejectsKey,
    });
    const lines = (rejects ?? '').trim().split('\r\n');
    expect(lines).toHaveLength(MANY + 1);
    expect(lines[1]).toMatch(/^2,INVALID_AMOUNT,amount,/);
    expect(lines[MANY]).toContain(`bad-${MANY - 1}`);
    expect(calls.filter((c) => c === 'UploadPart')).toHaveLength(2);
    expect(calls).toContain('CompleteMultipartUpload');
  });

  it('aborts the rejects upload when the table fails: no rejects object, the table failure reported', async () => {
    const failing: ItemSink = {
      writeBatch: async () => {
        throw new WriteFailedError('still throttled');
      },
    };
    const { outcome, manifest, rejects } = await run(
      csv(...badRows(MANY), row({ transaction_id: 'good-1' })),
      failing,
    );
    expect(outcome).toBeInstanceOf(WriteFailedError);
    expect(manifest).toMatchObject({ status: 'failed', error: { code: 'WRITE_FAILED' } });
    expect(manifest.rejectsKey).toBeUndefined();
    expect(rejects === undefined).toBe(true);
    expect(calls).toContain('UploadPart');
    expect(calls).toContain('AbortMultipartUpload');
    expect(calls).not.toContain('CompleteMultipartUpload');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('a part S3 refuses fails the upload (retried by Lambda) after aborting the rejects upload', async () => {
    local.refusePartsOfNextMultipartUpload();
    const { outcome, manifest, rejects } = await run(csv(...badRows(MANY)), memorySink().sink);
    expect(outcome).toMatchObject({ name: 'InternalError' });
    expect(manifest).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
    expect(rejects === undefined).toBe(true);
    expect(calls).toContain('UploadPart!');
    expect(calls).toContain('AbortMultipartUpload');
    expect(calls).not.toContain('CompleteMultipartUpload');
  });

  it('parts in flight at the hard stop: the time limit is reported in time, and the upload aborted after', async () => {
    let release = () => undefined as void;
    partsHeld = new Promise<void>((go) => (release = go));
    const started = Date.now();
    try {
      // The hard stop 7 s after the start (the rows take 1 to 5 s), Lambda's timeout 7 s after that.
      // Whether it finds rows still being added or the last parts being sent, the outcome is the same.
      const { outcome, manifest, rejects } = await run(csv(...badRows(MANY)), memorySink().sink, {
        remainingMs: () => 14_000,
        deadlineMargins: { stopMs: 100, abortMs: 7_000 },
      });
      expect(outcome).toBeInstanceOf(TimeLimitError);
      expect(Date.now() - started).toBeLessThan(14_000);
      expect(calls).toContain('CreateMultipartUpload');
      expect(manifest).toMatchObject({ status: 'failed', error: { code: 'TIME_LIMIT' } });
      expect(rejects === undefined).toBe(true);
      expect(calls).not.toContain('AbortMultipartUpload'); // its parts are still in flight
    } finally {
      partsHeld = undefined;
      release();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(calls).toContain('AbortMultipartUpload');
    expect(calls).not.toContain('CompleteMultipartUpload');
  });
});
