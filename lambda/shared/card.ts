/**
 * Card-number protection (PCI DSS v4.0.1 req. 3.3-3.5): a full card number (PAN) is never
 * stored, logged or alerted. Only the last four digits and a keyed HMAC-SHA-256 leave the
 * validator; the detector (card-number/detector.ts) finds card numbers in any disguise wherever
 * text enters or leaves.
 */
import { createHmac } from 'node:crypto';

export { luhnValid, PAN_MAX_DIGITS, PAN_MIN_DIGITS } from './card-number/luhn';
import { redactCardNumbers } from './card-number/detector';

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

/** JSON.stringify replacer masking card numbers in string values (keys are ours, never data). */
export function cardSafeJson(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactCardNumbers(value) : value;
}
