import fc from 'fast-check';
import { processFile, type RejectedRow } from '../../../lambda/validator/core/pipeline';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { withCheckDigit } from '../../../lambda/shared/card-number/luhn';
import { jsonWithoutDigests } from '../../support/digests';
import { chunks, HEADER, LIMITS, memorySink } from './helpers';

/** RFC 4180 quoting, applied only when needed (and sometimes when not). */
const quote = (value: string, always: boolean): string =>
  always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

const luhnCard = fc
  .tuple(fc.constantFrom('4', '51', '37', '6011'), fc.integer({ min: 11, max: 18 }), fc.nat())
  .map(([prefix, length, seed]) => {
    let body = prefix;
    let x = seed;
    while (body.length < length) {
      body += String(x % 10);
      x = Math.floor(x / 10) + 7919 * body.length;
    }
    return withCheckDigit(body);
  });

const cardField = fc.oneof(
  luhnCard,
  luhnCard.map((card) => card.replace(/(\d{4})(?=\d)/g, '$1 ')),
  fc.stringMatching(/^\d{10,20}$/),
  fc.constant(''),
);

const field = {
  transaction_id: fc.oneof(
    fc.stringMatching(/^tx-[a-z0-9]{1,6}$/),
    fc.constant(''),
    fc.string({ maxLength: 8 }),
    luhnCard,
  ),
  merchant_id: fc.constantFrom('merchant-a', 'merchant-a', 'merchant-b', ''),
  timestamp: fc.oneof(
    fc
      .date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.constantFrom('2024-02-30T00:00:00Z', '2024-05-01', 'yesterday', '2024-05-01T10:00:00+02:00'),
  ),
  amount: fc.oneof(
    fc.integer({ min: 1, max: 200_000_000 }).map((cents) => (cents / 100).toFixed(2)),
    fc.constantFrom('0', '-1.00', '1.234', 'abc', '', '1e3'),
  ),
  currency: fc.constantFrom('EUR', 'usd', 'GBP', 'EURO', ''),
  card_number: cardField,
  country: fc.constantFrom('FR', 'us', '', 'XX'),
  card_type: fc.constantFrom('visa', 'Mastercard', '', 'gold'),
  description: fc.oneof(
    fc.string({ maxLength: 30 }),
    luhnCard.map((card) => `card ${card} in a note`),
    fc.constantFrom('', 'line one\nline two', 'say "hi", ok'),
  ),
};

const columns = HEADER.split(',') as (keyof typeof field)[];
const rowArb = fc.record(field).map((values) => columns.map((c) => values[c]));
const fileArb = fc.record({
  rows: fc.array(rowArb, { maxLength: 40 }),
  crlf: fc.boolean(),
  quoteAll: fc.boolean(),
  chunkSize: fc.integer({ min: 1, max: 4096 }),
  shortRows: fc.array(fc.nat({ max: 39 }), { maxLength: 3 }),
});

describe('validator core properties', () => {
  it('every data row is accepted or rejected exactly once, and no output holds a card number', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, async ({ rows, crlf, quoteAll, chunkSize, shortRows }) => {
        const eol = crlf ? '\r\n' : '\n';
        const lines = rows.map((values, i) => {
          const kept = shortRows.includes(i) ? values.slice(0, 4) : values;
          return kept.map((v) => quote(v, quoteAll)).join(',');
        });
        const text = [HEADER, ...lines].join(eol) + eol;
        const { sink, batches } = memorySink();
        const rejected: RejectedRow[] = [];
        const result = await processFile(chunks(text, chunkSize), {
          merchantId: 'merchant-a',
          uploadId: 'up-prop',
          limits: LIMITS,
          cardKey: 'property-key',
          sink,
          batchSize: 7,
          onReject: (r) => void rejected.push(r),
        });
        const { counts } = result;
        expect(counts.rows).toBe(rows.length);
        expect(counts.accepted + counts.rejected).toBe(counts.rows);
        expect(counts.stored + counts.unchanged).toBe(counts.accepted);
        expect(batches.flat()).toHaveLength(counts.stored);
        expect(rejected).toHaveLength(counts.rejected);
        for (const output of [
          jsonWithoutDigests(batches),
          JSON.stringify(result),
          JSON.stringify(rejected),
        ]) {
          expect(holdsCardNumber(output)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });
});
