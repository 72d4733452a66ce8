/**
 * Turns a valid row into the stored item: the card number becomes its last four digits and a
 * keyed HMAC-SHA-256 (PCI DSS v4.0.1 req. 3.5.1); the content hash lets a re-delivered row be
 * recognised as unchanged. Also masks rejected rows before they are written anywhere.
 */
import { hash } from 'node:crypto';
import { cardHash, last4, maskCard, maskCardLikeNumbers } from '../../shared/card';
import { asciiDigits } from '../../shared/card-number/characters';
import { transactionKey } from '../../shared/contract';
import { amountToText } from './amount';
import type { StoredItem, ValidRow } from './types';

/**
 * SHA-256 over the stored business fields only (not upload_id/source_line), so re-delivery
 * compares equal. Fields are joined with a unit separator: every field but the description is
 * restricted to characters without one, and the description comes last, JSON-quoted, so two
 * different items cannot produce the same text.
 */
export const contentHash = (
  item: Omit<StoredItem, 'content_hash' | 'upload_id' | 'uploaded_at' | 'source_line'>,
): string =>
  hash(
    'sha256',
    `${item.transaction_id}\x1f${item.timestamp}\x1f${item.merchant_id}\x1f${item.amount}\x1f${item.currency}\x1f` +
      `${item.card_last4}\x1f${item.card_hash}\x1f${item.card_type ?? ''}\x1f${item.country ?? ''}\x1f` +
      (item.description === undefined ? '' : JSON.stringify(item.description)),
    'hex',
  );

/** What a file's rows need of one card: never the PAN itself. */
export interface ProtectedCard {
  readonly last4: string;
  readonly hash: string;
  /** `last4` and `hash` as they appear in the text of `contentHash`, built once per card. */
  readonly contentText: string;
}

export const protectCard = (pan: string, cardKey: string): ProtectedCard => {
  const lastFour = last4(pan);
  const hashed = cardHash(pan, cardKey);
  return { last4: lastFour, hash: hashed, contentText: `${lastFour}\x1f${hashed}` };
};

/** Distinct cards remembered per file: the same card recurs often, and HMAC is the costliest step. */
export const CARD_HASH_CACHE_SIZE = 50_000;

/**
 * A protector for one file: ValidRow -> StoredItem. Cards are memoised in a bounded table
 * (cleared when full) that lives only as long as the file's processing, in memory.
 */
export const createProtector = (
  cardKey: string,
  origin: FileOrigin,
): ((row: ValidRow, line: number) => StoredItem) => {
  const cards = new CardTable(cardKey);
  return (row, line) => toStoredItem(row, cards.get(row.pan), origin, line);
};

/** Where a row came from: its upload, and when S3 created the file (not part of the content hash). */
export interface FileOrigin {
  readonly uploadId: string;
  /** The S3 event time, ISO 8601; the detector times the file's alerts from it. */
  readonly uploadedAt?: string;
}

/** Slots of the card table: a power of two, at most half used. */
const CARD_SLOTS = 2 ** Math.ceil(Math.log2(2 * CARD_HASH_CACHE_SIZE));

/**
 * Card number -> ProtectedCard, open addressing. A card number (12-19 ASCII digits) is keyed
 * by two exact numbers, its leading digits with its length and its last nine digits, kept in
 * one typed array: a lookup compares numbers in one place instead of following a map entry to
 * a string (this runs once per row, and a file's distinct cards do not stay in cache).
 */
class CardTable {
  private readonly keys = new Float64Array(2 * CARD_SLOTS);
  private readonly cards: (ProtectedCard | undefined)[] = new Array<ProtectedCard | undefined>(
    CARD_SLOTS,
  ).fill(undefined);
  private used = 0;

  constructor(private readonly cardKey: string) {}

  get(pan: string): ProtectedCard {
    // Anything but a validated card number (which never reaches here) is not memoised.
    if (pan.length < 12 || pan.length > 19) return protectCard(pan, this.cardKey);
    const split = pan.length - 9;
    let high = 0;
    let low = 0;
    for (let i = 0; i < pan.length; i++) {
      const d = pan.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return protectCard(pan, this.cardKey);
      if (i < split) high = high * 10 + d;
      else low = low * 10 + d;
    }
    // Leading digits (at most 10) times 32 plus the length: exact, and never 0 (an empty slot).
    const first = high * 32 + pan.length;
    let slot = (Math.imul((high | 0) ^ Math.imul(low, 0x9e3779b1), 0x85ebca6b) ^ (high / 0x100000000)) >>> 0;
    slot &= CARD_SLOTS - 1;
    for (;;) {
      const at = slot * 2;
      const key = this.keys[at];
      if (key === first && this.keys[at + 1] === low) return this.cards[slot] as ProtectedCard;
      if (key === 0) break;
      slot = (slot + 1) & (CARD_SLOTS - 1);
    }
    if (this.used >= CARD_HASH_CACHE_SIZE) {
      this.keys.fill(0);
      this.cards.fill(undefined);
      this.used = 0;
      return this.get(pan);
    }
    const card = protectCard(pan, this.cardKey);
    this.keys[slot * 2] = first;
    this.keys[slot * 2 + 1] = low;
    this.cards[slot] = card;
    this.used++;
    return card;
  }
}

/**
 * The stored item of a valid row, given the row's protected card. One object literal with a
 * fixed shape (absent optional columns are `undefined`, dropped by the document client's
 * removeUndefinedValues): this runs once per row, so no intermediate objects. The content
 * hash is `contentHash(item)`, its text built here from fewer pieces (the card's part once per
 * card, the amount's text remembered from validation).
 */
export const toStoredItem = (
  row: ValidRow,
  card: ProtectedCard,
  origin: FileOrigin,
  line: number,
): StoredItem => storedItem(transactionKey(row.merchantId, row.transactionId), row, card, origin, line);

function storedItem(
  key: string,
  row: ValidRow,
  card: ProtectedCard,
  origin: FileOrigin,
  line: number,
): StoredItem {
  return {
    transaction_id: key,
    timestamp: row.timestamp,
    merchant_id: row.merchantId,
    amount: row.amount,
    currency: row.currency,
    card_last4: card.last4,
    card_hash: card.hash,
    card_type: row.cardType,
    country: row.country,
    description: row.description,
    upload_id: origin.uploadId,
    uploaded_at: origin.uploadedAt,
    source_line: line,
    content_hash: hash(
      'sha256',
      `${key}\x1f${row.timestamp}\x1f${row.merchantId}\x1f${amountToText(row.amount)}\x1f` +
        `${row.currency}\x1f${card.contentText}\x1f${row.cardType ?? ''}\x1f${row.country ?? ''}\x1f` +
        (row.description === undefined ? '' : JSON.stringify(row.description)),
      'hex',
    ),
  };
}

/**
 * A rejected row made safe to write in a report: the card number column keeps only its last
 * four digits, and any other field that holds something card-like is masked.
 */
export const maskRejectedFields = (fields: readonly string[], cardColumn: number): string[] =>
  fields.map((field, i) => {
    if (i === cardColumn) {
      const digits = asciiDigits(field); // of any script: a card written in Arabic-Indic digits too
      return digits.length >= 4 ? maskCard(last4(digits)) : digits.length > 0 ? '****' : '';
    }
    // Any long digit run, Luhn-valid or not: a mistyped card, or a row whose columns shifted.
    return maskCardLikeNumbers(field);
  });
