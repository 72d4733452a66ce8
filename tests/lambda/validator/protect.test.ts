import { maskRejectedFields } from '../../../lambda/validator/core/protect';

describe('rejected rows written back to the merchant', () => {
  it('keep only the last four digits of the card column', () => {
    expect(maskRejectedFields(['t1', '4111111111111111'], 1)).toEqual(['t1', '**** **** **** 1111']);
  });

  it('mask a long digit run in any other column, Luhn-valid or not (a mistyped card, shifted columns)', () => {
    const row = ['4242424242424241\nt3', '2024-05-01T09:15:00Z', '12.50', '4111111111111112', 'ok'];
    expect(maskRejectedFields(row, 9)).toEqual([
      '**** **** **** 4241\nt3',
      '2024-05-01T09:15:00Z',
      '12.50',
      '**** **** **** 1112',
      'ok',
    ]);
  });
});
