/**
 * The rejects file against a mocked S3: what it sends, that memory stays bounded (add waits), and
 * that every way it can fail or be discarded aborts the multipart upload and says why.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type UploadPartCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createRejectsFile,
  PART_SIZE,
  QUEUE_SIZE,
  type RejectsFileOptions,
} from '../../../lambda/validator/adapters/rejects-file';
import type { RejectedRow } from '../../../lambda/validator/core/pipeline';

const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s3 = mockClient(client);
const TARGET = { s3: client, bucket: 'bucket', key: 'reports/merchant-a/up-1.rejects.csv' };
const HEADER = 'line,code,column,message,transaction_id,note\r\n';
const PADDING = 'p'.repeat(200);

/** Rejected row `n` (line n + 1), and the CSV line the file must hold for it. */
const rejected = (n: number): RejectedRow => ({
  line: n + 1,
  errors: [{ line: n + 1, column: 'amount', code: 'INVALID_AMOUNT', message: 'bad' }],
  fields: [`tx-${n}`, PADDING],
});
const lineOf = (n: number) => `${n + 1},INVALID_AMOUNT,amount,bad,tx-${n},${PADDING}\r\n`;
/** How many rows make about `bytes` of rejects. */
const rowsFor = (bytes: number) => Math.ceil(bytes / lineOf(0).length);

const open = (options: RejectsFileOptions = {}) =>
  createRejectsFile(TARGET, () => ['transaction_id', 'note'], options);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Whether `work` is still pending after `ms` (it is waiting, not just slow to be scheduled). */
const stillPending = async (work: Promise<unknown>, ms = 200) =>
  (await Promise.race([work.then(() => false), delay(ms).then(() => true)])) as boolean;

/** Parts as S3 received them, and a way to hold them in flight. */
function mockMultipart({ holdParts = false } = {}) {
  const parts = new Map<number, Buffer>();
  const held: ((error?: Error) => void)[] = [];
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'mpu-1' });
  s3.on(UploadPartCommand).callsFake(async (input: UploadPartCommandInput) => {
    if (holdParts)
      await new Promise<void>((release, fail) => held.push((error) => (error ? fail(error) : release())));
    parts.set(input.PartNumber!, Buffer.from(input.Body as Uint8Array));
    return { ETag: `"etag-${input.PartNumber}"` };
  });
  s3.on(CompleteMultipartUploadCommand).resolves({});
  s3.on(AbortMultipartUploadCommand).resolves({});
  return {
    parts,
    /** Lets every held part through, and those that come later. */
    release: () => {
      holdParts = false;
      held.splice(0).forEach((go) => go());
    },
    /** Fails every held part with `error`. */
    fail: (error: Error) => held.splice(0).forEach((go) => go(error)),
    object: () =>
      Buffer.concat([...parts.entries()].sort(([a], [b]) => a - b).map(([, data]) => data)).toString(),
  };
}

const aborts = () => s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input);

beforeEach(() => s3.reset());
afterAll(() => s3.restore());

describe('the rejects file', () => {
  it('writes no object when no row was rejected', async () => {
    const file = open();
    expect(await file.upload()).toBe(false);
    expect(file.count).toBe(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('sends rejects smaller than a part as one PutObject: the header, then each row, as CSV', async () => {
    s3.on(PutObjectCommand).resolves({});
    const file = open();
    await file.add(rejected(1));
    await file.add(rejected(2));
    expect(await file.upload()).toBe(true);
    expect(file.count).toBe(2);
    const input = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(input).toMatchObject({
      Bucket: 'bucket',
      Key: TARGET.key,
      ContentType: 'text/csv; charset=utf-8',
    });
    expect(Buffer.from(input.Body as Uint8Array).toString()).toBe(HEADER + lineOf(1) + lineOf(2));
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('streams rejects larger than a part as a multipart upload, and completes it with every part in order', async () => {
    const mp = mockMultipart();
    const file = open();
    const rows = rowsFor(2.5 * PART_SIZE);
    let expected = HEADER;
    for (let n = 0; n < rows; n++) {
      await file.add(rejected(n));
      expected += lineOf(n);
    }
    expect(await file.upload()).toBe(true);
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0].args[0].input).toMatchObject({
      Bucket: 'bucket',
      Key: TARGET.key,
      ContentType: 'text/csv; charset=utf-8',
    });
    expect(mp.object()).toBe(expected);
    expect([...mp.parts.values()].map((p) => p.length)).toEqual([
      PART_SIZE,
      PART_SIZE,
      Buffer.byteLength(expected) - 2 * PART_SIZE,
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input.MultipartUpload).toEqual({
      Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: `"etag-${n}"` })),
    });
    expect(aborts()).toEqual([]);
  });

  it('makes add wait while the parts in flight fill its memory bound, and go on once they are sent', async () => {
    const mp = mockMultipart({ holdParts: true });
    const file = open();
    let accepted = 0;
    let n = 0;
    let waiting: Promise<void> | undefined;
    while (!waiting) {
      const adding = file.add(rejected(n));
      if (await stillPending(adding)) waiting = adding;
      else accepted += lineOf(n++).length;
      if (accepted > 10 * PART_SIZE) throw new Error('add never waited');
    }
    // Both parts are held in flight; the stream's buffers and the rows not yet handed on are all else.
    expect(accepted).toBeGreaterThan(QUEUE_SIZE * PART_SIZE);
    expect(accepted).toBeLessThan((QUEUE_SIZE + 1) * PART_SIZE);
    expect(s3.commandCalls(UploadPartCommand)).toHaveLength(QUEUE_SIZE);
    mp.release();
    await waiting;
    expect(await file.upload()).toBe(true);
    expect(mp.object().length).toBe(HEADER.length + accepted + lineOf(n).length);
  });

  it('aborts the multipart upload when a part fails, and reports that failure', async () => {
    mockMultipart();
    const refused = Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError' });
    s3.on(UploadPartCommand).rejects(refused);
    const file = open();
    const error = await (async () => {
      for (let n = 0; n < rowsFor(3 * PART_SIZE); n++) await file.add(rejected(n));
      return file.upload();
    })().catch((e: unknown) => e);
    expect(error).toBe(refused);
    expect(aborts()).toEqual([{ Bucket: 'bucket', Key: TARGET.key, UploadId: 'mpu-1' }]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    await expect(file.add(rejected(0))).rejects.toThrow(/closed/);
    await file.discard(); // already aborted: nothing more is sent
    expect(aborts()).toHaveLength(1);
  });

  it('a part that fails while add waits for room: add reports that failure, once the upload is aborted', async () => {
    const mp = mockMultipart({ holdParts: true });
    const file = open();
    let adding: Promise<void> = Promise.resolve();
    for (let n = 0; !(await stillPending(adding, 20)); n++) adding = file.add(rejected(n));
    const refused = Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError' });
    // S3 answers the abort after a round trip, as lib-storage has already stopped reading the stream.
    s3.on(AbortMultipartUploadCommand).callsFake(() => delay(20).then(() => ({})));
    mp.fail(refused);
    await expect(adding).rejects.toBe(refused);
    expect(aborts()).toEqual([{ Bucket: 'bucket', Key: TARGET.key, UploadId: 'mpu-1' }]);
    await file.discard();
    expect(aborts()).toHaveLength(1);
  });

  it('aborts the multipart upload when its completion fails, and reports that failure', async () => {
    mockMultipart();
    const refused = Object.assign(new Error('One or more of the specified parts could not be found.'), {
      name: 'InvalidPart',
    });
    s3.on(CompleteMultipartUploadCommand).rejects(refused);
    const file = open();
    for (let n = 0; n < rowsFor(1.5 * PART_SIZE); n++) await file.add(rejected(n));
    await expect(file.upload()).rejects.toBe(refused);
    expect(aborts()).toEqual([{ Bucket: 'bucket', Key: TARGET.key, UploadId: 'mpu-1' }]);
  });

  it('discard waits for the parts in flight, then aborts the multipart upload: no part is left', async () => {
    const mp = mockMultipart({ holdParts: true });
    const file = open();
    for (let n = 0; n < rowsFor(1.5 * PART_SIZE); n++) await file.add(rejected(n));
    await delay(50); // part 1 is in flight
    const discarding = file.discard();
    expect(await stillPending(discarding, 100)).toBe(true);
    expect(aborts()).toEqual([]);
    mp.release();
    await discarding;
    expect(aborts()).toEqual([{ Bucket: 'bucket', Key: TARGET.key, UploadId: 'mpu-1' }]);
    const calls = s3.calls().map((c) => c.args[0].constructor.name);
    expect(calls.at(-1)).toBe('AbortMultipartUploadCommand');
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('discard before a whole part was written sends nothing at all', async () => {
    const file = open();
    await file.add(rejected(1));
    await file.discard();
    expect(s3.calls()).toHaveLength(0);
  });

  it('discard reports an abort that S3 refuses', async () => {
    mockMultipart();
    const refused = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    s3.on(AbortMultipartUploadCommand).rejects(refused);
    const file = open();
    for (let n = 0; n < rowsFor(1.5 * PART_SIZE); n++) await file.add(rejected(n));
    await delay(50);
    await expect(file.discard()).rejects.toBe(refused);
  });

  it('at the hard stop, a waiting add gives up; discard then waits a bounded time, and the abort follows the parts', async () => {
    const mp = mockMultipart({ holdParts: true });
    const hardStop = new AbortController();
    const file = open({ signal: hardStop.signal, discardWaitMs: 100 });
    let adding: Promise<void> = Promise.resolve();
    for (let n = 0; !(await stillPending(adding, 20)); n++) adding = file.add(rejected(n));
    hardStop.abort();
    await expect(adding).rejects.toMatchObject({ name: 'AbortError' });
    await expect(file.discard()).rejects.toThrow('The rejects upload was not aborted within 100 ms.');
    expect(aborts()).toEqual([]);
    mp.release(); // the parts in flight end after all: lib-storage still aborts
    await delay(50);
    expect(aborts()).toEqual([{ Bucket: 'bucket', Key: TARGET.key, UploadId: 'mpu-1' }]);
  });

  it('at the hard stop while the last parts are sent, discard keeps them from completing: they are aborted once sent', async () => {
    const mp = mockMultipart({ holdParts: true });
    const hardStop = new AbortController();
    const file = open({ signal: hardStop.signal });
    for (let n = 0; n < rowsFor(1.5 * PART_SIZE); n++) await file.add(rejected(n));
    const uploading = file.upload();
    await delay(50); // lib-storage has read every row: both parts are in flight
    hardStop.abort();
    await expect(uploading).rejects.toMatchObject({ name: 'AbortError' });
    await file.discard();
    mp.release();
    await delay(50);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(aborts()).toEqual([{ Bucket: 'bucket', Key: TARGET.key, UploadId: 'mpu-1' }]);
  });
});
