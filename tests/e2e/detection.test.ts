/**
 * Detection over the whole history, end to end: the real bundles on DynamoDB Local with the stream
 * spread over several shards, driven through the merchant API. Each situation is one the
 * compliance team met when the rules saw only one stream batch: a pattern split over files, a
 * cumulative re-export, a pattern spread through a big file or across a batch boundary, two
 * uploads racing on one card, and a card profile built by earlier files (or by later ones).
 * Each pattern must alert once, as it would if the whole history had arrived in one batch.
 */
import { withCheckDigit } from '../../lambda/shared/card-number/luhn';
import { readLocalDefinitions } from '../../tools/local/definitions';
import { transactionKey } from '../../lambda/shared/contract';
import { uploadAndWait, type UploadStatusBody } from '../../tools/local/merchant-client';
import { startLocalPipeline, type LocalPipeline } from '../../tools/local/pipeline';
import { synthesize } from '../../gate/synth/synthesize';
import { DEFAULT_SHARD_COUNT, shardIndexOf } from '../../tools/local/stream-shards';
import { join, resolve } from 'node:path';

const STATE_DIR = join(resolve(__dirname, '..', '..'), '.local', 'e2e-detection');
const HEADER =
  'transaction_id,merchant_id,timestamp,amount,currency,card_number,country,card_type,description';

let pipeline: LocalPipeline;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  pipeline = await startLocalPipeline({
    definitions: readLocalDefinitions(await synthesize()),
    stateDir: STATE_DIR,
    batchingWindowSeconds: 1,
    asyncRetryDelaysMs: [200, 400],
  });
  keyA = pipeline.keys.find((k) => k.merchantId === 'merchant-a')!.value;
  keyB = pipeline.keys.find((k) => k.merchantId === 'merchant-b')!.value;
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
}, 60_000);

/** A Luhn-valid test card number of 16 digits, one per `n` (never a real card: prefix 4000 99). */
function card(n: number): string {
  return withCheckDigit(`400099${String(n).padStart(9, '0')}`);
}

interface Row {
  id: string;
  at: string;
  amount: string;
  card: number;
  merchant?: string;
}

function csv(rows: readonly Row[]): Buffer {
  const lines = rows.map(
    (r) => `${r.id},${r.merchant ?? 'merchant-a'},${r.at},${r.amount},USD,${card(r.card)},FR,visa,e2e`,
  );
  return Buffer.from(`${HEADER}\n${lines.join('\n')}\n`);
}

/** Uploads as the merchant of the rows would, and waits until stored and every alert is sent. */
async function upload(rows: readonly Row[], key = keyA): Promise<UploadStatusBody> {
  const status = await uploadAndWait(pipeline.apiUrl, key, csv(rows), { timeoutMs: 120_000 });
  expect(status.status).toBe('completed');
  await pipeline.settle();
  return status;
}

/** Alerts of a rule that name one of the ids. */
function alertsFor(rule: string, ids: readonly string[]) {
  return pipeline.alerts.filter(
    (alert) =>
      alert.attributes.rule === rule && ids.some((id) => alert.message.includes(`Transaction ${id}\n`)),
  );
}

/** `count` rows of one card, `stepSeconds` apart from `start`. */
function uses(
  prefix: string,
  cardNo: number,
  start: string,
  count: number,
  stepSeconds = 60,
  amount = '21.00',
) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i + 1}`,
    at: new Date(Date.parse(start) + i * stepSeconds * 1000).toISOString(),
    amount,
    card: cardNo,
  }));
}

describe('a pattern split over files', () => {
  test('a card used 6 times in 10 minutes, 3 rows in one file and 3 in the next: one velocity alert', async () => {
    const rows = uses('vel', 1, '2026-05-01T10:00:00Z', 6);
    await upload(rows.slice(0, 3));
    expect(
      alertsFor(
        'velocity',
        rows.map((r) => r.id),
      ),
    ).toEqual([]);
    await upload(rows.slice(3));
    const alerts = alertsFor(
      'velocity',
      rows.map((r) => r.id),
    );
    expect(alerts).toHaveLength(1);
    for (const row of rows) expect(alerts[0].message).toContain(`Transaction ${row.id}\n`);
    expect(alerts[0].message).toContain('6 times within 600 s');
  });

  test('a cumulative re-export completes the pattern once; uploading it again sends nothing', async () => {
    const rows = uses('cum', 2, '2026-05-01T11:00:00Z', 6);
    await upload(rows.slice(0, 3));
    const second = await upload(rows);
    expect(second.counts).toMatchObject({ stored: 3, unchanged: 3 });
    expect(
      alertsFor(
        'velocity',
        rows.map((r) => r.id),
      ),
    ).toHaveLength(1);
    const before = pipeline.alerts.length;
    await upload(rows);
    expect(pipeline.alerts.length).toBe(before);
  });

  test('a duplicate charge split over two files: one duplicate alert naming both', async () => {
    const first = { id: 'dup-1', at: '2026-05-01T12:30:00Z', amount: '249.00', card: 5 };
    const again = { id: 'dup-2', at: '2026-05-01T12:32:00Z', amount: '249.00', card: 5 };
    await upload([first]);
    await upload([again]);
    const alerts = alertsFor('duplicate', ['dup-1']);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain('Transaction dup-2\n');
  });

  test('card testing on one card split over two files: one card-testing alert', async () => {
    const rows = ['1.00', '0.99', '1.50', '2.00'].map((amount, i) => ({
      id: `ct-${i + 1}`,
      at: new Date(Date.parse('2026-05-01T13:00:00Z') + i * 40_000).toISOString(),
      amount,
      card: 6,
    }));
    await upload(rows.slice(0, 2));
    await upload(rows.slice(2));
    expect(alertsFor('card-testing', ['ct-1', 'ct-4'])).toHaveLength(1);
  });

  test('card testing with 11 cards at one merchant, over two files: one alert for the merchant', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({
      id: `ctm-${i + 1}`,
      at: new Date(Date.parse('2026-05-01T14:00:00Z') + i * 20_000).toISOString(),
      amount: '0.50',
      card: 100 + i,
      merchant: 'merchant-b',
    }));
    await upload(rows.slice(0, 6), keyB);
    await upload(rows.slice(6), keyB);
    const alerts = alertsFor(
      'card-testing',
      rows.map((r) => r.id),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain('11 distinct cards');
    expect(alerts[0].attributes.merchant).toBe('merchant-b');
  });
});

describe('a pattern inside one big file', () => {
  test('6 uses spread through a 3,000-row file, and 6 straddling the 100-record batch boundary: one alert each', async () => {
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `big-${i + 1}`,
      at: new Date(Date.parse('2026-05-02T00:00:00Z') + i * 7_000).toISOString(),
      amount: `${10 + (i % 480)}.37`,
      card: 10_000 + i,
    }));
    const spread = [499, 999, 1499, 1999, 2499, 2999];
    spread.forEach((index, n) => {
      rows[index] = { ...rows[index], card: 7, at: `2026-05-03T09:0${n}:00.000Z` };
    });
    for (let index = 96; index < 102; index += 1) rows[index] = { ...rows[index], card: 8 };
    const status = await upload(rows);
    expect(status.counts.stored).toBe(3000);
    const spreadIds = spread.map((i) => rows[i].id);
    const straddling = rows.slice(96, 102).map((r) => r.id);
    expect(alertsFor('velocity', spreadIds)).toHaveLength(1);
    expect(alertsFor('velocity', straddling)).toHaveLength(1);
    const fromThisFile = pipeline.alerts.filter((a) => a.message.includes('Transaction big-'));
    expect(fromThisFile.map((a) => a.attributes.rule).sort()).toEqual(['velocity', 'velocity']);
  }, 180_000);
});

describe('racing uploads', () => {
  test('two files of one card uploaded at once (its rows on several shards): one velocity alert', async () => {
    const rows = uses('race', 9, '2026-05-04T10:00:00Z', 6, 30);
    // The premise: the stream routes these rows to more than one shard (by their partition key).
    const shards = new Set(
      rows.map((r) =>
        shardIndexOf({ transaction_id: { S: transactionKey('merchant-a', r.id) } }, DEFAULT_SHARD_COUNT, [
          'transaction_id',
        ]),
      ),
    );
    expect(shards.size).toBeGreaterThan(1);
    await Promise.all([
      uploadAndWait(pipeline.apiUrl, keyA, csv([rows[0], rows[2], rows[4]])),
      uploadAndWait(pipeline.apiUrl, keyA, csv([rows[1], rows[3], rows[5]])),
    ]);
    await pipeline.settle();
    expect(
      alertsFor(
        'velocity',
        rows.map((r) => r.id),
      ),
    ).toHaveLength(1);
  });
});

describe("the card's own history", () => {
  const history = (prefix: string, cardNo: number): Row[] =>
    ['20.00', '24.50', '18.00'].map((amount, i) => ({
      id: `${prefix}-h${i + 1}`,
      at: `2026-05-0${i + 1}T15:00:00Z`,
      amount,
      card: cardNo,
    }));

  test('an amount 5 times the mean of the 30 days before, after three earlier files: one unusual-amount alert', async () => {
    for (const row of history('prof', 11)) await upload([row]);
    const spike = { id: 'prof-spike', at: '2026-05-10T15:00:00Z', amount: '150.00', card: 11 };
    await upload([spike]);
    const alerts = alertsFor('unusual-amount', ['prof-spike']);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain('mean of 20.83 over its 3 transactions');
  });

  test('the same when the history arrives after the spike', async () => {
    const spike = { id: 'late-spike', at: '2026-05-10T15:00:00Z', amount: '150.00', card: 12 };
    await upload([spike]);
    expect(alertsFor('unusual-amount', ['late-spike'])).toEqual([]);
    await upload(history('late', 12));
    expect(alertsFor('unusual-amount', ['late-spike'])).toHaveLength(1);
  });

  test('no alert for an amount under 5 times the mean', async () => {
    for (const row of history('calm', 13)) await upload([row]);
    await upload([{ id: 'calm-next', at: '2026-05-10T15:00:00Z', amount: '99.00', card: 13 }]);
    expect(alertsFor('unusual-amount', ['calm-next'])).toEqual([]);
  });
});

test('nothing failed on the way: no record reached a failure queue', () => {
  expect(pipeline.failures).toEqual([]);
});
