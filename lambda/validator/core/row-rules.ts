/**
 * Validation of one data row against the CSV contract. Pure and allocation-light: this is the
 * hot path of the validator (millions of rows per file). Messages never echo a card number.
 */
import { holdsCardNumber, luhnValid, PAN_MAX_DIGITS, PAN_MIN_DIGITS } from '../../shared/card';
import { TRANSACTION_ID_PATTERN } from '../../shared/contract';
import type { HeaderPlan } from './csv-contract';
import { amountValue } from './amount';
import { DASH, NINE, SPACE, ZERO } from './char-codes';
import { CARD_TYPES, COUNTRY_CODES, CURRENCY_CODES } from './reference-data';
import { canonicalTimestamp } from './timestamp';
import { MAX_DESCRIPTION_LENGTH, type RowError, type ValidRow } from './types';

const CARD_SEPARATORS = /[ -]/g;

export interface RowContext {
  readonly plan: HeaderPlan;
  /** The merchant of the upload path; every row must name it. */
  readonly merchantId: string;
  readonly maxAmount: number;
}

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

/** What is wrong with one field: its error code and message; undefined when nothing is. */
type Problem = readonly [RowError['code'], string] | undefined;

/** Adds the field's problem, if any, to the row's errors (created on the first one). */
function note(errors: RowError[] | undefined, line: number, column: string, problem: Problem) {
  if (problem === undefined) return errors;
  const list = errors ?? [];
  list.push({ line, column, code: problem[0], message: problem[1] });
  return list;
}

function required(column: string): Problem {
  return ['MISSING_VALUE', `${column} is required and is empty.`];
}

function transactionIdProblem(id: string): Problem {
  if (id === '') return required('transaction_id');
  if (!TRANSACTION_ID_PATTERN.test(id)) {
    return ['INVALID_TRANSACTION_ID', 'transaction_id must be 1-64 characters of A-Z a-z 0-9 . _ -.'];
  }
  if (holdsCardNumber(id)) {
    return ['CARD_NUMBER_IN_FIELD', 'transaction_id looks like a card number, which may not be stored.'];
  }
  return undefined;
}

function merchantProblem(merchantId: string, expected: string): Problem {
  if (merchantId === '') return required('merchant_id');
  if (merchantId !== expected) {
    return ['MERCHANT_MISMATCH', `merchant_id must be "${expected}", the merchant of this upload.`];
  }
  return undefined;
}

function timestampProblem(text: string, canonical: string | undefined): Problem {
  if (text === '') return required('timestamp');
  if (canonical === undefined) {
    return ['INVALID_TIMESTAMP', 'timestamp must be ISO 8601 with a zone, e.g. 2024-05-01T12:30:00Z.'];
  }
  return undefined;
}

function amountProblem(text: string, amount: number, maxAmount: number): Problem {
  if (text === '') return required('amount');
  if (!(amount > 0)) {
    return [
      'INVALID_AMOUNT',
      'amount must be a decimal number greater than 0 with at most 2 decimal places.',
    ];
  }
  if (amount > maxAmount) return ['AMOUNT_TOO_LARGE', `amount must not exceed ${maxAmount}.`];
  return undefined;
}

function currencyProblem(code: string, known: boolean): Problem {
  if (code === '') return required('currency');
  if (!known) return ['INVALID_CURRENCY', 'currency must be an ISO 4217 code such as EUR or USD.'];
  return undefined;
}

/** How many digits a card number field holds; -1 when it holds anything but digits, spaces and dashes. */
function cardDigits(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) digits++;
    else if (c !== SPACE && c !== DASH) return -1;
  }
  return digits;
}

/** The digits of a card number field of digits, spaces and dashes (no regex when there are none). */
function panOf(text: string, digits: number): string {
  return digits === text.length ? text : text.replace(CARD_SEPARATORS, '');
}

function cardNumberProblem(text: string, digits: number, pan: string): Problem {
  if (text === '') return required('card_number');
  if (digits < PAN_MIN_DIGITS || digits > PAN_MAX_DIGITS) {
    return ['INVALID_CARD_NUMBER', 'card_number must be 12-19 digits.'];
  }
  if (!luhnValid(pan)) return ['INVALID_CARD_NUMBER', 'card_number fails the Luhn check digit.'];
  return undefined;
}

function countryProblem(code: string, known: boolean): Problem {
  if (code !== '' && !known) {
    return ['INVALID_COUNTRY', 'country must be an ISO 3166-1 alpha-2 code such as FR or US.'];
  }
  return undefined;
}

function cardTypeProblem(type: string, known: boolean): Problem {
  if (type !== '' && !known)
    return ['INVALID_CARD_TYPE', `card_type must be one of: ${[...CARD_TYPES].join(', ')}.`];
  return undefined;
}

function descriptionProblem(description: string): Problem {
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    return ['INVALID_DESCRIPTION', `description must be at most ${MAX_DESCRIPTION_LENGTH} characters.`];
  }
  if (holdsCardNumber(description)) {
    return ['CARD_NUMBER_IN_FIELD', 'description contains a card number, which may not be stored.'];
  }
  return undefined;
}

/**
 * Validates one data row. Returns the canonical row, or every problem found in it. One named check
 * per column; no closures or regexes on the common path: this runs once per row.
 */
export function validateRow(fields: readonly string[], line: number, ctx: RowContext): ValidRow | RowError[] {
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
  const { index } = plan;
  const transactionId = at(fields, index.transaction_id);
  const merchantId = at(fields, index.merchant_id);
  const timestampText = at(fields, index.timestamp);
  const timestamp = timestampText === '' ? undefined : canonicalTimestamp(timestampText);
  const amountText = at(fields, index.amount);
  const amount = amountValue(amountText);
  const currency = lookUp(currencyMemo, at(fields, index.currency), true, CURRENCY_CODES);
  const currencyKnown = currencyMemo.known;
  const cardText = at(fields, index.card_number);
  const digits = cardDigits(cardText);
  const pan = digits > 0 ? panOf(cardText, digits) : cardText;
  const country = lookUp(countryMemo, at(fields, index.country), true, COUNTRY_CODES);
  const countryKnown = countryMemo.known;
  const cardType = lookUp(cardTypeMemo, at(fields, index.card_type), false, CARD_TYPES);
  const cardTypeKnown = cardTypeMemo.known;
  const description = at(fields, index.description);

  let errors: RowError[] | undefined;
  errors = note(errors, line, 'transaction_id', transactionIdProblem(transactionId));
  errors = note(errors, line, 'merchant_id', merchantProblem(merchantId, ctx.merchantId));
  errors = note(errors, line, 'timestamp', timestampProblem(timestampText, timestamp));
  errors = note(errors, line, 'amount', amountProblem(amountText, amount, ctx.maxAmount));
  errors = note(errors, line, 'currency', currencyProblem(currency, currencyKnown));
  errors = note(errors, line, 'card_number', cardNumberProblem(cardText, digits, pan));
  errors = note(errors, line, 'country', countryProblem(country, countryKnown));
  errors = note(errors, line, 'card_type', cardTypeProblem(cardType, cardTypeKnown));
  errors = note(errors, line, 'description', descriptionProblem(description));
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
}
