/**
 * Whether a pattern alerts does not depend on how its transactions arrive. For any set of
 * transactions and any split into shards, batches and arrival order, with racing shards and
 * re-delivered batches, the detector alerts exactly the episodes the rules find over the whole set
 * at once, and each episode once.
 */
import fc from 'fast-check';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AlertMessage } from '../../../lambda/anomaly/alerts';
import { detectAndAlert } from '../../../lambda/anomaly/detector';
import type { AnomalyThresholds } from '../../../lambda/anomaly/thresholds';
import { toStoredTransaction } from '../../../lambda/anomaly/transaction';
import { image, LIMITS, storedItem, streamRecord } from './fixtures';
import { memoryStateStore } from './memory-state';
import { wholeHistory } from './whole-history';

const TIGHT: AnomalyThresholds = {
  ...LIMITS,
  velocityMaxCount: 3,
  cardTestingMaxSmallPerCard: 2,
  cardTestingMaxCardsPerMerchant: 1,
  profileMinTransactions: 2,
};
const CARDS = [
  { card: 'a'.repeat(64), last4: '1111' },
  { card: 'b'.repeat(64), last4: '2222' },
  { card: 'c'.repeat(64), last4: '3333' },
];

const transaction = fc.record({
  // Dense clusters, so windows crowd: around noon, or straddling midnight (a window across two
  // card-days and two merchant buckets), on days a profile spans.
  day: fc.constantFrom(-3, -1, 0, 0, 0, 1),
  anchor: fc.constantFrom(0, 300, 43_200 - 300, 43_200 - 300),
  jitter: fc.integer({ min: 0, max: 600 }),
  amount: fc.constantFrom('1.00', '2.00', '0.50', '25.50', '25.5', '600.00', '5000.00', '15000.40'),
  card: fc.constantFrom(0, 0, 1, 2),
  merchant: fc.constantFrom('merchant-a', 'merchant-b'),
  country: fc.constantFrom('FR', 'FR', 'FR', 'KP'),
  shard: fc.integer({ min: 0, max: 2 }),
  order: fc.double({ min: 0, max: 1, noNaN: true }),
});

type GeneratedTransaction = typeof transaction extends fc.Arbitrary<infer T> ? T : never;

interface Delivery {
  readonly shards: DynamoDBRecord[][][];
  readonly transactions: ReturnType<typeof toStoredTransaction>[];
}

function deliveries(
  txns: readonly GeneratedTransaction[],
  batchSizes: number[],
  sequential: boolean,
): Delivery {
  const items = txns.map((t, i) =>
    storedItem({
      id: `tx-${i}`,
      offsetSeconds: t.day * 86_400 + t.anchor + t.jitter,
      amount: t.amount,
      merchant: t.merchant,
      country: t.country,
      ...CARDS[t.card],
    }),
  );
  const records = items.map((item, i) => ({
    t: txns[i],
    record: streamRecord('INSERT', { newItem: item }),
    item,
  }));
  const shardCount = sequential ? 1 : 3;
  const shards: DynamoDBRecord[][][] = [];
  for (let s = 0; s < shardCount; s += 1) {
    const mine = records
      .filter((r) => sequential || r.t.shard === s)
      .sort((a, b) =>
        sequential
          ? Date.parse(String(a.item.timestamp)) - Date.parse(String(b.item.timestamp))
          : a.t.order - b.t.order,
      );
    const batches: DynamoDBRecord[][] = [];
    for (let i = 0, b = 0; i < mine.length; b += 1) {
      const size = batchSizes[b % batchSizes.length];
      batches.push(mine.slice(i, i + size).map((r) => r.record));
      i += size;
    }
    shards.push(batches);
  }
  return { shards, transactions: items.map((item) => toStoredTransaction(image(item))) };
}

/** Runs the shards concurrently (each in order), interleaving state operations by `seed`. */
async function run(delivery: Delivery, redeliver: boolean[], seed: number) {
  let state = seed >>> 0 || 1;
  const random = () => (state = (state * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
  const pause = async () => {
    for (let i = Math.floor(random() * 3); i > 0; i -= 1)
      await new Promise((resolve) => setImmediate(resolve));
  };
  const store = memoryStateStore(pause);
  const published: AlertMessage[] = [];
  const deps = {
    store,
    publish: async (alert: AlertMessage) => {
      await pause();
      published.push(alert);
    },
    limits: TIGHT,
    leaseMs: 60_000,
    remainingMs: () => 60_000,
    pollMs: 1,
  };
  let b = 0;
  await Promise.all(
    delivery.shards.map(async (batches) => {
      for (const batch of batches) {
        const outcome = await detectAndAlert(batch, deps);
        expect(outcome.failures.size).toBe(0);
        // A retry of the same batch (Lambda re-sends it after a timeout, or bisects it).
        if (redeliver[b++ % redeliver.length]) await detectAndAlert(batch, deps);
      }
    }),
  );
  return published.flatMap((alert) => alert.episodes.map((episode) => episode.key));
}

describe('detection over the whole history', () => {
  it('alerts exactly what the rules find over the whole set, each episode once, however it arrives', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(transaction, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        async (txns, batchSizes, redeliver, seed) => {
          const delivery = deliveries(txns, batchSizes, false);
          const sent = await run(delivery, redeliver, seed);
          expect(sent.length).toBe(new Set(sent).size);
          const expected = wholeHistory(delivery.transactions, TIGHT);
          const exact = sent.filter((key) => !key.startsWith('unusual-amount|')).sort();
          expect(exact).toEqual([...expected.exact].sort());
          // The profile rule never misses; a late, earlier-dated transaction can only add to what it saw.
          const profile = new Set(sent.filter((key) => key.startsWith('unusual-amount|')));
          for (const key of expected.profile) expect(profile).toContain(key);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('alerts the profile rule exactly when transactions arrive in time order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(transaction, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        async (txns, batchSizes, seed) => {
          const delivery = deliveries(txns, batchSizes, true);
          const sent = await run(delivery, [false], seed);
          const expected = wholeHistory(delivery.transactions, TIGHT);
          expect(sent.filter((key) => key.startsWith('unusual-amount|')).sort()).toEqual(
            [...expected.profile].sort(),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});
