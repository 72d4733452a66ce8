import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { freePort } from '../../../tools/local/free-port';
import { LOCAL_CREDENTIALS } from '../../../tools/local/local-env';
import { startLocalS3, type LocalS3 } from '../../../tools/local/s3-local';

const BUCKET = 's3-multipart-bucket';
let s3: LocalS3;
let client: S3Client;

const clientWith = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });

beforeAll(async () => {
  s3 = await startLocalS3({ bucket: BUCKET, port: await freePort(), onObjectEvent: () => undefined });
  client = clientWith(LOCAL_CREDENTIALS);
});
afterAll(async () => {
  client.destroy();
  await s3.stop();
});

const create = async (Key: string): Promise<string> =>
  (await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }))).UploadId!;
const part = (Key: string, UploadId: string, PartNumber: number, Body: string) =>
  client.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber, Body }));
const abort = (Key: string, UploadId: string, on = client) =>
  on.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId }));
const complete = async (Key: string, UploadId: string, etags: string[]) =>
  client.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key,
      UploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }),
  );

describe('multipart uploads on the local S3 server', () => {
  test('completes an upload from its parts, in part order', async () => {
    const key = 'reports/m/complete.rejects.csv';
    const id = await create(key);
    const first = await part(key, id, 1, 'one,');
    const second = await part(key, id, 2, 'two\r\n');
    await complete(key, id, [first.ETag!, second.ETag!]);
    const body = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await body.Body!.transformToString()).toBe('one,two\r\n');
  });

  test('aborts an upload as S3 does: its parts are gone, and the upload id is then unknown', async () => {
    const key = 'reports/m/aborted.rejects.csv';
    const id = await create(key);
    const sent = await part(key, id, 1, 'never stored');
    expect((await abort(key, id)).$metadata.httpStatusCode).toBe(204);
    await expect(abort(key, id)).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(complete(key, id, [sent.ETag!])).rejects.toThrow();
    await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  test('checks the caller of an abort like any other request', async () => {
    const key = 'reports/m/kept.rejects.csv';
    const id = await create(key);
    const stranger = clientWith({ accessKeyId: 'NOT-S3RVER', secretAccessKey: 'x' });
    try {
      await expect(abort(key, id, stranger)).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    } finally {
      stranger.destroy();
    }
    expect((await abort(key, id)).$metadata.httpStatusCode).toBe(204);
  });

  test('refuses every part of the next upload when told to, and only of that one', async () => {
    s3.refusePartsOfNextMultipartUpload();
    const key = 'reports/m/refused.rejects.csv';
    const refused = await create(key);
    await expect(part(key, refused, 1, 'x')).rejects.toMatchObject({
      name: 'InternalError',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(part(key, refused, 1, 'x')).rejects.toMatchObject({ name: 'InternalError' });
    const next = await create(key);
    await expect(part(key, next, 1, 'y')).resolves.toMatchObject({ ETag: expect.any(String) });
    await abort(key, refused);
    await abort(key, next);
  });
});
