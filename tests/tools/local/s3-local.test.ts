import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '../../../tools/local/free-port';
import { LOCAL_CREDENTIALS } from '../../../tools/local/local-env';
import { startLocalS3, type LocalS3 } from '../../../tools/local/s3-local';
import type { ObjectEvent } from '../../../tools/local/s3-notifications';

const BUCKET = 's3-test-bucket';
let s3: LocalS3;
let client: S3Client;
const events: ObjectEvent[] = [];

beforeAll(async () => {
  s3 = await startLocalS3({ bucket: BUCKET, port: await freePort(), onObjectEvent: (e) => events.push(e) });
  client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  client.destroy();
  await s3.stop();
});

const put = (Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
const get = async (Key: string) =>
  (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString();

describe('the local S3 server', () => {
  test('reports a created object with its raw key and size', async () => {
    await put('uploads/m/a b.csv', 'x,y\n');
    expect(events).toContainEqual(
      expect.objectContaining({
        eventName: 'ObjectCreated:Put',
        bucket: BUCKET,
        key: 'uploads/m/a b.csv',
        size: 4,
      }),
    );
  });

  test('names a new version id in the event of every write, as a versioned bucket does', async () => {
    await put('uploads/m/versioned.csv', 'one\n');
    await put('uploads/m/versioned.csv', 'two\n');
    const versions = events.filter((e) => e.key === 'uploads/m/versioned.csv').map((e) => e.versionId);
    expect(versions).toHaveLength(2);
    for (const v of versions) expect(v).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(versions[0]).not.toBe(versions[1]);
  });

  test('a reader sees the old or the new object while it is overwritten, never a part of one', async () => {
    const a = 'a'.repeat(512 * 1024);
    const b = 'b'.repeat(256 * 1024);
    await put('reports/m/manifest.json', a);
    const writes = Array.from({ length: 10 }, (_, i) => put('reports/m/manifest.json', i % 2 ? a : b));
    const reads = Array.from({ length: 20 }, () => get('reports/m/manifest.json'));
    const bodies = await Promise.all(reads);
    await Promise.all(writes);
    for (const body of bodies) expect(body === a || body === b).toBe(true);
  });
});
