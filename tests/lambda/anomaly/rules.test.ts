import { evaluateRules, isRoundAmount, RULES } from '../../../lambda/anomaly/rules';
import type { RuleId } from '../../../lambda/anomaly/anomaly';
import { memberOf } from '../../../lambda/anomaly/state/entries';
import { episodeOfWindow } from '../../../lambda/anomaly/episodes';
import { episodesFor, windowSpecs } from '../../../lambda/anomaly/windowed';
import { inserted, LIMITS, type ItemOverrides } from './fixtures';

const WINDOWED: readonly RuleId[] = ['velocity', 'card-testing', 'duplicate'];

/** The windowed rules over the rows as one whole set (what the detector alerts, however they arrive). */
const windowEpisodes = (rows: ItemOverrides[], rule: RuleId) => {
  const members = rows.map((row) => memberOf(inserted(row).transaction));
  return windowSpecs(LIMITS)
    .filter((spec) => spec.rule === rule)
    .flatMap((spec) => episodesFor(spec, [], members))
    .map((episode) => episodeOfWindow(episode, LIMITS, []));
};

const CARD_A = 'a'.repeat(64);
const CARD_B = 'b'.repeat(64);
const cardN = (n: number) => n.toString(16).padStart(64, '0');

/** Flagged transaction ids per rule for a batch built from `rows`. */
const flagged = (rows: ItemOverrides[], rule: RuleId): string[] =>
  WINDOWED.includes(rule)
    ? [
        ...new Set(
          windowEpisodes(rows, rule).flatMap((episode) => episode.transactions.map((t) => t.transactionId)),
        ),
      ].sort()
    : evaluateRules(rows.map(inserted), LIMITS)
        .filter((anomaly) => anomaly.rule === rule)
        .map((anomaly) => anomaly.transaction.transactionId)
        .sort();

const times = <T = ItemOverrides>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i));

describe('anomaly rules (default thresholds)', () => {
  it('has one function per per-transaction rule, and one window per windowed rule and scope', () => {
    expect(RULES).toHaveLength(3);
    expect(windowSpecs(LIMITS).map((spec) => `${spec.rule}/${spec.scope}`)).toEqual([
      'velocity/card',
      'card-testing/card',
      'card-testing/merchant',
      'duplicate/charge',
    ]);
  });

  it.each<[string, ItemOverrides[], RuleId, string[]]>([
    ['an amount over 10000 is high-amount', [{ id: 'big', amount: 10000.01 }], 'high-amount', ['big']],
    ['an amount of exactly 10000 is not', [{ id: 'edge', amount: 10000 }], 'high-amount', []],
    ['a round 5000.00 is round-amount', [{ id: 'round', amount: '5000.00' }], 'round-amount', ['round']],
    [
      'a round 1000 (the threshold) is round-amount',
      [{ id: 'r1000', amount: 1000 }],
      'round-amount',
      ['r1000'],
    ],
    ['5000.50 is not round', [{ id: 'cents', amount: 5000.5 }], 'round-amount', []],
    ['a round 900 is under the threshold', [{ id: 'small', amount: 900 }], 'round-amount', []],
    ['1050 is not a multiple of 100', [{ id: 'odd', amount: 1050 }], 'round-amount', []],
    ['country KP is high-risk', [{ id: 'kp', country: 'KP' }], 'high-risk-country', ['kp']],
    ['a lower-case country is normalised', [{ id: 'ir', country: 'ir' }], 'high-risk-country', ['ir']],
    ['country FR is not high-risk', [{ id: 'fr', country: 'FR' }], 'high-risk-country', []],
    ['no country is not high-risk', [{ id: 'none' }], 'high-risk-country', []],
  ])('%s', (_name, rows, rule, expected) => {
    expect(flagged(rows, rule)).toEqual(expected);
  });

  describe('velocity: same card more than 5 times within 600 s', () => {
    it.each<[string, ItemOverrides[], string[]]>([
      [
        '6 uses of one card within 10 minutes are all flagged',
        times(6, (i) => ({ id: `v${i}`, card: CARD_A, offsetSeconds: i * 100, amount: 10 + i })),
        ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'],
      ],
      [
        '5 uses are within the limit',
        times(5, (i) => ({ id: `v${i}`, card: CARD_A, offsetSeconds: i * 10, amount: 10 + i })),
        [],
      ],
      [
        '6 uses spread over more than 600 s are not',
        times(6, (i) => ({ id: `v${i}`, card: CARD_A, offsetSeconds: i * 121, amount: 10 + i })),
        [],
      ],
      [
        '6 uses split over two cards are not',
        times(6, (i) => ({ id: `v${i}`, card: i % 2 ? CARD_A : CARD_B, offsetSeconds: i, amount: 10 + i })),
        [],
      ],
    ])('%s', (_name, rows, expected) => {
      expect(flagged(rows, 'velocity')).toEqual(expected);
    });

    it('says how many times the card was used, with the card masked', () => {
      const rows = times(7, (i) => ({
        id: `v${i}`,
        card: CARD_A,
        last4: '4242',
        offsetSeconds: i,
        amount: 10 + i,
      }));
      const [first] = windowEpisodes(rows, 'velocity');
      expect(first.reason).toContain('**** 4242');
      expect(first.reason).toContain('7 times within 600 s');
    });
  });

  describe('card testing: small amounts (<= 2) in 300 s', () => {
    it.each<[string, ItemOverrides[], string[]]>([
      [
        '4 small amounts on one card are flagged',
        times(4, (i) => ({ id: `s${i}`, card: CARD_A, amount: 1, offsetSeconds: i * 30 })),
        ['s0', 's1', 's2', 's3'],
      ],
      [
        '3 small amounts on one card are not',
        times(3, (i) => ({ id: `s${i}`, card: CARD_A, amount: 1, offsetSeconds: i })),
        [],
      ],
      [
        '4 amounts of 2.01 are not small',
        times(4, (i) => ({ id: `s${i}`, card: CARD_A, amount: 2.01, offsetSeconds: i })),
        [],
      ],
      [
        '11 distinct cards with small amounts at one merchant are flagged',
        times(11, (i) => ({
          id: `m${String(i).padStart(2, '0')}`,
          card: cardN(i),
          amount: 0.5,
          offsetSeconds: i * 20,
        })),
        times(11, (i) => `m${String(i).padStart(2, '0')}`),
      ],
      [
        '10 distinct cards are within the limit',
        times(10, (i) => ({ id: `m${i}`, card: cardN(i), amount: 0.5, offsetSeconds: i })),
        [],
      ],
      [
        '11 distinct cards at two merchants are not',
        times(11, (i) => ({
          id: `m${i}`,
          card: cardN(i),
          amount: 0.5,
          merchant: i % 2 ? 'merchant-a' : 'merchant-b',
        })),
        [],
      ],
      [
        '11 distinct cards over more than 300 s are not',
        times(11, (i) => ({ id: `m${i}`, card: cardN(i), amount: 0.5, offsetSeconds: i * 31 })),
        [],
      ],
    ])('%s', (_name, rows, expected) => {
      expect(flagged(rows, 'card-testing')).toEqual(expected);
    });
  });

  describe('duplicates: same card, amount and merchant within 300 s', () => {
    it.each<[string, ItemOverrides[], string[]]>([
      [
        'two equal charges are one duplicate episode naming both',
        [
          { id: 'd1', card: CARD_A, amount: 42 },
          { id: 'd2', card: CARD_A, amount: '42.00', offsetSeconds: 60 },
        ],
        ['d1', 'd2'],
      ],
      [
        'charges 301 s apart are not',
        [
          { id: 'd1', card: CARD_A, amount: 42 },
          { id: 'd2', card: CARD_A, amount: 42, offsetSeconds: 301 },
        ],
        [],
      ],
      [
        'different amounts are not',
        [
          { id: 'd1', card: CARD_A, amount: 42 },
          { id: 'd2', card: CARD_A, amount: 43 },
        ],
        [],
      ],
      [
        'different merchants are not',
        [
          { id: 'd1', card: CARD_A, amount: 42 },
          { id: 'd2', card: CARD_A, amount: 42, merchant: 'merchant-b' },
        ],
        [],
      ],
      [
        'different cards are not',
        [
          { id: 'd1', card: CARD_A, amount: 42 },
          { id: 'd2', card: CARD_B, amount: 42 },
        ],
        [],
      ],
    ])('%s', (_name, rows, expected) => {
      expect(flagged(rows, 'duplicate')).toEqual(expected);
    });

    it('says the charge and how often it was made, card masked', () => {
      const [episode] = windowEpisodes(
        [
          { id: 'first', card: CARD_A, amount: 42, last4: '4242' },
          { id: 'again', card: CARD_A, amount: 42, last4: '4242', offsetSeconds: 5 },
        ],
        'duplicate',
      );
      expect(episode.reason).toBe('Card **** 4242 was charged 42 USD at merchant-a 2 times within 300 s.');
      expect(episode.transactions.map((t) => t.transactionId)).toEqual(['first', 'again']);
    });
  });

  it('thresholds come from the limits passed in', () => {
    const rows = [{ id: 'x', amount: 600 }].map(inserted);
    expect(evaluateRules(rows, { ...LIMITS, amountThreshold: 500 }).map((a) => a.rule)).toContain(
      'high-amount',
    );
    expect(evaluateRules(rows, LIMITS).map((a) => a.rule)).not.toContain('high-amount');
  });

  it('an ordinary transaction raises nothing', () => {
    expect(evaluateRules([inserted({ amount: 25.5, country: 'FR' })], LIMITS)).toEqual([]);
  });
});

describe('isRoundAmount', () => {
  it.each([
    ['100', true],
    ['5000.00', true],
    ['5000.50', false],
    ['150', false],
    ['0', false],
    ['abc', false],
  ])('%s -> %s', (amount, expected) => {
    expect(isRoundAmount(amount)).toBe(expected);
  });
});
