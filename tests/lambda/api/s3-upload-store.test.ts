/** Fault paths of the S3 adapter, with aws-sdk-client-mock (the happy path runs against s3rver). */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ManifestUnreadableError, s3UploadStore } from '../../../lambda/api/s3-upload-store';

const s3Mock = mockClient(S3Client);
const store = s3UploadStore(new S3Client({ region: 'us-east-1' }), 'bucket');

const s3Error = (name: string, httpStatusCode: number) =>
  new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });

/** The part of the SDK's streaming body the adapter uses. */
const body = (text: string) => ({ transformToString: async () => text });

beforeEach(() => s3Mock.reset());

describe('S3 upload store', () => {
  it('finds the file and the issued marker by their exact keys in one listing', async () => {
    const issued = new Date('2026-03-01T12:00:00.000Z');
    s3Mock.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'uploads/m/x.csv.bak' }, { Key: 'uploads/m/x.issued.old', LastModified: issued }],
    });
    await expect(store.uploadObjects('m', 'x')).resolves.toEqual({
      fileReceived: false,
      issuedAt: undefined,
    });
    s3Mock.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'uploads/m/x.csv' }, { Key: 'uploads/m/x.issued', LastModified: issued }],
    });
    await expect(store.uploadObjects('m', 'x')).resolves.toEqual({ fileReceived: true, issuedAt: issued });
    s3Mock.on(ListObjectsV2Command).resolves({});
    await expect(store.uploadObjects('m', 'x')).resolves.toEqual({
      fileReceived: false,
      issuedAt: undefined,
    });
  });

  it('never reads an upload (it holds full card numbers): existence is a listing under the id', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'uploads/m/x.csv' }] });
    await store.uploadObjects('m', 'x');
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(ListObjectsV2Command)[0].args[0].input).toEqual({
      Bucket: 'bucket',
      Prefix: 'uploads/m/x.',
      MaxKeys: 10,
    });
  });

  it('writes the issued marker as an empty object beside the file key', async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    await store.markIssued('m', 'x');
    expect(s3Mock.commandCalls(PutObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'bucket',
      Key: 'uploads/m/x.issued',
      Body: '',
    });
  });

  it('a 403 is a permission fault, not an absent object', async () => {
    s3Mock.on(ListObjectsV2Command).rejects(s3Error('AccessDenied', 403));
    await expect(store.uploadObjects('m', 'x')).rejects.toThrow();
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'reports/m/x.json' }] });
    s3Mock.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store.readManifest('reports/m/x.json')).rejects.toThrow();
  });

  it('other S3 failures propagate (they become a generic 500)', async () => {
    s3Mock.on(ListObjectsV2Command).rejects(s3Error('InternalError', 500));
    await expect(store.uploadObjects('m', 'x')).rejects.toThrow();
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'reports/m/x.json' }] });
    s3Mock.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));
    await expect(store.readManifest('reports/m/x.json')).rejects.toThrow();
  });

  it('a manifest not listed is undefined without a read; a listed one is parsed', async () => {
    s3Mock.on(ListObjectsV2Command).resolvesOnce({});
    await expect(store.readManifest('reports/m/x.json')).resolves.toBeUndefined();
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'reports/m/x.json' }] });
    s3Mock.on(GetObjectCommand).resolves({ Body: body('{"status":"completed"}') } as never);
    await expect(store.readManifest('reports/m/x.json')).resolves.toEqual({ status: 'completed' });
  });

  it('a manifest deleted between listing and reading is undefined', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'reports/m/x.json' }] });
    s3Mock.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    await expect(store.readManifest('reports/m/x.json')).resolves.toBeUndefined();
  });

  it('a manifest that is not JSON is a typed internal error', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'reports/m/x.json' }] });
    s3Mock.on(GetObjectCommand).resolves({ Body: body('{oops') } as never);
    await expect(store.readManifest('reports/m/x.json')).rejects.toBeInstanceOf(ManifestUnreadableError);
  });
});
