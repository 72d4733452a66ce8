/**
 * Card numbers of every brand and length, and the ways someone could disguise one in a text field:
 * other scripts' digits, invisible characters, unusual separators and groupings, and some the
 * detector's documentation does not name (combining marks, superscripts, bidi controls). The
 * oracle (`revealsCard`) is independent of the detector: it reads digits through tables of its own.
 */
import fc from 'fast-check';

/** Brand prefixes and the lengths each issues (ISO/IEC 7812 IINs as the brands publish them). */
const BRANDS: readonly { name: string; prefixes: readonly string[]; lengths: readonly number[] }[] = [
  { name: 'Visa', prefixes: ['4'], lengths: [13, 16, 19] },
  { name: 'Mastercard', prefixes: ['51', '53', '55', '2221', '2720'], lengths: [16] },
  { name: 'American Express', prefixes: ['34', '37'], lengths: [15] },
  { name: 'Discover', prefixes: ['6011', '65', '644'], lengths: [16, 19] },
  { name: 'Diners Club', prefixes: ['36', '300', '305'], lengths: [14] },
  { name: 'JCB', prefixes: ['3528', '3589'], lengths: [16, 17, 18, 19] },
  { name: 'UnionPay', prefixes: ['62'], lengths: [16, 17, 18, 19] },
  { name: 'Maestro', prefixes: ['50', '56', '6759'], lengths: [12, 13, 15, 19] },
];

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A valid card number (Luhn) of a real brand prefix and length. */
export const cardNumber: fc.Arbitrary<string> = fc.constantFrom(...BRANDS).chain((brand) =>
  fc.tuple(fc.constantFrom(...brand.prefixes), fc.constantFrom(...brand.lengths)).chain(([prefix, length]) =>
    fc
      .array(fc.integer({ min: 0, max: 9 }), {
        minLength: length - 1 - prefix.length,
        maxLength: length - 1 - prefix.length,
      })
      .map((body) => {
        const digits = prefix + body.join('');
        return digits + luhnCheckDigit(digits);
      }),
  ),
);

/** Code points of digit zero in scripts merchants' systems emit (Unicode Nd blocks). */
const ZEROS = [
  0x30, // ASCII
  0x660, // Arabic-Indic
  0x6f0, // Extended Arabic-Indic (Persian, Urdu)
  0x966, // Devanagari
  0x9e6, // Bengali
  0xa66, // Gurmukhi
  0xbe6, // Tamil
  0xe50, // Thai
  0x1040, // Myanmar
  0xff10, // full-width
  0x1d7ce, // mathematical bold
  0x1d7ec, // mathematical sans-serif bold
];
/** Superscript digits: compatibility forms, not Nd. */
const SUPERSCRIPTS = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** Invisible characters: zero-width space/non-joiner/joiner, word joiner, soft hyphen, BOM, bidi marks. */
const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\u00ad',
  '\ufeff',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202c',
];
/** Combining marks a renderer draws on the digit before (underline, acute, enclosing keycap). */
const COMBINING = ['\u0332', '\u0301', '\u20e3', '\ufe0f'];

/** Separators between groups: every kind of space and dash, punctuation, controls. */
const SEPARATORS = [
  ' ',
  '  ',
  '\u00a0',
  '\u2009',
  '\u202f',
  '\u3000',
  '\t',
  '\n',
  '\r\n',
  '-',
  '\u2010',
  '\u2013',
  '\u2014',
  '\u2212',
  '\ufe63',
  '\uff0d',
  '/',
  ',',
  ', ',
  '.',
  ':',
  '_',
  '*',
  ' - ',
  ' / ',
  '|',
  '~',
  '+',
  '#',
  "'",
  '"',
  '\u00b7',
  '\u2022',
  '\\',
];

function digitIn(zero: number, digit: string): string {
  return String.fromCodePoint(zero + Number(digit));
}

/** Splits digits into the given group sizes (the last group takes what is left). */
function groupsOf(digits: string, sizes: readonly number[]): string[] {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) groups.push(digits.slice(at));
  return groups;
}

const groupings: fc.Arbitrary<(digits: string) => string[]> = fc.constantFrom(
  (d: string) => [d],
  (d: string) => groupsOf(d, Array(5).fill(4)),
  (d: string) => groupsOf(d, [4, 6, 5]),
  (d: string) => groupsOf(d, [5, 5, 5]),
  (d: string) => groupsOf(d, [3, 3, 3, 3, 3, 3]),
  (d: string) => d.split(''),
  (d: string) => groupsOf(d, Array(10).fill(2)),
);

export interface Disguise {
  readonly text: string;
  readonly card: string;
  readonly how: string;
}

/** A card number written in a disguise, inside other text or alone. */
export const disguisedCard: fc.Arbitrary<Disguise> = fc
  .record({
    card: cardNumber,
    zero: fc.constantFrom(...ZEROS),
    mixScripts: fc.boolean(),
    superscripts: fc.boolean(),
    grouping: groupings,
    separator: fc.constantFrom(...SEPARATORS),
    parenthesiseFirst: fc.boolean(),
    invisible: fc.option(fc.constantFrom(...INVISIBLE, ...COMBINING), { nil: undefined }),
    invisibleEvery: fc.integer({ min: 1, max: 4 }),
    prefix: fc.constantFrom('', 'card ', 'ref', 'PAN:', 'tx', '(', 'paid with '),
    suffix: fc.constantFrom('', ' thanks', 'x', ')', '.', ' on 2026-11-29'),
  })
  .map((d) => {
    let index = 0;
    const write = (digit: string): string => {
      const i = index++;
      if (d.superscripts && i % 3 === 1) return SUPERSCRIPTS[Number(digit)];
      const zero = d.mixScripts && i % 2 === 1 ? 0x30 : d.zero;
      const char = digitIn(zero, digit);
      return d.invisible !== undefined && i % d.invisibleEvery === 0 ? char + d.invisible : char;
    };
    const groups = d.grouping(d.card).map((g) => g.split('').map(write).join(''));
    if (d.parenthesiseFirst && groups.length > 1) groups[0] = `(${groups[0]})`;
    const text = d.prefix + groups.join(d.separator) + d.suffix;
    return { text, card: d.card, how: JSON.stringify({ ...d, grouping: groups.length }) };
  });

/** Digit values by an independent route: NFKC, then each Nd block of ZEROS by offset. */
function oracleDigits(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKC')) {
    const cp = char.codePointAt(0)!;
    const zero = ZEROS.find((z) => cp >= z && cp < z + 10);
    if (zero !== undefined) out += String(cp - zero);
  }
  return out;
}

/** True when `text`, read digit by digit, still spells `card` in full. */
export function revealsCard(text: string, card: string): boolean {
  return oracleDigits(text).includes(card);
}
