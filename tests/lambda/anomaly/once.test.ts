/**
 * The once-only path: an episode's key is claimed before its e-mail is published, marked sent after,
 * released when publishing fails; a claim held by a live invocation is waited for, one held by a
 * dead invocation is taken over.
 */
import type { AlertMessage } from '../../../lambda/anomaly/alerts';
import type { Episode } from '../../../lambda/anomaly/episodes';
import { sendOnce, type OnceOptions } from '../../../lambda/anomaly/once';
import { alertKey } from '../../../lambda/anomaly/state/buckets';
import { memoryStateStore, type MemoryStateStore } from './memory-state';

const episode = (key: string, trigger: string): Episode => ({
  key,
  rule: 'velocity',
  severity: 'high',
  merchantId: 'merchant-a',
  reason: 'Card **** 1111 was used 6 times within 600 s (the limit is 5).',
  transactions: [
    {
      transactionId: `tx-${key}`,
      timestamp: '2026-05-01T10:00:00.000Z',
      merchantId: 'merchant-a',
      maskedCard: '**** 1111',
      amount: '21.00',
      currency: 'USD',
    },
  ],
  transactionCount: 1,
  triggers: [trigger],
  groupable: false,
});

function options(
  store: MemoryStateStore,
  sent: AlertMessage[],
  extra: Partial<OnceOptions> = {},
): OnceOptions {
  return {
    store,
    publish: async (alert) => void sent.push(alert),
    leaseMs: 90_000,
    retentionDays: 66,
    remainingMs: () => 60_000,
    pollMs: 1,
    ...extra,
  };
}

describe('each alert sent once', () => {
  it('publishes a new episode and marks its key sent; the same episode again sends nothing', async () => {
    const store = memoryStateStore();
    const sent: AlertMessage[] = [];
    const first = await sendOnce([episode('a', '1')], options(store, sent));
    expect(first).toMatchObject({ alertsSent: 1, alreadySent: 0 });
    expect(store.items.get(alertKey('a'))?.alert?.status).toBe('sent');
    const again = await sendOnce([episode('a', '2')], options(store, sent));
    expect(again).toMatchObject({ alertsSent: 0, alreadySent: 1 });
    expect(sent).toHaveLength(1);
  });

  it('releases the key and fails the records when SNS refuses; the retry then sends it', async () => {
    const store = memoryStateStore();
    const sent: AlertMessage[] = [];
    const refused = await sendOnce(
      [episode('b', '7')],
      options(store, sent, {
        publish: async () => {
          throw new Error('SNS throttled');
        },
      }),
    );
    expect(refused.alertsFailed).toBe(1);
    expect([...refused.failures]).toEqual([['7', expect.stringContaining('SNS throttled')]]);
    expect(store.items.get(alertKey('b'))?.alert?.status).toBe('released');
    const retry = await sendOnce([episode('b', '7')], options(store, sent));
    expect(retry.alertsSent).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('waits for a live claim of another invocation, then sends nothing once it is sent', async () => {
    const store = memoryStateStore();
    const sent: AlertMessage[] = [];
    await store.claimAlert(alertKey('c'), {
      token: 'other',
      nowMs: Date.now(),
      staleBeforeMs: 0,
      expiresAtSec: 1,
    });
    const waiting = sendOnce([episode('c', '3')], options(store, sent));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.finishAlert(alertKey('c'), 'other', 'sent');
    expect(await waiting).toMatchObject({ alertsSent: 0, alreadySent: 1 });
    expect(sent).toEqual([]);
  });

  it('fails the records, to be retried, when a live claim is still held as time runs short', async () => {
    const store = memoryStateStore();
    const sent: AlertMessage[] = [];
    await store.claimAlert(alertKey('d'), {
      token: 'other',
      nowMs: Date.now(),
      staleBeforeMs: 0,
      expiresAtSec: 1,
    });
    const outcome = await sendOnce([episode('d', '4')], options(store, sent, { remainingMs: () => 5_000 }));
    expect([...outcome.failures.keys()]).toEqual(['4']);
    expect(sent).toEqual([]);
  });

  it('takes over a claim older than the lease (its invocation died) and sends the alert', async () => {
    const store = memoryStateStore();
    const sent: AlertMessage[] = [];
    const longAgo = Date.now() - 120_000;
    await store.claimAlert(alertKey('e'), {
      token: 'dead',
      nowMs: longAgo,
      staleBeforeMs: 0,
      expiresAtSec: 1,
    });
    const outcome = await sendOnce([episode('e', '5')], options(store, sent));
    expect(outcome.alertsSent).toBe(1);
    expect(store.items.get(alertKey('e'))?.alert).toMatchObject({ status: 'sent' });
    expect(store.items.get(alertKey('e'))?.alert?.token).not.toBe('dead');
  });
});
