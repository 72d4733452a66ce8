/**
 * Tamper detection. Stored transactions are audited data: the pipeline only ever INSERTs them,
 * so a MODIFY that changes any attribute, or a REMOVE, means someone changed history. Pure.
 * Stream images carry DynamoDB attribute values; numbers are compared by value ("10" = "10.0").
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
 */
import { RULE_SEVERITY, type Anomaly, type TransactionSummary } from './anomaly';
import { imageToPlain, maskCard, type StreamImage } from './transaction';
import { ATTR, merchantTransactionId } from '../shared/contract';

export interface ChangeRecord {
  readonly eventName: 'MODIFY' | 'REMOVE';
  readonly sequenceNumber: string;
  readonly oldImage?: StreamImage;
  readonly newImage?: StreamImage;
}

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

const normaliseDecimal = (value: string): string => {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(value.trim());
  if (!match || match[4] !== undefined) return value.trim();
  const whole = match[2].replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const sign = match[1] === '-' && (whole !== '0' || fraction !== '') ? '-' : '';
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
};

/** A canonical string for an attribute value: equal values, equal strings. */
export const canonicalAttribute = (value: unknown): string => {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v === null || typeof v !== 'object') return v;
    const record = v as Record<string, unknown>;
    if (typeof record.N === 'string') return { N: normaliseDecimal(record.N) };
    if (Array.isArray(record.NS)) return { NS: (record.NS as string[]).map(normaliseDecimal).sort() };
    if (Array.isArray(record.SS)) return { SS: [...(record.SS as string[])].sort() };
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, canon(record[key])]),
    );
  };
  return JSON.stringify(canon(value));
};

const ABSENT = '(absent)';

/** How one attribute is shown: cards masked, the card hash withheld, the rest as stored. */
const display = (field: string, image: StreamImage | undefined): string => {
  if (!image || image[field] === undefined) return ABSENT;
  const value = imageToPlain({ [field]: image[field] })[field];
  if (field === ATTR.cardLast4) return maskCard(typeof value === 'string' ? value : undefined);
  const text =
    typeof value === 'string' ? value : JSON.stringify(value, (_k, v) => (v instanceof Set ? [...v] : v));
  // Not even a prefix of the keyed hash: it would let e-mail readers link a card's records.
  if (field === ATTR.cardHash) return '(keyed hash, not shown)';
  return text;
};

/** The attributes whose values differ between two images, in name order. */
export const diffImages = (oldImage: StreamImage = {}, newImage: StreamImage = {}): FieldChange[] =>
  [...new Set([...Object.keys(oldImage), ...Object.keys(newImage)])]
    .sort()
    .filter((field) => canonicalAttribute(oldImage[field]) !== canonicalAttribute(newImage[field]))
    .map((field) => ({ field, before: display(field, oldImage), after: display(field, newImage) }));

const plainString = (image: StreamImage | undefined, field: string): string | undefined => {
  if (!image || image[field] === undefined) return undefined;
  const value = imageToPlain({ [field]: image[field] })[field];
  return typeof value === 'string' ? value : undefined;
};

const summaryOf = (image: StreamImage | undefined): TransactionSummary => ({
  transactionId: merchantTransactionId(plainString(image, ATTR.transactionId) ?? '(unknown)'),
  timestamp: plainString(image, ATTR.timestamp) ?? '(unknown)',
  merchantId: plainString(image, ATTR.merchantId) ?? '(unknown)',
  maskedCard: maskCard(plainString(image, ATTR.cardLast4)),
  amount: plainString(image, ATTR.amount),
  currency: plainString(image, ATTR.currency),
  uploadId: plainString(image, ATTR.uploadId),
});

/** A critical anomaly for a change to history, or undefined when nothing really changed. */
export const detectTamper = (record: ChangeRecord): Anomaly | undefined => {
  const base = {
    rule: 'tamper' as const,
    severity: RULE_SEVERITY.tamper,
    sequenceNumber: record.sequenceNumber,
  };
  if (record.eventName === 'REMOVE') {
    const transaction = summaryOf(record.oldImage);
    return {
      ...base,
      merchantId: transaction.merchantId,
      transaction,
      reason: 'The stored transaction was deleted from the table.',
      details: diffImages(record.oldImage, {}).map((change) => `${change.field}: was ${change.before}`),
    };
  }
  const changes = diffImages(record.oldImage, record.newImage);
  if (changes.length === 0) return undefined;
  // The old image is the audited truth; the alert is filed under the merchant it belonged to.
  const transaction = summaryOf(record.oldImage ?? record.newImage);
  return {
    ...base,
    merchantId: transaction.merchantId,
    transaction,
    reason: `The stored transaction was modified: ${changes.map((change) => change.field).join(', ')} changed.`,
    details: changes.map((change) => `${change.field}: ${change.before} -> ${change.after}`),
  };
};
