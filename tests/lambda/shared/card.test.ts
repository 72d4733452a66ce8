import { createHmac } from 'node:crypto';
import {
  cardHash,
  cardSafeJson,
  holdsCardNumber,
  last4,
  luhnValid,
  maskCard,
  maskCardLikeNumbers,
  redactCardNumbers,
} from '../../../lambda/shared/card';
import { withCheckDigit } from '../../../lambda/shared/card-number/luhn';

describe('card protection', () => {
  it.each([
    ['4111111111111111', true],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['6011111111111117', true],
    ['4111111111111112', false],
    ['0000000000000000', true],
    ['12a4', false],
    ['', false],
  ])('luhnValid(%p) is %p', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });

  it('completes a body with the one check digit that passes Luhn (test cards), and only a body of digits', () => {
    expect(withCheckDigit('411111111111111')).toBe('4111111111111111');
    expect(withCheckDigit('37828224631000')).toBe('378282246310005');
    expect(() => withCheckDigit('4111a')).toThrow('ASCII digits');
  });

  it('keeps the last four digits and masks the rest', () => {
    expect(last4('4111111111111234')).toBe('1234');
    expect(maskCard('1234')).toBe('**** **** **** 1234');
    expect(maskCard(last4('5555555555554444'))).not.toContain('5555555555');
  });

  it('hashes with HMAC-SHA-256 (RFC 4231 test case 2) and depends on the key', () => {
    expect(cardHash('what do ya want for nothing?', 'Jefe')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(cardHash('4111111111111111', 'k1')).not.toBe(cardHash('4111111111111111', 'k2'));
    expect(cardHash('4111111111111111', 'k1')).toBe(
      createHmac('sha256', 'k1').update('4111111111111111').digest('hex'),
    );
  });

  it.each([
    ['card 4111111111111111 paid', true],
    ['4111 1111 1111 1111', true],
    ['4111-1111-1111-1111', true],
    ['"card_number":"378282246310005"', true],
    ['x,5555555555554444,y', true],
    ['long run 99999411111111111111119999 with a card inside', true],
    ['4111111111111112 fails Luhn', false],
    ['short 41111111', false],
    ['2024-05-01T09:15:00.000Z amount 1234.56', false],
    ['hash 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', false],
    ['tx4111111111111111 is glued to letters', true],
    ['**** **** **** 1111', false],
    ['3782-822463-10005', true],
    ['up-12345678-1234-4123-8123-12345678aaaa', false],
    ['id 4111-11111111-1111', true], // grouped oddly, still a card number
    ['uuid tail 00000000-0000-0000-0000-000000000018', true],
  ])('holdsCardNumber(%p) is %p', (text, expected) => {
    expect(holdsCardNumber(text)).toBe(expected);
  });

  it('redacts card numbers in free text and leaves the rest alone', () => {
    const redacted = redactCardNumbers('paid with 4111 1111 1111 1111 on 2024-05-01, ref 12345');
    expect(redacted).toBe('paid with **** **** **** 1111 on 2024-05-01, ref 12345');
    expect(holdsCardNumber(redacted)).toBe(false);
  });
});

describe('strict card-number detection for values from files', () => {
  it.each([
    ['tx4111111111111111', true],
    ['PAN4111111111111111', true],
    ['4111.1111.1111.1111', true],
    ['4111_1111_1111_1111', true],
    ['4111  1111  1111  1111', true],
    [
      '\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11',
      true,
    ], // full-width digits
    ['order 2024-05-01 12:00', false],
    ['TX-000123', false],
    ['4111111111111112', false], // not Luhn-valid
  ])('holdsCardNumber(%j) is %s', (text, expected) => {
    expect(holdsCardNumber(text)).toBe(expected);
  });

  it('masks every long digit run in rows written back, Luhn-valid or not', () => {
    expect(maskCardLikeNumbers('x 4242424242424241 y')).toBe('x **** **** **** 4241 y');
    expect(maskCardLikeNumbers('4111111111111112')).toBe('**** **** **** 1112');
    expect(maskCardLikeNumbers('4111.1111.1111.1111')).toBe('**** **** **** 1111');
    expect(maskCardLikeNumbers('amount 12.50 on 2024-05-01')).toBe('amount 12.50 on 2024-05-01');
  });
});

describe('cardSafeJson, the replacer of manifests and log lines', () => {
  // Three all-digit groups of this upload id pass Luhn (3333 4444 8555): redaction would mask them.
  const uploadId = 'up-22222222-3333-4444-8555-000000000001';

  it('keeps the API-generated upload ids and their object keys whole', () => {
    expect(holdsCardNumber(uploadId)).toBe(true);
    const json = JSON.stringify(
      {
        uploadId,
        key: `uploads/merchant-a/${uploadId}.csv`,
        rejectsKey: `reports/merchant-a/${uploadId}.rejects.csv`,
      },
      cardSafeJson,
    );
    expect(JSON.parse(json)).toEqual({
      uploadId,
      key: `uploads/merchant-a/${uploadId}.csv`,
      rejectsKey: `reports/merchant-a/${uploadId}.rejects.csv`,
    });
  });

  it('masks a card number anywhere else, even beside or inside something shaped like an upload id', () => {
    const masked = JSON.parse(
      JSON.stringify(
        {
          message: `upload ${uploadId} had 4111 1111 1111 1111`,
          key: `uploads/4111111111111111/${uploadId}.csv`,
          n: 4111111111111111,
        },
        cardSafeJson,
      ),
    );
    expect(holdsCardNumber(masked.message.replace(uploadId, ''))).toBe(false);
    expect(masked.key).not.toContain('4111111111111111');
    expect(masked.n).toBe(4111111111111111); // numbers are ours (counts, durations)
  });
});
