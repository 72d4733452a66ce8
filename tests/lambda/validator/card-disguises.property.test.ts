/**
 * A disguised card number in any field or column name of an uploaded file reaches no output of the
 * validator core: not the stored items, not the rejected rows echoed to the merchant, not the header
 * or unknown columns the manifest lists. Rows carrying one in a stored field are rejected.
 */
import fc from 'fast-check';
import { processFile, type RejectedRow } from '../../../lambda/validator/core/pipeline';
import { FileRefusedError } from '../../../lambda/validator/core/refusal';
import { disguisedCard, revealsCard } from '../../support/card-disguises';
import { chunks, HEADER, LIMITS, memorySink, ROW_DEFAULTS } from './helpers';

const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;

/** Columns whose value is stored: a card there must get the row rejected. */
const STORED = ['description', 'transaction_id', 'country', 'currency', 'amount', 'timestamp', 'card_type'];
/** Where the disguised card goes: a stored column, the card column, or a column the contract does not know. */
const PLACES = [...STORED, 'card_number', 'unknown column value', 'unknown column name'];
type Place = string;

function fileWith(place: Place, text: string): string {
  const extraName = place === 'unknown column name' ? text : 'notes';
  const values = HEADER.split(',').map((column) => (column === place ? text : ROW_DEFAULTS[column]));
  const extra = place === 'unknown column value' ? text : 'n/a';
  const header = `${HEADER},${quote(extraName)}`;
  return `${header}\n${[...values, extra].map(quote).join(',')}\n`;
}

describe('disguised card numbers through the validator core', () => {
  it('never reach a stored item, a rejected row, the header or the unknown columns', async () => {
    await fc.assert(
      fc.asyncProperty(disguisedCard, fc.constantFrom(...PLACES), async (disguise, place) => {
        const { sink, batches } = memorySink();
        const rejected: RejectedRow[] = [];
        let outputs: unknown[];
        try {
          const result = await processFile(chunks(fileWith(place, disguise.text), 97), {
            merchantId: 'merchant-a',
            uploadId: 'up-disguise',
            limits: LIMITS,
            cardKey: 'property-key',
            sink,
            batchSize: 5,
            onReject: (r) => void rejected.push(r),
          });
          outputs = [batches, result, rejected];
          if (STORED.includes(place))
            expect({ place, stored: result.counts.stored }).toEqual({ place, stored: 0 });
        } catch (error) {
          // A column name may make the header unusable (a duplicate, say): the refusal must not echo it.
          if (!(error instanceof FileRefusedError)) throw error;
          outputs = [error.message, batches];
        }
        const text = JSON.stringify(outputs);
        expect({ how: disguise.how, place, revealed: revealsCard(text, disguise.card) }).toEqual({
          how: disguise.how,
          place,
          revealed: false,
        });
      }),
      { numRuns: 1500 },
    );
  });
});
