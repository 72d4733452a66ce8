/**
 * The detector over batches, with the state in memory: what a batch alerts, and which of its
 * records are retried when an alert cannot be sent.
 */
import type { AlertMessage } from '../../../lambda/anomaly/alerts';
import { detectAndAlert, type DetectorDeps } from '../../../lambda/anomaly/detector';
import { LIMITS, storedItem, streamRecord } from './fixtures';
import { memoryStateStore } from './memory-state';

const cardOf = (n: number) => n.toString(16).padStart(64, '0');

function deps(publish: (alert: AlertMessage) => Promise<void>, store = memoryStateStore()): DetectorDeps {
  // Card-level limits out of the way: only the merchant-level card-testing window is under test.
  const limits = { ...LIMITS, velocityMaxCount: 100, cardTestingMaxSmallPerCard: 100 };
  return { store, publish, limits, leaseMs: 90_000, remainingMs: () => 60_000, pollMs: 1 };
}

describe('the detector', () => {
  it('retries the record that completed a crowded window, however many transactions the window holds', async () => {
    const store = memoryStateStore();
    const sent: AlertMessage[] = [];
    // 60 small payments of 10 cards at one merchant within 300 s: at the limit, no alert.
    const before = Array.from({ length: 60 }, (_, i) =>
      streamRecord('INSERT', {
        newItem: storedItem({ id: `p${i}`, card: cardOf(i % 10), amount: 1 + i / 100, offsetSeconds: i }),
      }),
    );
    await detectAndAlert(
      before,
      deps(async (alert) => void sent.push(alert), store),
    );
    expect(sent).toEqual([]);
    // An 11th card: the window crowds; SNS refuses the alert.
    const eleventh = streamRecord('INSERT', {
      newItem: storedItem({ id: 'p-eleventh', card: cardOf(10), amount: 1, offsetSeconds: 61 }),
    });
    const refused = await detectAndAlert(
      [eleventh],
      deps(async () => {
        throw new Error('SNS throttled');
      }, store),
    );
    expect([...refused.failures.keys()]).toEqual([eleventh.dynamodb!.SequenceNumber]);
    // Its retry sends the alert, naming all 61 transactions.
    const retried = await detectAndAlert(
      [eleventh],
      deps(async (alert) => void sent.push(alert), store),
    );
    expect(retried.failures.size).toBe(0);
    expect(sent.map((alert) => alert.rule)).toEqual(['card-testing']);
    expect(sent[0].body).toContain('Flagged:  61 transactions (the first 20 are listed)');
  });

  it("counts the same day's earlier transactions in the card profile, in one batch or in several", async () => {
    const morning = [20, 24.5, 18].map((amount, i) =>
      streamRecord('INSERT', {
        newItem: storedItem({ id: `m${i}`, card: cardOf(99), amount, offsetSeconds: i * 3600 }),
      }),
    );
    const spike = streamRecord('INSERT', {
      newItem: storedItem({ id: 'afternoon', card: cardOf(99), amount: 150, offsetSeconds: 5 * 3600 }),
    });
    for (const batches of [[[...morning, spike]], [morning, [spike]], [[spike], morning]]) {
      const store = memoryStateStore();
      const sent: AlertMessage[] = [];
      for (const batch of batches)
        await detectAndAlert(
          batch,
          deps(async (alert) => void sent.push(alert), store),
        );
      const profile = sent.filter((alert) => alert.rule === 'unusual-amount');
      expect(profile).toHaveLength(1);
      expect(profile[0].body).toContain('Transaction afternoon');
      expect(profile[0].body).toContain('mean of 20.83 over its 3 transactions');
    }
  });

  it('goes on when a state item is full: that item keeps what it has, the other rules still alert', async () => {
    const store = memoryStateStore();
    const addEntries = store.addEntries.bind(store);
    // A full item takes nothing and comes back as it is (here: empty).
    store.addEntries = async (writes, expiresAtSec) => {
      const full = writes.filter((w) => w.pk.startsWith('card#')).map((w) => w.pk);
      const written = await addEntries(
        writes.filter((w) => !full.includes(w.pk)),
        expiresAtSec,
      );
      const items = new Map(written.items);
      for (const pk of full) items.set(pk, { entries: {}, days: new Map() });
      return { ...written, items, full };
    };
    const sent: AlertMessage[] = [];
    const big = streamRecord('INSERT', { newItem: storedItem({ id: 'big', amount: 25000.5 }) });
    const outcome = await detectAndAlert(
      [big],
      deps(async (alert) => void sent.push(alert), store),
    );
    expect(outcome.failures.size).toBe(0);
    expect(outcome.stateItemsFull).toBe(1);
    expect(sent.map((alert) => alert.rule)).toEqual(['high-amount']);
  });
});
