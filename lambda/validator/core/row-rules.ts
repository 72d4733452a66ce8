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
