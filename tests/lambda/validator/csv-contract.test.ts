import { isSensitiveColumn, planHeader } from '../../../lambda/validator/core/csv-contract';
import { FileRefusedError } from '../../../lambda/validator/core/refusal';
import { HEADER } from './helpers';

const refusalOf = (fields: string[]): FileRefusedError => {
  try {
    planHeader(fields);
  } catch (error) {
    return error as FileRefusedError;
  }
  throw new Error('expected a refusal');
};

describe('CSV header contract', () => {
  it('maps known columns case-insensitively and reports unknown ones', () => {
    const plan = planHeader([
      ' Transaction_ID',
      'MERCHANT_ID',
      'timestamp',
      'amount',
      'currency',
      'card_number',
      'store',
    ]);
    expect(plan.index.transaction_id).toBe(0);
    expect(plan.index.card_number).toBe(5);
    expect(plan.index.country).toBe(-1);
    expect(plan.unknownColumns).toEqual(['store']);
  });

  it.each(['cvv', 'CVV2', 'cvc', 'CID', 'track', 'Track1', 'track_2', 'pin', 'PIN_BLOCK', 'card-cvv'])(
    'refuses the sensitive authentication data column %p',
    (column) => {
      expect(isSensitiveColumn(column)).toBe(true);
      const refusal = refusalOf([...HEADER.split(','), column]);
      expect(refusal.code).toBe('SENSITIVE_DATA');
      expect(refusal.message).toContain(column);
    },
  );

  it.each([
    'cvv_code',
    'card_cvv2',
    'CVV Number',
    'cvc_code',
    'verification_code',
    'card_verification_value',
    'pin_number',
    'PIN',
    'track1_data',
    'track_2_data',
    'cvv2/cvc2',
    'magnetic_stripe',
  ])('recognises %s as sensitive authentication data, whatever its spelling', (name) => {
    expect(isSensitiveColumn(name)).toBe(true);
  });

  it('does not mistake ordinary columns for sensitive ones', () => {
    expect(['pincode_city', 'description', 'tracking_id', 'card_type'].filter(isSensitiveColumn)).toEqual([]);
  });

  it('names the missing required columns', () => {
    const refusal = refusalOf(['transaction_id', 'merchant_id', 'timestamp', 'amount']);
    expect(refusal.code).toBe('MISSING_COLUMN');
    expect(refusal.message).toMatch(/currency, card_number/);
  });

  it('says "no header" when the first line is data, without echoing it', () => {
    const refusal = refusalOf([
      'tx-1',
      'merchant-a',
      '2024-05-01T09:15:00Z',
      '42.50',
      'EUR',
      '4111111111111111',
    ]);
    expect(refusal.code).toBe('NO_HEADER');
    expect(refusal.message).not.toContain('4111');
  });

  it('refuses a column named twice', () => {
    expect(refusalOf([...HEADER.split(','), 'Amount']).code).toBe('DUPLICATE_COLUMN');
  });
});
