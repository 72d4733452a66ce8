/**
 * Validation of one data row against the CSV contract. Pure and allocation-light: this is the
 * hot path of the validator (millions of rows per file). Messages never echo a card number.
 */
import { containsPan, luhnValid, PAN_MAX_DIGITS, PAN_MIN_DIGITS } from '../../shared/card';
import { TRANSACTION_ID_PATTERN } from '../../shared/contract';
import type { HeaderPlan } from './csv-contract';
import { CARD_TYPES, COUNTRY_CODES, CURRENCY_CODES } from './reference-data';
import { MAX_DESCRIPTION_LENGTH, type RowError, type ValidRow } from './types';

export interface RowContext {
  readonly plan: HeaderPlan;
  /** The merchant of the upload path; every row must name it. */
  readonly merchantId: string;
  readonly maxAmount: number;
}

// ISO 8601 date-time with a mandatory zone (Z or +hh:mm / +hhmm / +hh).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)$/;
const AMOUNT = /^\d{1,15}(?:\.\d{1,2})?$/;
const CARD_SEPARATORS = /[ -]/g;
const ALL_DIGITS = /^\d+$/;
// Cheap pre-check before the full card-number scan of an id.
const MANY_DIGITS = /(?:\d[ -]?){12}/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const digitsAt = (text: string, start: number, count: number): number => {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
};

/**
 * Fast path for the common UTC forms `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.mmmZ`,
 * whose canonical form is the text itself (with `.000` added): no regex, no Date. Returns
 * undefined when the text is not in one of these forms, and the general parser decides.
 */
const canonicalUtcFast = (text: string): string | undefined => {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':')
    return undefined;
  if (length === 24 && (text[19] !== '.' || digitsAt(text, 20, 3) < 0)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return undefined;
  if (month === 2 && day === 29 && !isLeap(year)) return undefined;
  return length === 24 ? text : `${text.slice(0, 19)}.000Z`;
};

/** Canonical UTC timestamp, or undefined when the text is not a real ISO 8601 instant with a zone. */
export const canonicalTimestamp = (text: string): string | undefined => {
  const fast = canonicalUtcFast(text);
  if (fast !== undefined) return fast;
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  const millis = m[7] === undefined ? 0 : +m[7].slice(0, 3).padEnd(3, '0');
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && !isLeap(year))) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offHours = +m[10];
    const offMinutes = m[11] === undefined ? 0 : +m[11];
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const date = new Date(epoch);
  // Date.UTC maps years 0-99 to 1900-1999; keep the year as written.
  if (year < 100) date.setUTCFullYear(year);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const at = (fields: readonly string[], index: number): string =>
  index < 0 ? '' : (fields[index] ?? '').trim();

/** Validates one data row. Returns the canonical row, or every problem found in it. */
export const validateRow = (
  fields: readonly string[],
  line: number,
  ctx: RowContext,
): ValidRow | RowError[] => {
  const { plan } = ctx;
  if (fields.length !== plan.header.length) {
    return [
      {
        line,
        code: 'COLUMN_COUNT',
        message: `The row has ${fields.length} field(s); the header has ${plan.header.length}.`,
      },
    ];
  }
  const errors: RowError[] = [];
  const fail = (column: string, code: RowError['code'], message: string): undefined => {
    errors.push({ line, column, code, message });
    return undefined;
  };
  const required = (column: string, value: string): boolean =>
    value !== '' || fail(column, 'MISSING_VALUE', `${column} is required and is empty.`) !== undefined;

  const { index } = plan;
  const transactionId = at(fields, index.transaction_id);
  if (required('transaction_id', transactionId) && !TRANSACTION_ID_PATTERN.test(transactionId)) {
    fail(
      'transaction_id',
      'INVALID_TRANSACTION_ID',
      'transaction_id must be 1-64 characters of A-Z a-z 0-9 . _ -.',
    );
  } else if (MANY_DIGITS.test(transactionId) && containsPan(transactionId)) {
    fail(
      'transaction_id',
      'CARD_NUMBER_IN_FIELD',
      'transaction_id looks like a card number, which may not be stored.',
    );
  }
  const merchantId = at(fields, index.merchant_id);
  if (required('merchant_id', merchantId) && merchantId !== ctx.merchantId) {
    fail(
      'merchant_id',
      'MERCHANT_MISMATCH',
      `merchant_id must be "${ctx.merchantId}", the merchant of this upload.`,
    );
  }
  const timestampText = at(fields, index.timestamp);
  const timestamp = timestampText === '' ? undefined : canonicalTimestamp(timestampText);
  if (required('timestamp', timestampText) && timestamp === undefined) {
    fail(
      'timestamp',
      'INVALID_TIMESTAMP',
      'timestamp must be ISO 8601 with a zone, e.g. 2024-05-01T12:30:00Z.',
    );
  }
  const amountText = at(fields, index.amount);
  const amount = Number(amountText);
  if (required('amount', amountText)) {
    if (!AMOUNT.test(amountText) || !(amount > 0)) {
      fail(
        'amount',
        'INVALID_AMOUNT',
        'amount must be a decimal number greater than 0 with at most 2 decimal places.',
      );
    } else if (amount > ctx.maxAmount) {
      fail('amount', 'AMOUNT_TOO_LARGE', `amount must not exceed ${ctx.maxAmount}.`);
    }
  }
  const currency = at(fields, index.currency).toUpperCase();
  if (required('currency', currency) && !CURRENCY_CODES.has(currency)) {
    fail('currency', 'INVALID_CURRENCY', 'currency must be an ISO 4217 code such as EUR or USD.');
  }
  const cardText = at(fields, index.card_number);
  const pan = cardText.replace(CARD_SEPARATORS, '');
  if (required('card_number', cardText)) {
    if (!ALL_DIGITS.test(pan) || pan.length < PAN_MIN_DIGITS || pan.length > PAN_MAX_DIGITS) {
      fail('card_number', 'INVALID_CARD_NUMBER', 'card_number must be 12-19 digits.');
    } else if (!luhnValid(pan)) {
      fail('card_number', 'INVALID_CARD_NUMBER', 'card_number fails the Luhn check digit.');
    }
  }
  const country = at(fields, index.country).toUpperCase();
  if (country !== '' && !COUNTRY_CODES.has(country)) {
    fail('country', 'INVALID_COUNTRY', 'country must be an ISO 3166-1 alpha-2 code such as FR or US.');
  }
  const cardType = at(fields, index.card_type).toLowerCase();
  if (cardType !== '' && !CARD_TYPES.has(cardType)) {
    fail('card_type', 'INVALID_CARD_TYPE', `card_type must be one of: ${[...CARD_TYPES].join(', ')}.`);
  }
  const description = at(fields, index.description);
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    fail(
      'description',
      'INVALID_DESCRIPTION',
      `description must be at most ${MAX_DESCRIPTION_LENGTH} characters.`,
    );
  } else if (MANY_DIGITS.test(description) && containsPan(description)) {
    fail(
      'description',
      'CARD_NUMBER_IN_FIELD',
      'description contains a card number, which may not be stored.',
    );
  }
  if (errors.length > 0) return errors;
  return {
    transactionId,
    timestamp: timestamp as string,
    merchantId,
    amount,
    currency,
    pan,
    country: country === '' ? undefined : country,
    cardType: cardType === '' ? undefined : cardType,
    description: description === '' ? undefined : description,
  };
};
