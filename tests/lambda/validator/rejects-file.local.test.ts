/**
 * The rejects file against a real S3 server (s3rver, with S3's AbortMultipartUpload): a file of
 * several parts reads back byte for byte, with the validator's local client and with the SDK's
 * default checksums (as on AWS); a failed or discarded upload leaves no object and no upload.
 */
import {
  AbortMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
  type CreateMultipartUploadCommandOutput,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../../../lambda/shared/clients';
import { createRejectsFile, PART_SIZE } from '../../../lambda/validator/adapters/rejects-file';
import type { RejectedRow } from '../../../lambda/validator/core/pipeline';
import { createBucket, startS3rver, type LocalS3 } from '../../support/local-s3';

const BUCKET = 'rejects-bucket';
let local: LocalS3;
const clients: S3Client[] = [];
/** Upload ids the clients were given, to check afterwards that S3 no longer knows them. */
const uploadIds: string[] = [];

/** A client that notes the multipart uploads it creates. */
function track(client: S3Client): S3Client {
  client.middlewareStack.add(
    (next) =>
      async function noteUploadId(args) {
        const result = await next(args);
        const id = (result.output as Partial<CreateMultipartUploadCommandOutput>).UploadId;
        if (id) uploadIds.push(id);
        return result;
      },
    { step: 'initialize', name: 'noteUploadId' },
  );
  clients.push(client);
  return client;
}

/** The validator's client, as the handler builds it locally (checksums only when required). */
const validatorClient = () =>
  track(createS3Client(local.clientConfig, { AWS_ENDPOINT_URL_S3: local.endpoint }));
/** The SDK's defaults, as on AWS: a CRC32 checksum on every part and on the multipart upload. */
const defaultClient = () => track(new S3Client(local.clientConfig));

/** Rows of about 1 KiB, with characters of 1 to 4 UTF-8 bytes, so parts end inside a character. */
const rejected = (n: number): RejectedRow => ({
  line: n + 2,
  errors: [{ line: n + 2, column: 'amount', code: 'INVALID_AMOUNT', message: 'must be "positive"' }],
  fields: [`tx-${n}`, `café ☕ 😀 ${'x'.repeat(n % 1000)}`, '**** **** **** 1111'],
});
const lineOf = (n: number) =>
  `${n + 2},INVALID_AMOUNT,amount,"must be ""positive""",tx-${n},café ☕ 😀 ${'x'.repeat(n % 1000)},**** **** **** 1111\r\n`;
const HEADER = 'line,code,column,message,transaction_id,description,card_number\r\n';

const read = async (s3: S3Client, key: string) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { type: object.ContentType, bytes: Buffer.from(await object.Body!.transformToByteArray()) };
};
const knownUpload = (s3: S3Client, key: string, UploadId: string) =>
  s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId })).then(
    () => true,
    (error: Error) => (error.name === 'NoSuchUpload' ? false : Promise.reject(error)),
  );

/** Adds rows until the file holds more than `bytes`; returns the text it must hold. */
async function fill(file: ReturnType<typeof createRejectsFile>, bytes: number): Promise<string> {
  const lines = [HEADER];
  for (let n = 0, size = HEADER.length; size <= bytes; n++) {
    await file.add(rejected(n));
    lines.push(lineOf(n));
    size += Buffer.byteLength(lines[lines.length - 1]);
  }
  return lines.join('');
}

beforeAll(async () => {
  local = await startS3rver();
  await createBucket(validatorClient(), BUCKET);
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await local.stop();
});

describe('the rejects file on a local S3 server', () => {
  it.each([
    ['the validator client (checksums when required)', validatorClient],
    ['the SDK defaults, as on AWS (CRC32 checksums)', defaultClient],
  ])('streams rejects of several parts that read back byte for byte, with %s', async (_name, makeClient) => {
    const s3 = makeClient();
    const key = `reports/merchant-a/up-${clients.length}.rejects.csv`;
    const idsBefore = uploadIds.length;
    const file = createRejectsFile({ s3, bucket: BUCKET, key }, () => [
      'transaction_id',
      'description',
      'card_number',
    ]);
    const expected = Buffer.from(await fill(file, 2.2 * PART_SIZE));
    expect(await file.upload()).toBe(true);
    expect(uploadIds.length - idsBefore).toBe(1); // one multipart upload, of 3 parts
    const object = await read(s3, key);
    expect(object.type).toBe('text/csv; charset=utf-8');
    expect(object.bytes.length).toBe(expected.length);
    expect(object.bytes.equals(expected)).toBe(true);
    expect(await knownUpload(s3, key, uploadIds.at(-1)!)).toBe(false); // completed: no upload left
  });

  it('a part S3 refuses aborts the upload: the error is reported, no object and no upload are left', async () => {
    const s3 = validatorClient();
    const key = 'reports/merchant-a/up-refused.rejects.csv';
    local.refusePartsOfNextMultipartUpload();
    const file = createRejectsFile({ s3, bucket: BUCKET, key }, () => ['transaction_id']);
    const error = await fill(file, 3 * PART_SIZE)
      .then(() => file.upload())
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InternalError' });
    await file.discard();
    await expect(read(s3, key)).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect(await knownUpload(s3, key, uploadIds.at(-1)!)).toBe(false);
  });

  it('discard aborts an upload under way: no object and no upload are left', async () => {
    const s3 = validatorClient();
    const key = 'reports/merchant-a/up-discarded.rejects.csv';
    const file = createRejectsFile({ s3, bucket: BUCKET, key }, () => ['transaction_id']);
    await fill(file, 1.5 * PART_SIZE);
    await file.discard();
    await expect(read(s3, key)).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect(await knownUpload(s3, key, uploadIds.at(-1)!)).toBe(false);
  });
});
