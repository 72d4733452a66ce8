/**
 * Validation of one data row against the CSV contract. Pure and allocation-light: this is the
 * hot path of the validator (millions of rows per file). Messages never echo a card number.
 */
import { holdsCardNumber, luhnValid, PAN_MAX_DIGITS, PAN_MIN_DIGITS } from '../../shared/card';
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
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CARD_SEPARATORS = /[ -]/g;
const ZERO = 48;
const NINE = 57;
const SPACE = 32;
const DASH = 45;
const DOT = 46;

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
  if (
    text.charCodeAt(4) !== DASH ||
    text.charCodeAt(7) !== DASH ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 /* : */
  )
    return undefined;
  if (length === 24 && (text.charCodeAt(19) !== 46 /* . */ || digitsAt(text, 20, 3) < 0)) return undefined;
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

/**
 * The field trimmed. A field that starts and ends with printable ASCII (the usual case) has
 * nothing to trim, and is returned as is without calling `trim`.
 */
const at = (fields: readonly string[], index: number): string => {
  if (index < 0) return '';
  const field = fields[index];
  if (field === undefined) return '';
  const length = field.length;
  if (length === 0) return field;
  const first = field.charCodeAt(0);
  const last = field.charCodeAt(length - 1);
  return first > SPACE && first < 127 && last > SPACE && last < 127 ? field : field.trim();
};

/**
 * The last amount whose text is the number's own `String(amount)` form, and that text: the
 * stored item's content hash needs the amount as text, and converting a number back to text
 * costs more than validating it.
 */
let lastAmount = NaN;
let lastAmountText = '';

const remember = (amount: number, text: string): void => {
  lastAmount = amount;
  lastAmountText = text;
};

/** `String(amount)`, without the conversion when it is the amount validated last. */
export const amountToText = (amount: number): string =>
  amount === lastAmount ? lastAmountText : String(amount);

/**
 * The value of an amount matching `^\d{1,15}(?:\.\d{1,2})?$`, or -1 when it does not match.
 * Computed as an integer number of hundredths (or tenths) divided by 100 (or 10): both that
 * division and `Number(text)` round the same exact decimal correctly, so they are equal; an
 * amount too large for exact integers falls back to `Number`.
 * Text with at most 15 digits, no leading zero and no trailing zero after the point is what
 * `String` gives back for the value (15 digits identify a double uniquely), so it is
 * remembered for `amountToText`.
 */
const amountValue = (text: string): number => {
  const length = text.length;
  let i = 0;
  let whole = 0;
  for (; i < length; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (i < 1 || i > 15) return -1;
  const canonical = i === 1 || text.charCodeAt(0) !== ZERO;
  if (i === length) {
    if (canonical) remember(whole, text);
    return whole;
  }
  if (text.charCodeAt(i) !== DOT) return -1;
  const decimals = length - i - 1;
  if (decimals < 1 || decimals > 2) return -1;
  let fraction = 0;
  for (i++; i < length; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    fraction = fraction * 10 + d;
  }
  const scale = decimals === 1 ? 10 : 100;
  const scaled = whole * scale + fraction;
  const value = scaled <= Number.MAX_SAFE_INTEGER ? scaled / scale : Number(text);
  if (canonical && length <= 16 && text.charCodeAt(length - 1) !== ZERO) remember(value, text);
  return value;
};

/** The last code looked up in one reference list: files repeat the same few values. */
interface CodeMemo {
  text: string | undefined;
  code: string;
  known: boolean;
}

const newMemo = (): CodeMemo => ({ text: undefined, code: '', known: false });
const currencyMemo = newMemo();
const countryMemo = newMemo();
const cardTypeMemo = newMemo();

/** `text` upper- (or lower-) cased, remembering whether `list` has it in `memo.known`. */
const lookUp = (memo: CodeMemo, text: string, upper: boolean, list: ReadonlySet<string>): string => {
  if (text !== memo.text) {
    const code = upper ? text.toUpperCase() : text.toLowerCase();
    memo.known = list.has(code);
    memo.code = code;
    memo.text = text;
  }
  return memo.code;
};

const addError = (
  errors: RowError[] | undefined,
  line: number,
  column: string,
  code: RowError['code'],
  message: string,
): RowError[] => {
  const list = errors ?? [];
  list.push({ line, column, code, message });
  return list;
};

const missing = (errors: RowError[] | undefined, line: number, column: string): RowError[] =>
  addError(errors, line, column, 'MISSING_VALUE', `${column} is required and is empty.`);

/**
 * Validates one data row. Returns the canonical row, or every problem found in it. No closures
 * or regexes on the common path: this runs once per row.
 */
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
  let errors: RowError[] | undefined;
  const { index } = plan;
  const transactionId = at(fields, index.transaction_id);
  if (transactionId === '') {
    errors = missing(errors, line, 'transaction_id');
  } else if (!TRANSACTION_ID_PATTERN.test(transactionId)) {
    errors = addError(
      errors,
      line,
      'transaction_id',
      'INVALID_TRANSACTION_ID',
      'transaction_id must be 1-64 characters of A-Z a-z 0-9 . _ -.',
    );
  } else if (holdsCardNumber(transactionId)) {
    errors = addError(
      errors,
      line,
      'transaction_id',
      'CARD_NUMBER_IN_FIELD',
      'transaction_id looks like a card number, which may not be stored.',
    );
  }
  const merchantId = at(fields, index.merchant_id);
  if (merchantId === '') {
    errors = missing(errors, line, 'merchant_id');
  } else if (merchantId !== ctx.merchantId) {
    errors = addError(
      errors,
      line,
      'merchant_id',
      'MERCHANT_MISMATCH',
      `merchant_id must be "${ctx.merchantId}", the merchant of this upload.`,
    );
  }
  const timestampText = at(fields, index.timestamp);
  const timestamp = timestampText === '' ? undefined : canonicalTimestamp(timestampText);
  if (timestampText === '') {
    errors = missing(errors, line, 'timestamp');
  } else if (timestamp === undefined) {
    errors = addError(
      errors,
      line,
      'timestamp',
      'INVALID_TIMESTAMP',
      'timestamp must be ISO 8601 with a zone, e.g. 2024-05-01T12:30:00Z.',
    );
  }
  const amountText = at(fields, index.amount);
  const amount = amountValue(amountText);
  if (amountText === '') {
    errors = missing(errors, line, 'amount');
  } else if (!(amount > 0)) {
    errors = addError(
      errors,
      line,
      'amount',
      'INVALID_AMOUNT',
      'amount must be a decimal number greater than 0 with at most 2 decimal places.',
    );
  } else if (amount > ctx.maxAmount) {
    errors = addError(errors, line, 'amount', 'AMOUNT_TOO_LARGE', `amount must not exceed ${ctx.maxAmount}.`);
  }
  const currency = lookUp(currencyMemo, at(fields, index.currency), true, CURRENCY_CODES);
  if (currency === '') {
    errors = missing(errors, line, 'currency');
  } else if (!currencyMemo.known) {
    errors = addError(
      errors,
      line,
      'currency',
      'INVALID_CURRENCY',
      'currency must be an ISO 4217 code such as EUR or USD.',
    );
  }
  const cardText = at(fields, index.card_number);
  let digits = 0;
  let separators = 0;
  let other = false;
  for (let i = 0; i < cardText.length; i++) {
    const c = cardText.charCodeAt(i);
    if (c >= ZERO && c <= NINE) digits++;
    else if (c === SPACE || c === DASH) separators++;
    else {
      other = true;
      break;
    }
  }
  const pan = separators === 0 ? cardText : cardText.replace(CARD_SEPARATORS, '');
  if (cardText === '') {
    errors = missing(errors, line, 'card_number');
  } else if (other || digits < PAN_MIN_DIGITS || digits > PAN_MAX_DIGITS) {
    errors = addError(
      errors,
      line,
      'card_number',
      'INVALID_CARD_NUMBER',
      'card_number must be 12-19 digits.',
    );
  } else if (!luhnValid(pan)) {
    errors = addError(
      errors,
      line,
      'card_number',
      'INVALID_CARD_NUMBER',
      'card_number fails the Luhn check digit.',
    );
  }
  const country = lookUp(countryMemo, at(fields, index.country), true, COUNTRY_CODES);
  if (country !== '' && !countryMemo.known) {
    errors = addError(
      errors,
      line,
      'country',
      'INVALID_COUNTRY',
      'country must be an ISO 3166-1 alpha-2 code such as FR or US.',
    );
  }
  const cardType = lookUp(cardTypeMemo, at(fields, index.card_type), false, CARD_TYPES);
  if (cardType !== '' && !cardTypeMemo.known) {
    errors = addError(
      errors,
      line,
      'card_type',
      'INVALID_CARD_TYPE',
      `card_type must be one of: ${[...CARD_TYPES].join(', ')}.`,
    );
  }
  const description = at(fields, index.description);
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    errors = addError(
      errors,
      line,
      'description',
      'INVALID_DESCRIPTION',
      `description must be at most ${MAX_DESCRIPTION_LENGTH} characters.`,
    );
  } else if (holdsCardNumber(description)) {
    errors = addError(
      errors,
      line,
      'description',
      'CARD_NUMBER_IN_FIELD',
      'description contains a card number, which may not be stored.',
    );
  }
  if (errors !== undefined) return errors;
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
