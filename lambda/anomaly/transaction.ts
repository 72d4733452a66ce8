/**
 * The stored transaction as the anomaly rules see it, read from a stream image. Pure: no AWS
 * client, only the `unmarshall` converter. Amounts stay exact decimal strings (the table stores
 * a DynamoDB number) so alerts show what was stored, not a float rendering of it.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ATTR, merchantTransactionId } from '../shared/contract';

export interface StoredTransaction {
  readonly transactionId: string;
  /** Canonical UTC ISO 8601 (the table's sort key). */
  readonly timestamp: string;
  /** Milliseconds since the epoch, parsed once for the windowed rules. */
  readonly epochMs: number;
  readonly merchantId: string;
  /** Exact decimal as stored, e.g. "1200.50". */
  readonly amount: string;
  /** Number(amount), for comparisons only. */
  readonly amountValue: number;
  readonly currency: string;
  readonly cardLast4: string;
  readonly cardHash: string;
  readonly country?: string;
  readonly uploadId?: string;
  /** When S3 created the file the row came from (absent on rows stored before it was recorded). */
  readonly uploadedAt?: string;
}

/** A stream record's image lacks a field the rules need, or holds one of the wrong type. */
export class InvalidTransactionImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTransactionImageError';
  }
}

/** A stream image as delivered (aws-lambda's AttributeValue is structurally the SDK's). */
export type StreamImage = Record<string, unknown>;

/** Unmarshalls an image keeping numbers as their exact decimal strings. */
export const imageToPlain = (image: StreamImage): Record<string, unknown> =>
  unmarshall(image as Record<string, AttributeValue>, { wrapNumbers: (value: string) => value });

const requiredString = (plain: Record<string, unknown>, name: string): string => {
  const value = plain[name];
  if (typeof value !== 'string' || value === '') {
    throw new InvalidTransactionImageError(`The stored item has no ${name}.`);
  }
  return value;
};

const optionalString = (plain: Record<string, unknown>, name: string): string | undefined => {
  const value = plain[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Reads the fields the rules and alerts use; throws InvalidTransactionImageError when one is unusable. */
export const toStoredTransaction = (image: StreamImage): StoredTransaction => {
  const plain = imageToPlain(image);
  const timestamp = requiredString(plain, ATTR.timestamp);
  const epochMs = Date.parse(timestamp);
  if (Number.isNaN(epochMs)) {
    throw new InvalidTransactionImageError(`The stored item's ${ATTR.timestamp} is not a date.`);
  }
  const amount = requiredString(plain, ATTR.amount);
  const amountValue = Number(amount);
  if (!Number.isFinite(amountValue)) {
    throw new InvalidTransactionImageError(`The stored item's ${ATTR.amount} is not a number.`);
  }
  const cardLast4 = requiredString(plain, ATTR.cardLast4);
  if (!/^\d{4}$/.test(cardLast4)) {
    throw new InvalidTransactionImageError(`The stored item's ${ATTR.cardLast4} is not four digits.`);
  }
  return {
    transactionId: merchantTransactionId(requiredString(plain, ATTR.transactionId)),
    timestamp,
    epochMs,
    merchantId: requiredString(plain, ATTR.merchantId),
    amount,
    amountValue,
    currency: requiredString(plain, ATTR.currency),
    cardLast4,
    cardHash: requiredString(plain, ATTR.cardHash),
    country: optionalString(plain, ATTR.country)?.toUpperCase(),
    uploadId: optionalString(plain, ATTR.uploadId),
    uploadedAt: optionalString(plain, ATTR.uploadedAt),
  };
};

/** The only way a card is shown in an alert: `**** 1234`. */
export const maskCard = (last4: string | undefined): string =>
  last4 !== undefined && /^\d{4}$/.test(last4) ? `**** ${last4}` : '****';

/** An amount as people read it: a stored "15250.4" shows as "15250.40"; whole amounts stay whole. */
export const displayAmount = (amount: string): string => {
  const match = /^(-?\d+)\.(\d)$/.exec(amount);
  return match ? `${match[1]}.${match[2]}0` : amount;
};
