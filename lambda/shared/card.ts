/**
 * Card-number protection (PCI DSS v4.0.1 req. 3.3-3.5): a full card number (PAN) is never
 * stored, logged or alerted. Only the last four digits and a keyed HMAC-SHA-256 leave the
 * validator; `containsPan` lets outputs and tests prove that nothing else slipped through.
 */
import { createHmac } from 'node:crypto';

export const PAN_MIN_DIGITS = 12;
export const PAN_MAX_DIGITS = 19;

const ZERO = 48; // char code of '0'

/** Luhn (mod 10) check over a string of ASCII digits only; false for anything else. */
export const luhnValid = (digits: string): boolean => {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
};

/** The last four digits of a card number (digits only). */
export const last4 = (digits: string): string => digits.slice(-4);

/** The masked form shown to people: `**** **** **** 1234`. Takes the last four, never a PAN. */
export const maskCard = (lastFour: string): string => `**** **** **** ${lastFour.slice(-4)}`;

/** Keyed hash of a card number: hex HMAC-SHA-256. Same card + same key -> same hash (velocity rules). */
export const cardHash = (pan: string, key: string | Buffer): string =>
  createHmac('sha256', key).update(pan).digest('hex');

// Digit runs, optionally grouped by single spaces or dashes ("4111 1111 1111 1111"),
// not glued to letters or digits (so a hex hash or an id like "tx4111..." is not a match).
const DIGIT_RUN = /(?<![0-9A-Za-z])\d(?:[ -]?\d)*(?![0-9A-Za-z])/g;

// How card numbers are printed: 4-4-4-4(-3) and the like, or 4-6-5 / 4-6-4 (Amex, Diners).
const cardLikeGrouping = (groups: readonly string[]): boolean =>
  groups.slice(0, -1).every((g) => g.length === 4) ||
  (groups.length === 3 && groups[0].length === 4 && groups[1].length === 6 && groups[2].length >= 4);

const panInRun = (run: string): string | undefined => {
  const groups = run.split(/[ -]/);
  if (groups.length > 1 && !cardLikeGrouping(groups)) {
    // Digits grouped unlike a card (a UUID, a date): each group stands alone.
    for (const group of groups) {
      const pan = panInRun(group);
      if (pan !== undefined) return pan;
    }
    return undefined;
  }
  const digits = groups.join('');
  if (digits.length < PAN_MIN_DIGITS) return undefined;
  if (digits.length <= PAN_MAX_DIGITS) return luhnValid(digits) ? digits : undefined;
  // A longer run may still embed a card number; check every window.
  for (let len = PAN_MIN_DIGITS; len <= PAN_MAX_DIGITS; len++) {
    for (let start = 0; start + len <= digits.length; start++) {
      const window = digits.slice(start, start + len);
      if (luhnValid(window)) return window;
    }
  }
  return undefined;
};

/**
 * True when `text` holds something that looks like a full card number: 12-19 digits passing
 * Luhn, plain or grouped as cards are printed (`4111 1111 1111 1111`, `3782-822463-10005`).
 * Conservative on purpose for scans of outputs.
 */
export const containsPan = (text: string): boolean => {
  for (const match of text.matchAll(DIGIT_RUN)) {
    if (panInRun(match[0]) !== undefined) return true;
  }
  return false;
};

/** Replaces every PAN-like run in `text` by its masked form; other text is kept. */
export const redactPans = (text: string): string =>
  text.replace(DIGIT_RUN, (run) => {
    const pan = panInRun(run);
    return pan === undefined ? run : maskCard(last4(pan));
  });

// Values merchants send are checked strictly: letters do not shield digits ("tx4111…"), any mix
// of spaces, dots, underscores and dashes may group them, and compatibility forms (full-width
// digits) count once normalised. Output scanners above stay relaxed so that hex hashes and ids in
// our own records are not mistaken for cards.
const LOOSE_DIGIT_RUN = /\d(?:[ ._-]*\d)*/g;
const LOOSE_SEPARATORS = /[ ._-]+/;
const NON_ASCII = /[^\x20-\x7e]/;

const normalised = (text: string): string => (NON_ASCII.test(text) ? text.normalize('NFKC') : text);

const strictPanInRun = (run: string): string | undefined => panInRun(run.split(LOOSE_SEPARATORS).join(' '));

/** Cheap pre-check for the row loop: fewer than 12 ASCII digits and nothing non-ASCII is no card. */
const fewDigits = (text: string): boolean => {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e) return false;
    if (c >= 48 && c <= 57 && ++digits >= PAN_MIN_DIGITS) return false;
  }
  return true;
};

/** True when a value from a file holds a card number in any disguise (see above). */
export const holdsCardNumber = (text: string): boolean => {
  if (fewDigits(text)) return false;
  for (const match of normalised(text).matchAll(LOOSE_DIGIT_RUN)) {
    if (strictPanInRun(match[0]) !== undefined) return true;
  }
  return false;
};

/**
 * For rows written back to merchants (rejects): every run of 12 or more digits, however grouped
 * and whether or not it passes Luhn (a mistyped card is still a card), keeps only its last four.
 */
export const maskLongDigitRuns = (text: string): string =>
  normalised(text).replace(LOOSE_DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    return digits.length >= PAN_MIN_DIGITS ? maskCard(last4(digits)) : run;
  });
