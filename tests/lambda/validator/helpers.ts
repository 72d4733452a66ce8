/** Test helpers for the validator: CSV building and a sink that remembers what it was given. */
import type { BatchOutcome, ItemSink, StoredItem } from '../../../lambda/validator/core/types';

export const HEADER =
  'transaction_id,merchant_id,timestamp,amount,currency,card_number,country,card_type,description';

export const LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  maxLineBytes: 4096,
  maxRows: 100_000,
  maxAmount: 1_000_000,
};

/** A valid row for merchant-a, column by column. */
export const ROW_DEFAULTS: Readonly<Record<string, string>> = {
  transaction_id: 'tx-1',
  merchant_id: 'merchant-a',
  timestamp: '2024-05-01T09:15:00Z',
  amount: '42.50',
  currency: 'EUR',
  card_number: '4111111111111111',
  country: 'FR',
  card_type: 'visa',
  description: 'coffee',
};

export const row = (overrides: Partial<Record<string, string>> = {}): string => {
  const values: Record<string, string> = { ...ROW_DEFAULTS, ...overrides } as Record<string, string>;
  return HEADER.split(',')
    .map((column) => values[column] ?? '')
    .join(',');
};

export const csv = (...lines: string[]): string => `${[HEADER, ...lines].join('\n')}\n`;

/** Feeds text to the core in chunks of `size` bytes (to exercise chunk boundaries). */
export async function* chunks(text: string | Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A sink that keeps every batch; `existing` simulates items already stored. */
export const memorySink = (existing: Map<string, string> = new Map()) => {
  const batches: StoredItem[][] = [];
  const sink: ItemSink = {
    async writeBatch(items): Promise<BatchOutcome> {
      batches.push([...items]);
      let stored = 0;
      let unchanged = 0;
      const conflicts: StoredItem[] = [];
      for (const item of items) {
        const key = `${item.transaction_id}\n${item.timestamp}`;
        const hash = existing.get(key);
        if (hash === undefined) {
          existing.set(key, item.content_hash);
          stored++;
        } else if (hash === item.content_hash) unchanged++;
        else conflicts.push(item);
      }
      return { stored, unchanged, conflicts };
    },
  };
  return { sink, batches, existing };
};

/** A stored item as the core hands it to a sink, numbered `i`. */
export const sinkItem = (i: number): StoredItem => ({
  transaction_id: `tx-${i}`,
  timestamp: '2024-05-01T09:15:00.000Z',
  merchant_id: 'merchant-a',
  amount: 1,
  currency: 'EUR',
  card_last4: '1111',
  card_hash: 'h',
  upload_id: 'up',
  source_line: i + 2,
  content_hash: `c-${i}`,
});
