/**
 * The one card-number detector, for every place text enters (a file's fields and column names) or
 * leaves (the table, manifests, rejects files, API answers, logs, alerts, check-file).
 *
 * It reads text as a person would: digits of any script by their value, invisible characters
 * (zero-width, soft hyphen, bidi marks, combining marks) skipped, and digit groups joined by any
 * short run of separators (spaces of every kind, dashes of every kind, `/ , . : _ * ( )`, tabs,
 * newlines, any punctuation or symbol). Letters end a run but do not shield it ("tx4111…").
 * Groups count as one number only when grouped the way card numbers are printed, so dates, times
 * and lists of amounts in a description are not mistaken for one.
 */
import { CharKind, readChar } from './characters';
import { luhnValid, PAN_MAX_DIGITS, PAN_MIN_DIGITS } from './luhn';

/** At most this many separator characters between two digit groups of one number: "(4111) - 1111". */
export const MAX_SEPARATOR_RUN = 4;

/** A card number found in a text: its span (UTF-16 offsets, end exclusive) and its digits in ASCII. */
export interface CardNumberMatch {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

interface DigitGroup {
  digits: string;
  start: number;
  end: number;
  /** The separators before this group, invisible characters left out ('' for the first). */
  separator: string;
}

/** Runs of digit groups joined by short separator runs, in order. */
function digitRuns(text: string): DigitGroup[][] {
  const runs: DigitGroup[][] = [];
  let run: DigitGroup[] = [];
  let group: DigitGroup | undefined;
  let separator = '';
  const endRun = (): void => {
    if (run.length > 0) runs.push(run);
    run = [];
    group = undefined;
    separator = '';
  };
  for (let i = 0; i < text.length;) {
    const codePoint = text.codePointAt(i)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const { kind, value } = readChar(codePoint);
    if (kind === CharKind.Digit) {
      if (group === undefined) {
        group = { digits: '', start: i, end: i, separator };
        run.push(group);
        separator = '';
      }
      group.digits += String.fromCharCode(48 + value);
      group.end = i + width;
    } else if (kind === CharKind.Separator) {
      if (run.length > 0) {
        group = undefined;
        separator += text.slice(i, i + width);
        if (separator.length > MAX_SEPARATOR_RUN) endRun();
      }
    } else if (kind === CharKind.Breaker) {
      endRun();
    }
    // CharKind.Ignored: as if absent, inside a group or between groups.
    i += width;
  }
  endRun();
  return runs;
}

/**
 * Grouped as card numbers are printed, or as someone hiding one would: groups of three or more
 * digits (4-4-4-4, 4-6-5, 5-5-6; the last group may be shorter), or evenly by ones, twos or threes
 * with one separator throughout ("4 1 1 1 …"). A date and time (4-2-2 2-2-2) or a list of amounts
 * ("12.50, 13.00") is none of these.
 */
function groupedLikeACard(groups: readonly DigitGroup[]): boolean {
  if (groups.length === 1) return true;
  const lengths = groups.map((g) => g.digits.length);
  const allButLast = lengths.slice(0, -1);
  if (allButLast.every((l) => l >= 3)) return true;
  const size = lengths[0];
  const even = allButLast.every((l) => l === size) && lengths[lengths.length - 1] <= size;
  // One separator throughout, after the first (which may close a parenthesis: "(4) 1 1 1").
  return even && groups.slice(3).every((g) => g.separator === groups[2].separator);
}

/** A Luhn-valid window of 12-19 digits inside a longer digit string, or undefined. */
function cardInLongDigits(digits: string): string | undefined {
  for (let length = PAN_MIN_DIGITS; length <= PAN_MAX_DIGITS; length++) {
    for (let start = 0; start + length <= digits.length; start++) {
      const window = digits.slice(start, start + length);
      if (luhnValid(window)) return window;
    }
  }
  return undefined;
}

export interface FindOptions {
  /**
   * True (the default): only numbers passing the Luhn check are card numbers. False: any number of
   * 12 or more digits grouped like a card counts, for echoes of rejected rows (a mistyped card is
   * still a card).
   */
  readonly luhn?: boolean;
}

/** The longest card number starting at group `first` of the run, or undefined. */
function cardFrom(run: readonly DigitGroup[], first: number, luhn: boolean): CardNumberMatch | undefined {
  let found: CardNumberMatch | undefined;
  let digits = '';
  for (let last = first; last < run.length; last++) {
    digits += run[last].digits;
    if (digits.length > PAN_MAX_DIGITS) {
      if (last === first) {
        // One unbroken run of 20 or more digits may still hold a card number.
        const inside = luhn ? cardInLongDigits(digits) : digits;
        return inside === undefined
          ? undefined
          : { start: run[first].start, end: run[first].end, digits: inside };
      }
      break;
    }
    if (digits.length < PAN_MIN_DIGITS || !groupedLikeACard(run.slice(first, last + 1))) continue;
    if (!luhn || luhnValid(digits)) found = { start: run[first].start, end: run[last].end, digits };
  }
  return found;
}

/** Fewer than 12 ASCII digits and nothing but ASCII: no card number, without a full scan. */
function clearlyNone(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    if (c >= 48 && c <= 57 && ++digits >= PAN_MIN_DIGITS) return false;
  }
  return true;
}

const NONE: readonly CardNumberMatch[] = Object.freeze([]);

/** Every card number in `text`, in order, not overlapping. */
export function findCardNumbers(text: string, options?: FindOptions): readonly CardNumberMatch[] {
  // Runs for free-text fields of every row: most hold too few digits to need a scan.
  if (clearlyNone(text)) return NONE;
  const luhn = options?.luhn ?? true;
  const found: CardNumberMatch[] = [];
  for (const run of digitRuns(text)) {
    for (let first = 0; first < run.length; first++) {
      const card = cardFrom(run, first, luhn);
      if (card === undefined) continue;
      found.push(card);
      while (first + 1 < run.length && run[first + 1].start < card.end) first++;
    }
  }
  return found;
}

/** True when `text` holds a card number in any disguise. */
export function holdsCardNumber(text: string): boolean {
  return findCardNumbers(text).length > 0;
}

/** The masked form shown to people: `**** **** **** 1234`. Takes the last four, never a PAN. */
export function maskCard(lastFour: string): string {
  return `**** **** **** ${lastFour.slice(-4)}`;
}

function replaceMatches(text: string, matches: readonly CardNumberMatch[]): string {
  if (matches.length === 0) return text;
  let out = '';
  let from = 0;
  for (const m of matches) {
    out += text.slice(from, m.start) + maskCard(m.digits.slice(-4));
    from = m.end;
  }
  return out + text.slice(from);
}

/** `text` with every card number replaced by its masked form; everything else kept as it was. */
export function redactCardNumbers(text: string): string {
  return replaceMatches(text, findCardNumbers(text));
}

/**
 * For values echoed back to merchants (rejected rows, column names): every number of 12 or more
 * digits grouped like a card keeps only its last four, whether or not it passes Luhn.
 */
export function maskCardLikeNumbers(text: string): string {
  return replaceMatches(text, findCardNumbers(text, { luhn: false }));
}
