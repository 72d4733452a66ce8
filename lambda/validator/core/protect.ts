/**
 * Turns a valid row into the stored item: the card number becomes its last four digits and a
 * keyed HMAC-SHA-256 (PCI DSS v4.0.1 req. 3.5.1); the content hash lets a re-delivered row be
 * recognised as unchanged. Also masks rejected rows before they are written anywhere.
 */
import { hash } from 'node:crypto';
import { cardHash, containsPan, last4, maskCard, redactPans } from '../../shared/card';
import type { StoredItem, ValidRow } from './types';

/**
 * SHA-256 over the stored business fields only (not upload_id/source_line), so re-delivery
 * compares equal. Fields are joined with a unit separator: every field but the description is
 * restricted to characters without one, and the description comes last, JSON-quoted, so two
 * different items cannot produce the same text.
 */
export const contentHash = (item: Omit<StoredItem, 'content_hash' | 'upload_id' | 'source_line'>): string =>
  hash(
    'sha256',
    `${item.transaction_id}\x1f${item.timestamp}\x1f${item.merchant_id}\x1f${item.amount}\x1f${item.currency}\x1f` +
      `${item.card_last4}\x1f${item.card_hash}\x1f${item.card_type ?? ''}\x1f${item.country ?? ''}\x1f` +
      (item.description === undefined ? '' : JSON.stringify(item.description)),
    'hex',
  );

/** Distinct cards remembered per file: the same card recurs often, and HMAC is the costliest step. */
export const CARD_HASH_CACHE_SIZE = 50_000;

/**
 * A protector for one file: ValidRow -> StoredItem. Card hashes are memoised in a bounded map
 * (cleared when full) that lives only as long as the file's processing, in memory.
 */
export const createProtector = (
  cardKey: string,
  uploadId: string,
): ((row: ValidRow, line: number) => StoredItem) => {
  const hashes = new Map<string, string>();
  const hashOf = (pan: string): string => {
    let hashed = hashes.get(pan);
    if (hashed === undefined) {
      if (hashes.size >= CARD_HASH_CACHE_SIZE) hashes.clear();
      hashed = cardHash(pan, cardKey);
      hashes.set(pan, hashed);
    }
    return hashed;
  };
  return (row, line) => toStoredItem(row, hashOf(row.pan), uploadId, line);
};

/**
 * The stored item of a valid row, given the row's card hash. One object literal with a fixed
 * shape (absent optional columns are `undefined`, dropped by the document client's
 * removeUndefinedValues): this runs once per row, so no intermediate objects.
 */
export const toStoredItem = (
  row: ValidRow,
  rowCardHash: string,
  uploadId: string,
  line: number,
): StoredItem => {
  const item = {
    transaction_id: row.transactionId,
    timestamp: row.timestamp,
    merchant_id: row.merchantId,
    amount: row.amount,
    currency: row.currency,
    card_last4: last4(row.pan),
    card_hash: rowCardHash,
    card_type: row.cardType,
    country: row.country,
    description: row.description,
    upload_id: uploadId,
    source_line: line,
    content_hash: '',
  };
  item.content_hash = contentHash(item);
  return item;
};

/**
 * A rejected row made safe to write in a report: the card number column keeps only its last
 * four digits, and any other field that holds something card-like is masked.
 */
export const maskRejectedFields = (fields: readonly string[], cardColumn: number): string[] =>
  fields.map((field, i) => {
    if (i === cardColumn) {
      const digits = field.replace(/\D/g, '');
      return digits.length >= 4 ? maskCard(last4(digits)) : digits.length > 0 ? '****' : '';
    }
    return containsPan(field) ? redactPans(field) : field;
  });
