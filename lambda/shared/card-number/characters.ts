/**
 * How the card-number detector reads one character. A card number can be written with any script's
 * decimal digits, broken up by invisible characters, or grouped by almost any punctuation; the
 * detector reads every one of those for what a person would read.
 */

/** What a character is to the detector. */
export const enum CharKind {
  /** A decimal digit of any script (value in `digitValue`). */
  Digit,
  /** Invisible to a reader: format characters (zero-width, soft hyphen, word joiner, bidi marks) and combining marks. */
  Ignored,
  /** Not a letter or number: spaces of every kind, dashes, punctuation, symbols, controls (tab, newline). */
  Separator,
  /** A letter, or a number that is not one digit (½, Ⅻ): ends a run of digits. */
  Breaker,
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const OTHER_NUMBER = /^\p{No}$/u;
const IGNORED = /^[\p{Cf}\p{M}]$/u;
const WORD = /^[\p{L}\p{N}]$/u;

const ZERO = 0x30;
const NINE = 0x39;

/** Per code point, its kind and (for digits) value: text is scanned a character at a time. */
const known = new Map<number, { kind: CharKind; value: number }>();

/**
 * The value of a decimal digit of any script. Unicode encodes every script's digits as one
 * contiguous run of ten, 0 to 9, and where runs touch (the mathematical digits) they stay aligned
 * to ten, so a digit's value is its distance from the start of its run, modulo 10.
 */
function decimalValue(codePoint: number): number {
  let start = codePoint;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (codePoint - start) % 10;
}

/** A number like ¹ or ① that compatibility normalisation turns into exactly one digit. */
function compatibilityDigit(char: string): number {
  const normalised = char.normalize('NFKC');
  return normalised.length === 1 && normalised >= '0' && normalised <= '9'
    ? normalised.charCodeAt(0) - ZERO
    : -1;
}

function classify(codePoint: number): { kind: CharKind; value: number } {
  const char = String.fromCodePoint(codePoint);
  if (DECIMAL_DIGIT.test(char)) return { kind: CharKind.Digit, value: decimalValue(codePoint) };
  if (OTHER_NUMBER.test(char)) {
    const value = compatibilityDigit(char);
    return value >= 0 ? { kind: CharKind.Digit, value } : { kind: CharKind.Breaker, value: -1 };
  }
  if (IGNORED.test(char)) return { kind: CharKind.Ignored, value: -1 };
  return { kind: WORD.test(char) ? CharKind.Breaker : CharKind.Separator, value: -1 };
}

function classifyAscii(codePoint: number): { kind: CharKind; value: number } {
  if (codePoint >= ZERO && codePoint <= NINE) return { kind: CharKind.Digit, value: codePoint - ZERO };
  const isWord = (codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a);
  return { kind: isWord ? CharKind.Breaker : CharKind.Separator, value: -1 };
}
const ASCII = Array.from({ length: 0x80 }, (_, codePoint) => classifyAscii(codePoint));

/** The kind of the character at `codePoint`, and its digit value (-1 for anything but a digit). */
export function readChar(codePoint: number): { kind: CharKind; value: number } {
  // ASCII from a table built once: nearly all text is ASCII, and no object is made per character.
  if (codePoint < 0x80) return ASCII[codePoint];
  let entry = known.get(codePoint);
  if (entry === undefined) {
    entry = classify(codePoint);
    known.set(codePoint, entry);
  }
  return entry;
}

/** Every digit of `text`, of any script, in ASCII; everything else left out. */
export function asciiDigits(text: string): string {
  let digits = '';
  for (const char of text) {
    const { kind, value } = readChar(char.codePointAt(0)!);
    if (kind === CharKind.Digit) digits += String.fromCharCode(ZERO + value);
  }
  return digits;
}
