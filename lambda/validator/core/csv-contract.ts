/**
 * The CSV contract: which columns a file must, may and must never have. The header is matched
 * case-insensitively after trimming; unknown columns are reported, never stored.
 */
import { maskCardLikeNumbers } from '../../shared/card';
import { FileRefusedError } from './refusal';

export const REQUIRED_COLUMNS = [
  'transaction_id',
  'merchant_id',
  'timestamp',
  'amount',
  'currency',
  'card_number',
] as const;
export const OPTIONAL_COLUMNS = ['country', 'card_type', 'description'] as const;

export type KnownColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/**
 * Sensitive authentication data (PCI DSS v4.0.1 req. 3.3.1): card verification codes, full
 * track data and PINs may never be stored after authorisation, so a file carrying such a
 * column is refused whole. Names are matched by the words they contain, with every
 * non-alphanumeric removed (`card_cvv2`, `CVV Number`, `track_2_data`, `pin_code` all count);
 * a false refusal costs a renamed column, a miss would store forbidden data.
 */
const SENSITIVE_NAME_PARTS = [
  /cvv|cvc|cvn|cav2|csc|cid$|^cid/, // verification codes (CVV2, CVC2, CID, CAV2, CSC, CVN)
  /securitycode|verificationcode|verificationvalue|cardverification/,
  /^track(?!ing)|track[12]|trackdata|magstripe|magneticstripe/, // full track data, not "tracking_id"
  // PINs and PIN blocks; not "pincode", which is a postal code in India.
  /^pin(block|number|data)?$|pin$|pinblock|pinnumber/,
];

const KNOWN: ReadonlySet<string> = new Set([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

export const normaliseColumnName = (name: string): string => name.trim().toLowerCase();

export const isSensitiveColumn = (name: string): boolean => {
  const squashed = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE_NAME_PARTS.some((part) => part.test(squashed));
};

/** Where each known column sits in a row, which columns are unknown, and the header as given. */
export interface HeaderPlan {
  readonly header: readonly string[];
  readonly index: Readonly<Record<KnownColumn, number>>;
  readonly unknownColumns: readonly string[];
}

/** Does the first record look like data rather than a header (so "no header" is the right message)? */
const looksLikeData = (fields: readonly string[]): boolean =>
  fields.some((field) => /^\s*\d[\d .:-]*\d\s*$/.test(field) || /^\d{4}-\d{2}-\d{2}T/.test(field.trim()));

/** Checks the header row and returns the plan, or throws FileRefusedError. Never echoes values. */
export const planHeader = (fields: readonly string[]): HeaderPlan => {
  const names = fields.map(normaliseColumnName);
  const sensitive = fields.filter(isSensitiveColumn);
  if (sensitive.length > 0) {
    throw new FileRefusedError(
      'SENSITIVE_DATA',
      `The file has sensitive authentication data column(s) ${sensitive.map((s) => `"${maskCardLikeNumbers(s.trim())}"`).join(', ')} ` +
        '(card verification code, track data or PIN), which may never be stored. Remove the column(s) and upload again.',
      1,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length === REQUIRED_COLUMNS.length && looksLikeData(fields)) {
    throw new FileRefusedError(
      'NO_HEADER',
      `The first line is not a header. The file must start with a header row naming the columns: ${REQUIRED_COLUMNS.join(',')}.`,
      1,
    );
  }
  if (missing.length > 0) {
    throw new FileRefusedError(
      'MISSING_COLUMN',
      `The header is missing required column(s): ${missing.join(', ')}. Required: ${REQUIRED_COLUMNS.join(', ')}.`,
      1,
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) && name !== '') {
      throw new FileRefusedError(
        'DUPLICATE_COLUMN',
        `The header names the column "${maskCardLikeNumbers(name)}" more than once.`,
        1,
      );
    }
    seen.add(name);
  }
  const index = Object.fromEntries(
    [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].map((column) => [column, names.indexOf(column)]),
  ) as Record<KnownColumn, number>;
  // Column names are echoed (manifest, rejects file header): a card number used as one is masked.
  const unknownColumns = fields
    .filter((_, i) => !KNOWN.has(names[i]))
    .map((name) => maskCardLikeNumbers(name.trim()));
  return { header: fields.map((f) => maskCardLikeNumbers(f.trim())), index, unknownColumns };
};
