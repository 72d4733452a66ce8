import { canonicalAttribute, detectTamper, diffImages } from '../../../lambda/anomaly/tamper';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { image, storedItem } from './fixtures';

const original = storedItem({ id: 'tx-7', amount: 120, last4: '1111', country: 'FR' });

describe('tamper detection', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a changed amount', { ...original, amount: 1 }, ['amount']],
    [
      'a changed card',
      { ...original, card_last4: '9999', card_hash: 'f'.repeat(64) },
      ['card_hash', 'card_last4'],
    ],
    ['an added attribute', { ...original, description: 'refund' }, ['description']],
    ['a removed attribute', (({ country: _c, ...rest }) => rest)(original), ['country']],
    ['a changed merchant', { ...original, merchant_id: 'merchant-b' }, ['merchant_id']],
  ])('a MODIFY with %s is a critical alert naming the field', (_name, changed, fields) => {
    const anomaly = detectTamper({
      eventName: 'MODIFY',
      sequenceNumber: '7',
      oldImage: image(original),
      newImage: image(changed),
    });
    expect(anomaly).toMatchObject({
      rule: 'tamper',
      severity: 'critical',
      merchantId: 'merchant-a',
      sequenceNumber: '7',
    });
    expect(anomaly?.details?.map((line) => line.split(':')[0])).toEqual(fields);
    expect(anomaly?.details?.join('\n')).not.toMatch(/[0-9a-f]{8}/);
    for (const field of fields) expect(anomaly?.reason).toContain(field);
  });

  it('shows old versus new values, the card masked', () => {
    const anomaly = detectTamper({
      eventName: 'MODIFY',
      sequenceNumber: '8',
      oldImage: image(original),
      newImage: image({ ...original, amount: 1, card_last4: '9999' }),
    });
    expect(anomaly?.details).toEqual(['amount: 120 -> 1', 'card_last4: **** 1111 -> **** 9999']);
  });

  it('a MODIFY with equal images is not an alert', () => {
    expect(
      detectTamper({
        eventName: 'MODIFY',
        sequenceNumber: '9',
        oldImage: image(original),
        newImage: image(original),
      }),
    ).toBeUndefined();
  });

  it('numbers are compared by value, not by spelling', () => {
    const oldImage = { ...image(original), amount: { N: '120.00' } };
    const newImage = { ...image(original), amount: { N: '120' } };
    expect(diffImages(oldImage, newImage)).toEqual([]);
    expect(canonicalAttribute({ N: '0120.50' })).toBe(canonicalAttribute({ N: '120.5' }));
  });

  it('a REMOVE is a critical alert listing what was deleted', () => {
    const anomaly = detectTamper({ eventName: 'REMOVE', sequenceNumber: '10', oldImage: image(original) });
    expect(anomaly).toMatchObject({ rule: 'tamper', severity: 'critical' });
    expect(anomaly?.transaction).toMatchObject({
      transactionId: 'tx-7',
      maskedCard: '**** 1111',
      amount: '120',
    });
    expect(anomaly?.reason).toMatch(/deleted/);
    expect(anomaly?.details).toContain('card_last4: was **** 1111');
  });

  it('a card number written into a field by a tamperer is not echoed in clear', () => {
    const anomaly = detectTamper({
      eventName: 'MODIFY',
      sequenceNumber: '11',
      oldImage: image(original),
      newImage: image({ ...original, description: 'card 4111 1111 1111 1111' }),
    });
    // The alert body is redacted as a whole (alerts.test.ts); the detail names the field.
    expect(anomaly?.details?.[0]).toMatch(/^description: \(absent\) -> /);
    expect(holdsCardNumber(anomaly?.reason ?? '')).toBe(false);
  });
});
