/**
 * The validator handler end to end against DynamoDB Local and s3rver: what it stores, the
 * manifest and rejects it writes, idempotent re-delivery, conflicts and refusals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { S3Event } from 'aws-lambda';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { METRIC } from '../../../lambda/shared/contract';
import type { UploadManifest } from '../../../lambda/shared/manifest';
import {
  captureOutput,
  getText,
  listKeys,
  newUploadId,
  putUpload,
  scanItems,
  startHarness,
  streamRecords,
  type Harness,
} from './local-harness';
import { jsonWithoutDigests } from '../../support/digests';
import { csv, row } from './helpers';

const secrets = mockClient(SecretsManagerClient);
const samples = join(__dirname, '../../../samples');
let h: Harness;
let handler: (event: S3Event) => Promise<void>;
const output = { lines: [] as string[] };

const manifestOf = async (merchant: string, uploadId: string): Promise<UploadManifest> =>
  JSON.parse((await getText(h.s3, `reports/${merchant}/${uploadId}.json`)) ?? 'null') as UploadManifest;

/** Runs a handler with its output captured for the final scan. */
const run = async (event: S3Event, fn: (event: S3Event) => Promise<void> = handler): Promise<unknown> => {
  const capture = captureOutput();
  try {
    await fn(event);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    capture.restore();
    output.lines.push(...capture.lines);
  }
};

/** Uploads `body` as a new upload of merchant-a and runs the handler on its event. */
const upload = async (body: string | Buffer, merchant = 'merchant-a', uploadId = newUploadId()) => {
  const key = `uploads/${merchant}/${uploadId}.csv`;
  const event = await putUpload(h.s3, key, body);
  const error = await run(event);
  if (error) throw error;
  return { uploadId, key, event, manifest: await manifestOf(merchant, uploadId) };
};

beforeAll(async () => {
  h = await startHarness();
  secrets
    .on(GetSecretValueCommand, { SecretId: 'secret-card-hash-test' })
    .resolves({ SecretString: 'local-test-key' });
  // The handler reads its environment at module load (cold start): load it once the harness set it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require('../../../lambda/validator/handler').handler;
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('validator handler against DynamoDB Local and s3rver', () => {
  it('stores a clean file: last four digits and HMAC only, and a completed manifest', async () => {
    const { manifest, uploadId, event } = await upload(readFileSync(join(samples, 'transactions-clean.csv')));
    expect(manifest).toMatchObject({
      uploadId,
      merchantId: 'merchant-a',
      status: 'completed',
      counts: { rows: 8, accepted: 8, stored: 8, unchanged: 0, rejected: 0, conflicts: 0 },
      rejected: [],
    });
    expect(manifest.durationMs).toBeGreaterThanOrEqual(0);
    const items = await scanItems(h.db);
    const first = items.find((i) => i.transaction_id === 'merchant-a#tx-1001');
    expect(first).toMatchObject({
      timestamp: '2024-05-01T09:15:00.000Z',
      amount: 42.5,
      currency: 'EUR',
      card_last4: '1111',
      card_type: 'visa',
      country: 'FR',
      upload_id: uploadId,
      source_line: 2,
    });
    expect(first?.card_hash).toMatch(/^[0-9a-f]{64}$/);
    // When S3 created the file, so the detector can time the file's alerts (UploadToAlertSeconds).
    expect(first?.uploaded_at).toBe(new Date(event.Records[0].eventTime).toISOString());
    expect(Object.keys(first ?? {})).not.toContain('card_number');
    expect(items.find((i) => i.transaction_id === 'merchant-a#tx-1003')?.timestamp).toBe(
      '2024-05-01T08:02:00.000Z',
    );
  });

  it('emits, per file, the seconds from the S3 event time to its final manifest (the SLA metric)', async () => {
    const uploadId = newUploadId();
    const event = await putUpload(
      h.s3,
      `uploads/merchant-a/${uploadId}.csv`,
      csv(row({ transaction_id: 'sla-1' })),
    );
    // As if S3 had created the object two and a half minutes ago (a queued or retried event).
    event.Records[0].eventTime = new Date(Date.now() - 150_000).toISOString();
    const capture = captureOutput();
    try {
      await handler(event);
    } finally {
      capture.restore();
      output.lines.push(...capture.lines);
    }
    const emf = capture.lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    const withSla = emf.filter((m) => METRIC.uploadToManifestSeconds in m);
    expect(withSla).toHaveLength(1);
    const [blob] = withSla;
    expect(blob[METRIC.uploadToManifestSeconds]).toBeGreaterThanOrEqual(150);
    expect(blob[METRIC.uploadToManifestSeconds]).toBeLessThan(180);
    expect(blob._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'TransactionProcessorTest',
      Dimensions: [['service']],
      Metrics: expect.arrayContaining([{ Name: METRIC.uploadToManifestSeconds, Unit: 'Seconds' }]),
    });
  });

  it('re-delivery of the same event leaves the table unchanged and adds no stream record', async () => {
    const body = csv(row({ transaction_id: 'redeliver-1' }), row({ transaction_id: 'redeliver-2' }));
    const first = await upload(body);
    const before = await streamRecords(h);
    const itemsBefore = await scanItems(h.db);
    expect(await run(first.event)).toBeUndefined();
    const again = await manifestOf('merchant-a', first.uploadId);
    expect(again.counts).toMatchObject({ rows: 2, accepted: 2, stored: 0, unchanged: 2, rejected: 0 });
    expect(await scanItems(h.db)).toEqual(itemsBefore);
    const after = await streamRecords(h);
    expect(after.length).toBe(before.length);
    expect(before.filter((r) => r.eventName === 'INSERT').length).toBeGreaterThanOrEqual(2);
    expect(after.some((r) => r.eventName === 'MODIFY')).toBe(false);
  });

  it('rejects a row whose key is stored with different content, and never overwrites it', async () => {
    await upload(csv(row({ transaction_id: 'conflict-1', amount: '10.00' })));
    const { manifest, uploadId } = await upload(
      csv(row({ transaction_id: 'conflict-1', amount: '99.00' }), row({ transaction_id: 'conflict-2' })),
    );
    expect(manifest.counts).toMatchObject({ rows: 2, accepted: 1, stored: 1, rejected: 1, conflicts: 1 });
    expect(manifest.rejected).toEqual([
      expect.objectContaining({ line: 2, column: 'transaction_id', code: 'CONFLICT' }),
    ]);
    const stored = (await scanItems(h.db)).find((i) => i.transaction_id === 'merchant-a#conflict-1');
    expect(stored?.amount).toBe(10);
    const rejects = await getText(h.s3, `reports/merchant-a/${uploadId}.rejects.csv`);
    expect(rejects).toContain('CONFLICT');
  });

  it('lets another merchant use the same transaction id and timestamp, and tells neither about the other', async () => {
    const sameKey = row({ transaction_id: 'shared-1', amount: '10.00' });
    const first = await upload(csv(sameKey), 'merchant-a');
    const second = await upload(
      csv(row({ transaction_id: 'shared-1', amount: '77.00', merchant_id: 'merchant-b' })),
      'merchant-b',
    );
    const fresh = await upload(
      csv(row({ transaction_id: 'shared-2', amount: '77.00', merchant_id: 'merchant-b' })),
      'merchant-b',
    );
    // B's answer for A's id is exactly its answer for an id nobody has.
    expect(second.manifest.counts).toEqual(fresh.manifest.counts);
    expect(second.manifest.counts).toMatchObject({ stored: 1, conflicts: 0, rejected: 0 });
    expect(second.manifest.rejected).toEqual(fresh.manifest.rejected);
    expect(first.manifest.counts).toMatchObject({ stored: 1 });
    const items = await scanItems(h.db);
    expect(items.find((i) => i.transaction_id === 'merchant-a#shared-1')).toMatchObject({
      amount: 10,
      merchant_id: 'merchant-a',
    });
    expect(items.find((i) => i.transaction_id === 'merchant-b#shared-1')).toMatchObject({
      amount: 77,
      merchant_id: 'merchant-b',
    });
  });

  it('writes rejected rows with reasons and masked cards beside the manifest', async () => {
    const { manifest, uploadId } = await upload(readFileSync(join(samples, 'transactions-with-errors.csv')));
    expect(manifest.status).toBe('completed');
    expect(manifest.counts).toMatchObject({ rows: 15, accepted: 2, rejected: 13 });
    expect(manifest.rejectsKey).toBe(`reports/merchant-a/${uploadId}.rejects.csv`);
    const rejects = (await getText(h.s3, manifest.rejectsKey as string)) ?? '';
    const lines = rejects.trim().split('\r\n');
    expect(lines[0]).toBe(
      'line,code,column,message,transaction_id,merchant_id,timestamp,amount,currency,card_number,country,card_type,description',
    );
    expect(lines).toHaveLength(14);
    expect(lines[1]).toMatch(/^3,INVALID_CARD_NUMBER,card_number,.*\*\*\*\* \*\*\*\* \*\*\*\* 1112/);
    expect(rejects).toContain('MERCHANT_MISMATCH');
    expect(rejects).toContain(',-5.00,'); // a negative number is data, not a formula: kept as is
    expect(holdsCardNumber(rejects)).toBe(false);
  });

  it.each([
    ['a CVV column', csv(row()).replace('description', 'cvv'), 'SENSITIVE_DATA'],
    [
      'bad quoting after 500 good rows',
      `${csv(...Array.from({ length: 500 }, (_, i) => row({ transaction_id: `late-${i}` })))}x,"open\n`,
      'MALFORMED_CSV',
    ],
    [
      'Latin-1 bytes',
      Buffer.concat([
        Buffer.from(csv(row({ transaction_id: 'latin' }))),
        Buffer.from('tx-9,caf\xe9\n', 'latin1'),
      ]),
      'NOT_UTF8',
    ],
    ['an empty body', '', 'EMPTY_FILE'],
  ])('refuses a file with %s and stores nothing from it', async (_name, body, code) => {
    const before = (await scanItems(h.db)).length;
    const { manifest } = await upload(body);
    expect(manifest.status).toBe('refused');
    expect(manifest.refusal?.code).toBe(code);
    expect(manifest.counts.stored).toBe(0);
    expect((await scanItems(h.db)).length).toBe(before);
  });

  it("rejects rows naming another merchant than the upload's path", async () => {
    const { manifest } = await upload(csv(row({ transaction_id: 'path-1', merchant_id: 'merchant-b' })));
    expect(manifest.counts).toMatchObject({ rows: 1, accepted: 0, rejected: 1 });
    expect(manifest.rejected[0]).toMatchObject({ column: 'merchant_id', code: 'MERCHANT_MISMATCH' });
    expect((await scanItems(h.db)).some((i) => i.transaction_id === 'merchant-a#path-1')).toBe(false);
  });

  it('ignores an object outside uploads/{merchantId}/{uploadId}.csv: no manifest, nothing stored', async () => {
    const before = (await scanItems(h.db)).length;
    const event = await putUpload(
      h.s3,
      'uploads/merchant-a/not-an-upload-id.csv',
      csv(row({ transaction_id: 'stray' })),
    );
    expect(await run(event)).toBeUndefined();
    expect(await listKeys(h.s3, 'reports/merchant-a/not-an-upload-id')).toEqual([]);
    expect((await scanItems(h.db)).length).toBe(before);
  });

  it('a missing card-hash secret at cold start fails the invocation and says so in the manifest', async () => {
    let coldHandler: (event: S3Event) => Promise<void> = async () => undefined;
    jest.isolateModules(() => {
      // A fresh module registry is a fresh cold start, with its own (failing) Secrets Manager.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const sm =
        require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
      mockClient(sm.SecretsManagerClient)
        .on(sm.GetSecretValueCommand)
        .rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
      coldHandler = require('../../../lambda/validator/handler').handler;
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    const uploadId = newUploadId();
    const event = await putUpload(
      h.s3,
      `uploads/merchant-a/${uploadId}.csv`,
      csv(row({ transaction_id: 'nokey' })),
    );
    const error = await run(event, coldHandler);
    expect((error as Error)?.name).toBe('CardKeyUnavailableError');
    const manifest = await manifestOf('merchant-a', uploadId);
    expect(manifest).toMatchObject({ status: 'failed', error: { code: 'CARD_KEY_UNAVAILABLE' } });
    expect(manifest.error?.message).toMatch(
      /secret-card-hash-test could not be read \(ResourceNotFoundException\)/,
    );
    expect((await scanItems(h.db)).some((i) => i.transaction_id === 'merchant-a#nokey')).toBe(false);
  });

  it('nothing it produced holds a full card number: items, reports, stream, logs', async () => {
    const items = await scanItems(h.db);
    expect(items.length).toBeGreaterThan(10);
    expect(holdsCardNumber(jsonWithoutDigests(items))).toBe(false);
    for (const key of await listKeys(h.s3, 'reports/')) {
      expect({ key, pan: holdsCardNumber((await getText(h.s3, key)) ?? '') }).toEqual({ key, pan: false });
    }
    // Images only: stream sequence numbers are long digit runs, not card data.
    const images = (await streamRecords(h)).map((r) => [r.dynamodb?.NewImage, r.dynamodb?.OldImage]);
    expect(images.length).toBeGreaterThan(10);
    expect(holdsCardNumber(jsonWithoutDigests(images))).toBe(false);
    const logs = output.lines.filter((line) => line.includes('"level"'));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter(holdsCardNumber)).toEqual([]);
  });
});
