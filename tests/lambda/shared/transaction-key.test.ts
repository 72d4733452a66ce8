/** Merchant-scoped partition keys: built from the two ids and split back to the merchant's own. */
import fc from 'fast-check';
import {
  merchantTransactionId,
  MERCHANT_ID_PATTERN,
  TRANSACTION_ID_PATTERN,
  transactionKey,
} from '../../../lambda/shared/contract';

const merchantId = fc.stringMatching(MERCHANT_ID_PATTERN);
const transactionId = fc.stringMatching(TRANSACTION_ID_PATTERN);

describe('transactionKey', () => {
  it('scopes an id by its merchant', () => {
    expect(transactionKey('merchant-a', 'tx-1')).toBe('merchant-a#tx-1');
    expect(transactionKey('merchant-a', 'tx-1')).not.toBe(transactionKey('merchant-b', 'tx-1'));
  });

  it('gives every (merchant, id) pair its own key, and the id back', () => {
    fc.assert(
      fc.property(merchantId, transactionId, merchantId, transactionId, (m1, t1, m2, t2) => {
        expect(merchantTransactionId(transactionKey(m1, t1))).toBe(t1);
        expect(transactionKey(m1, t1) === transactionKey(m2, t2)).toBe(m1 === m2 && t1 === t2);
      }),
    );
  });
});
