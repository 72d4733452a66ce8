/**
 * The CSV contract: which columns a file must, may and must never have. The header is matched
 * case-insensitively after trimming; unknown columns are reported, never stored.
 */
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
 * column is refused whole. Names are compared with every non-alphanumeric removed.
 */
const SENSITIVE_COLUMNS = new Set([
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'cid',
  'cav2',
  'csc',
  'cvn',
  'securitycode',
  'cardsecuritycode',
  'cardcvv',
  'cardcvc',
  'track',
  'track1',
  'track2',
  'trackdata',
  'magstripe',
  'pin',
  'pinblock',
  'cardpin',
]);

const KNOWN: ReadonlySet<string> = new Set([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

export const normaliseColumnName = (name: string): string => name.trim().toLowerCase();

export const isSensitiveColumn = (name: string): boolean =>
  SENSITIVE_COLUMNS.has(name.toLowerCase().replace(/[^a-z0-9]/g, ''));

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
      `The file has sensitive authentication data column(s) ${sensitive.map((s) => `"${s.trim()}"`).join(', ')} ` +
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
        `The header names the column "${name}" more than once.`,
        1,
      );
    }
    seen.add(name);
  }
  const index = Object.fromEntries(
    [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].map((column) => [column, names.indexOf(column)]),
  ) as Record<KnownColumn, number>;
  const unknownColumns = fields.filter((_, i) => !KNOWN.has(names[i])).map((name) => name.trim());
  return { header: fields.map((f) => f.trim()), index, unknownColumns };
};
