import {
  buildAlerts,
  formatAlert,
  formatSubject,
  MAX_LISTED_PER_ALERT,
} from '../../../lambda/anomaly/alerts';
import { evaluateRules } from '../../../lambda/anomaly/rules';
import { detectTamper } from '../../../lambda/anomaly/tamper';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { displayAmount } from '../../../lambda/anomaly/transaction';
import type { Anomaly } from '../../../lambda/anomaly/anomaly';
import { episodeOfAnomaly, type Episode } from '../../../lambda/anomaly/episodes';
import { image, inserted, LIMITS, storedItem } from './fixtures';

/** Per-transaction anomalies as the episodes the detector sends. */
const asEpisode = (anomaly: Anomaly): Episode =>
  episodeOfAnomaly(anomaly, `txn:${anomaly.transaction.transactionId}`);

const bigOnes = (n: number, merchant = 'merchant-a') =>
  evaluateRules(
    Array.from({ length: n }, (_, i) =>
      inserted({
        id: `big-${i}`,
        merchant,
        amount: 20000.5 + i,
        card: `${i}`.padStart(64, 'c'),
        offsetSeconds: i * 1000,
      }),
    ),
    LIMITS,
  )
    .filter((a) => a.rule === 'high-amount')
    .map(asEpisode);

describe('alert e-mails', () => {
  it('the body has transaction id, merchant, masked card, amount with currency, time and why', () => {
    const [anomaly] = evaluateRules(
      [inserted({ id: 'tx-42', amount: 15000, currency: 'EUR', last4: '4242' })],
      LIMITS,
    );
    const alert = formatAlert([asEpisode(anomaly)]);
    expect(alert.body).toContain('tx-42');
    expect(alert.body).toContain('merchant-a');
    expect(alert.body).toContain('**** 4242');
    expect(alert.body).toContain('15000 EUR');
    expect(alert.body).toContain('2026-03-01T12:00:00.000Z');
    expect(alert.body).toContain('is over the threshold of 10000');
    expect(alert.attributes).toEqual({ severity: 'high', rule: 'high-amount', merchant: 'merchant-a' });
  });

  it('the subject carries severity and rule, within 100 ASCII characters', () => {
    const subject = formatSubject('critical', 'tamper', 'm'.repeat(32), 123456);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^\[CRITICAL\] tamper/);
    expect(subject).toMatch(/^[\x20-\x7E]+$/);
    expect(formatSubject('high', 'velocity', 'merchant-a', 1)).toBe(
      '[HIGH] velocity - card used too often - merchant-a (1 transaction)',
    );
  });

  it('groups one batch by (rule, merchant): one message each, most severe first', () => {
    const tamper = detectTamper({
      eventName: 'REMOVE',
      sequenceNumber: '1',
      oldImage: image(storedItem({ merchant: 'merchant-b' })),
    });
    const alerts = buildAlerts([...bigOnes(3), ...bigOnes(2, 'merchant-b'), asEpisode(tamper!)]);
    expect(alerts.map((a) => [a.rule, a.merchantId, a.transactionCount])).toEqual([
      ['tamper', 'merchant-b', 1],
      ['high-amount', 'merchant-a', 3],
      ['high-amount', 'merchant-b', 2],
    ]);
  });

  it(`lists at most ${MAX_LISTED_PER_ALERT} transactions and says how many more there are`, () => {
    const [alert] = buildAlerts(bigOnes(250));
    expect(alert.transactionCount).toBe(250);
    expect(alert.episodes.flatMap((episode) => episode.triggers)).toHaveLength(250);
    expect(alert.body.match(/^\d+\. Transaction /gm)).toHaveLength(MAX_LISTED_PER_ALERT);
    expect(alert.body).toContain('and 230 more, not listed');
    expect(alert.subject).toContain('(250 transactions)');
  });

  it('never carries a full card number, even one written into a tampered field', () => {
    const original = storedItem({ id: 'tx-9' });
    const tamper = detectTamper({
      eventName: 'MODIFY',
      sequenceNumber: '2',
      oldImage: image(original),
      newImage: image({ ...original, description: 'pan 4111111111111111', card_last4: '1111' }),
    });
    const [alert] = buildAlerts([asEpisode(tamper!)]);
    expect(alert.body).toContain('description');
    expect(holdsCardNumber(alert.body)).toBe(false);
    expect(holdsCardNumber(alert.subject)).toBe(false);
  });
});

describe('amounts in alerts', () => {
  it.each([
    ['15250.4', '15250.40'],
    ['15250.45', '15250.45'],
    ['15000', '15000'],
  ])('a stored %s reads %s', (stored, shown) => {
    expect(displayAmount(stored)).toBe(shown);
  });
});

describe('alert subjects and attributes', () => {
  it('never carry a merchant id that is not one (a tampered image can hold anything)', () => {
    const [anomaly] = evaluateRules([inserted({ id: 'tx-7', amount: 15000 })], LIMITS).filter(
      (a) => a.rule === 'high-amount',
    );
    const alert = formatAlert([{ ...asEpisode(anomaly), merchantId: '4111111111111111' }]);
    expect(alert.subject).not.toContain('4111111111111111');
    expect(alert.attributes.merchant).toBe('(invalid merchant id)');
    expect(formatAlert([asEpisode(anomaly)]).attributes.merchant).toBe(anomaly.merchantId);
  });
});
