/**
 * The card-number detector against card numbers of every brand and length in generated disguises,
 * judged by an independent oracle; and ordinary values, which it must leave untouched.
 */
import fc from 'fast-check';
import {
  findCardNumbers,
  holdsCardNumber,
  maskCardLikeNumbers,
  redactCardNumbers,
} from '../../../lambda/shared/card';
import { cardNumber, disguisedCard, revealsCard } from '../../support/card-disguises';

const RUNS = { numRuns: 3000 };

describe('the card-number detector, on disguised card numbers', () => {
  it('finds every card number of every brand and length, plain', () => {
    fc.assert(
      fc.property(cardNumber, (card) => {
        expect(findCardNumbers(card)).toEqual([{ start: 0, end: card.length, digits: card }]);
      }),
      RUNS,
    );
  });

  it('finds the card in every disguise, and redaction leaves none of it readable', () => {
    fc.assert(
      fc.property(disguisedCard, ({ text, card, how }) => {
        expect({ how, found: holdsCardNumber(text) }).toEqual({ how, found: true });
        for (const masked of [redactCardNumbers(text), maskCardLikeNumbers(text)]) {
          expect({ how, revealed: revealsCard(masked, card) }).toEqual({ how, revealed: false });
          expect(masked).toContain(card.slice(-4)); // the last four stay, for the merchant
        }
      }),
      RUNS,
    );
  });

  it('finds two disguised cards in one text', () => {
    fc.assert(
      fc.property(disguisedCard, disguisedCard, (a, b) => {
        const redacted = redactCardNumbers(`${a.text} and ${b.text}`);
        expect(revealsCard(redacted, a.card) || revealsCard(redacted, b.card)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

const amount = fc.integer({ min: 1, max: 99_999_999_999 }).map((cents) => (cents / 100).toFixed(2));
const instant = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });
const ordinary = fc.oneof(
  amount,
  amount.map((a) => `-${a}`),
  instant.map((d) => d.toISOString()),
  instant.map((d) =>
    d
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ''),
  ),
  instant.map((d) => d.toISOString().slice(0, 10)),
  instant.map((d) => d.toLocaleString('en-GB', { timeZone: 'UTC' })),
  fc.stringMatching(/^(tx|TX|order|INV)[-_]?[0-9]{1,10}$/),
  fc.stringMatching(/^[a-z]{3,12}( [a-z]{1,10}){0,6}$/),
  fc
    .tuple(fc.constantFrom('Order', 'Invoice', 'Refund of'), fc.nat({ max: 99999 }), instant, amount)
    .map(
      ([word, n, d, a]) =>
        `${word} ${n} on ${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}, total ${a} EUR`,
    ),
  fc.array(amount, { minLength: 2, maxLength: 8 }).map((list) => `amounts ${list.join(', ')}`),
);

describe('the card-number detector, on ordinary values', () => {
  it('leaves amounts, timestamps, ids and descriptions untouched', () => {
    fc.assert(
      fc.property(ordinary, (text) => {
        expect({ text, found: holdsCardNumber(text) }).toEqual({ text, found: false });
        expect(redactCardNumbers(text)).toBe(text);
        expect(maskCardLikeNumbers(text)).toBe(text);
      }),
      RUNS,
    );
  });
});
