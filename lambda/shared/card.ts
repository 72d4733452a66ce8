/**
 * Card-number protection (PCI DSS v4.0.1 req. 3.3-3.5): a full card number (PAN) is never
 * stored, logged or alerted. Only the last four digits and a keyed HMAC-SHA-256 leave the
 * validator; the detector (card-number/detector.ts) finds card numbers in any disguise wherever
 * text enters or leaves.
 */
import { createHmac } from 'node:crypto';

export { luhnValid, PAN_MAX_DIGITS, PAN_MIN_DIGITS } from './card-number/luhn';
import { holdsCardNumber, redactCardNumbers } from './card-number/detector';

export {
  findCardNumbers,
  holdsCardNumber,
  maskCard,
  maskCardLikeNumbers,
  redactCardNumbers,
} from './card-number/detector';

/** The last four digits of a card number (digits only). */
export function last4(digits: string): string {
  return digits.slice(-4);
}

/** Keyed hash of a card number: hex HMAC-SHA-256. Same card + same key -> same hash (velocity rules). */
export function cardHash(pan: string, key: string | Buffer): string {
  return createHmac('sha256', key).update(pan).digest('hex');
}

/**
 * An upload id the API generated (`up-<uuid v4>`), alone or in its object key. One in a few
 * thousand has three all-digit groups that pass Luhn, which redaction would mask and so break
 * the manifest's `key` or a log's `uploadId`. The merchant segment is checked like any text.
 */
const UPLOAD_REF =
  /^(?:(?:uploads|reports)\/(?<merchant>[a-z0-9][a-z0-9-]{0,31})\/)?up-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(?:\.csv|\.json|\.rejects\.csv|\.issued)?$/;

function isUploadRef(value: string): boolean {
  const match = UPLOAD_REF.exec(value);
  return match !== null && !holdsCardNumber(match.groups?.merchant ?? '');
}

/**
 * JSON.stringify replacer masking card numbers in string values (keys are ours, never data); the
 * API's own upload ids and keys are kept whole (see UPLOAD_REF).
 */
export function cardSafeJson(_key: string, value: unknown): unknown {
  return typeof value === 'string' && !isUploadRef(value) ? redactCardNumbers(value) : value;
}
