import { planHeader } from '../../../lambda/validator/core/csv-contract';
import { validateRow } from '../../../lambda/validator/core/row-rules';
import { canonicalTimestamp } from '../../../lambda/validator/core/timestamp';
import type { RowError, ValidRow } from '../../../lambda/validator/core/types';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { HEADER, ROW_DEFAULTS } from './helpers';

const plan = planHeader(HEADER.split(','));
const ctx = { plan, merchantId: 'merchant-a', maxAmount: 1_000_000 };
const base = ROW_DEFAULTS;
const fieldsOf = (overrides: Record<string, string>) =>
  plan.header.map((column) => ({ ...base, ...overrides })[column]);
const validate = (overrides: Record<string, string> = {}) => validateRow(fieldsOf(overrides), 7, ctx);

describe('row validation', () => {
  it('accepts a good row and returns canonical values', () => {
    const result = validate({
      currency: 'eur',
      country: 'fr',
      card_type: 'VISA',
      card_number: '4111 1111 1111 1111',
    });
    expect(result).toEqual<ValidRow>({
      transactionId: 'tx-1',
      timestamp: '2024-05-01T09:15:00.000Z',
      merchantId: 'merchant-a',
      amount: 42.5,
      currency: 'EUR',
      pan: '4111111111111111',
      country: 'FR',
      cardType: 'visa',
      description: 'coffee',
    });
  });

  it('optional columns may be empty', () => {
    const result = validate({ country: '', card_type: '', description: '' }) as ValidRow;
    expect(result.country).toBeUndefined();
    expect(result.cardType).toBeUndefined();
    expect(result.description).toBeUndefined();
  });

  it.each<[string, Record<string, string>, string, RowError['code']]>([
    ['empty transaction id', { transaction_id: '' }, 'transaction_id', 'MISSING_VALUE'],
    ['bad transaction id', { transaction_id: 'tx 1/2' }, 'transaction_id', 'INVALID_TRANSACTION_ID'],
    [
      'card number as transaction id',
      { transaction_id: '5555555555554444' },
      'transaction_id',
      'CARD_NUMBER_IN_FIELD',
    ],
    ['another merchant', { merchant_id: 'merchant-b' }, 'merchant_id', 'MERCHANT_MISMATCH'],
    ['no zone', { timestamp: '2024-05-01T09:15:00' }, 'timestamp', 'INVALID_TIMESTAMP'],
    ['date only', { timestamp: '2024-05-01' }, 'timestamp', 'INVALID_TIMESTAMP'],
    ['impossible date', { timestamp: '2023-02-29T00:00:00Z' }, 'timestamp', 'INVALID_TIMESTAMP'],
    ['hour 24', { timestamp: '2024-05-01T24:00:00Z' }, 'timestamp', 'INVALID_TIMESTAMP'],
    ['zero amount', { amount: '0.00' }, 'amount', 'INVALID_AMOUNT'],
    ['negative amount', { amount: '-1' }, 'amount', 'INVALID_AMOUNT'],
    ['three decimals', { amount: '1.001' }, 'amount', 'INVALID_AMOUNT'],
    ['exponent', { amount: '1e3' }, 'amount', 'INVALID_AMOUNT'],
    ['comma decimal', { amount: '1,50' }, 'amount', 'INVALID_AMOUNT'],
    ['over the maximum', { amount: '1000000.01' }, 'amount', 'AMOUNT_TOO_LARGE'],
    ['unknown currency', { currency: 'EURO' }, 'currency', 'INVALID_CURRENCY'],
    ['withdrawn currency', { currency: 'DEM' }, 'currency', 'INVALID_CURRENCY'],
    ['Luhn failure', { card_number: '4111111111111112' }, 'card_number', 'INVALID_CARD_NUMBER'],
    ['too short', { card_number: '41111111111' }, 'card_number', 'INVALID_CARD_NUMBER'],
    ['too long', { card_number: '41111111111111111111' }, 'card_number', 'INVALID_CARD_NUMBER'],
    ['letters', { card_number: '4111x11111111111' }, 'card_number', 'INVALID_CARD_NUMBER'],
    ['empty card', { card_number: '' }, 'card_number', 'MISSING_VALUE'],
    ['unknown country', { country: 'XX' }, 'country', 'INVALID_COUNTRY'],
    ['unknown card type', { card_type: 'gold' }, 'card_type', 'INVALID_CARD_TYPE'],
    [
      'card in description',
      { description: 'card 4111-1111-1111-1111' },
      'description',
      'CARD_NUMBER_IN_FIELD',
    ],
    [
      'card glued to letters in an id',
      { transaction_id: 'tx4111111111111111' },
      'transaction_id',
      'CARD_NUMBER_IN_FIELD',
    ],
    [
      'card glued to letters in a description',
      { description: 'PAN4111111111111111' },
      'description',
      'CARD_NUMBER_IN_FIELD',
    ],
    ['card grouped by dots', { description: '4111.1111.1111.1111' }, 'description', 'CARD_NUMBER_IN_FIELD'],
    [
      'card grouped by underscores',
      { description: '4111_1111_1111_1111' },
      'description',
      'CARD_NUMBER_IN_FIELD',
    ],
    [
      'card in full-width digits',
      {
        description:
          '\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11',
      },
      'description',
      'CARD_NUMBER_IN_FIELD',
    ],
    ['description too long', { description: 'x'.repeat(257) }, 'description', 'INVALID_DESCRIPTION'],
  ])('rejects %s', (_name, overrides, column, code) => {
    const result = validate(overrides);
    expect(Array.isArray(result)).toBe(true);
    expect(result).toContainEqual(expect.objectContaining({ line: 7, column, code }));
    for (const error of result as RowError[]) expect(holdsCardNumber(error.message)).toBe(false);
  });

  it('reports every problem of a row, not only the first', () => {
    const result = validate({ amount: 'abc', currency: 'ZZZ', country: 'QQ' }) as RowError[];
    expect(result.map((e) => e.column)).toEqual(['amount', 'currency', 'country']);
  });

  it('rejects a row with the wrong number of fields as a whole', () => {
    expect(validateRow(['tx-1', 'merchant-a'], 3, ctx)).toEqual([
      expect.objectContaining({
        line: 3,
        code: 'COLUMN_COUNT',
        message: 'The row has 2 field(s); the header has 9.',
      }),
    ]);
  });

  it.each([
    ['2024-05-01T09:15:00Z', '2024-05-01T09:15:00.000Z'],
    ['2024-05-01T09:15Z', '2024-05-01T09:15:00.000Z'],
    ['2024-05-01T11:15:00+02:00', '2024-05-01T09:15:00.000Z'],
    ['2024-05-01T04:15:00-0500', '2024-05-01T09:15:00.000Z'],
    ['2024-05-01T09:15:00.123456Z', '2024-05-01T09:15:00.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2024-01-01T00:30:00+01', '2023-12-31T23:30:00.000Z'],
    ['2024-05-01T09:15:00.250Z', '2024-05-01T09:15:00.250Z'],
    ['2024-04-31T00:00:00Z', undefined],
    ['2024-04-30T00:00:60Z', undefined],
    ['2100-02-29T00:00:00Z', undefined],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2024-05-01T09:15:00.25Z', '2024-05-01T09:15:00.250Z'],
    ['2024-05-01T09:15:00.2a0Z', undefined],
    ['2024-05-01t09:15:00Z', undefined],
  ])('canonicalTimestamp(%p) is %p', (text, expected) => {
    expect(canonicalTimestamp(text)).toBe(expected);
  });
});
