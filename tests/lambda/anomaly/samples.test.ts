/**
 * samples/anomalies.csv is what a newcomer uploads to see every rule fire: check that, with the
 * default thresholds, each rule flags exactly the rows the file says it should.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { AlertMessage } from '../../../lambda/anomaly/alerts';
import { detectAndAlert } from '../../../lambda/anomaly/detector';
import { cardHash, last4, luhnValid } from '../../../lambda/shared/card';
import { image, LIMITS } from './fixtures';
import { memoryStateStore } from './memory-state';

const SAMPLES = join(__dirname, '../../../samples');
const rows = (file: string): Record<string, string>[] =>
  parse(readFileSync(join(SAMPLES, file)), { columns: true, skip_empty_lines: true });

/** The row as the validator stores it, as a stream INSERT. */
const asInsert = (row: Record<string, string>, index: number) => ({
  eventName: 'INSERT' as const,
  dynamodb: {
    SequenceNumber: String(index + 1),
    NewImage: image({
      transaction_id: row.transaction_id,
      timestamp: new Date(row.timestamp).toISOString(),
      merchant_id: row.merchant_id,
      amount: Number(row.amount),
      currency: row.currency,
      card_last4: last4(row.card_number),
      card_hash: cardHash(row.card_number, 'sample-key'),
      country: row.country,
    }) as never,
  },
});

describe('samples/anomalies.csv', () => {
  const data = rows('anomalies.csv');

  it('is merchant-a only, with Luhn-valid test card numbers', () => {
    expect(new Set(data.map((row) => row.merchant_id))).toEqual(new Set(['merchant-a']));
    for (const row of data) expect(luhnValid(row.card_number)).toBe(true);
  });

  it('trips every rule on the rows it describes, and nothing on the ordinary rows', async () => {
    const sent: AlertMessage[] = [];
    await detectAndAlert(data.map(asInsert), {
      store: memoryStateStore(),
      publish: async (alert) => void sent.push(alert),
      limits: LIMITS,
      leaseMs: 60_000,
      remainingMs: () => 60_000,
    });
    const episodes = sent.flatMap((alert) => alert.episodes);
    const byRule = (rule: string) => [
      ...new Set(
        episodes
          .filter((episode) => episode.rule === rule)
          .flatMap((episode) => episode.transactions.map((t) => t.transactionId))
          .sort(),
      ),
    ];
    expect(byRule('high-amount')).toEqual(['an-0002']);
    expect(byRule('round-amount')).toEqual(['an-0003']);
    expect(byRule('high-risk-country')).toEqual(['an-0004']);
    expect(byRule('velocity')).toEqual(['an-0005', 'an-0006', 'an-0007', 'an-0008', 'an-0009', 'an-0010']);
    expect(byRule('card-testing')).toEqual(['an-0011', 'an-0012', 'an-0013', 'an-0014']);
    expect(byRule('duplicate')).toEqual(['an-0015', 'an-0016']);
    expect(byRule('unusual-amount')).toEqual([]);
    const flagged = new Set(episodes.flatMap((episode) => episode.transactions.map((t) => t.transactionId)));
    expect(flagged.has('an-0001')).toBe(false);
    expect(flagged.has('an-0017')).toBe(false);
  });
});

describe('samples/with-cvv.csv', () => {
  it('carries a cvv column (the validator refuses such a file whole)', () => {
    const [header] = readFileSync(join(SAMPLES, 'with-cvv.csv'), 'utf8').split('\n');
    expect(header.split(',')).toContain('cvv');
    for (const row of rows('with-cvv.csv')) expect(luhnValid(row.card_number)).toBe(true);
  });
});
