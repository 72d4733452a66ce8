/** Amounts of the CSV contract: a decimal > 0 with at most two places, read without regexes. */
import { DOT, ZERO } from './char-codes';

/**
 * The last amount whose text is the number's own `String(amount)` form, and that text: the
 * stored item's content hash needs the amount as text, and converting a number back to text
 * costs more than validating it.
 */
let lastAmount = NaN;
let lastAmountText = '';

const remember = (amount: number, text: string): void => {
  lastAmount = amount;
  lastAmountText = text;
};

/** `String(amount)`, without the conversion when it is the amount validated last. */
export const amountToText = (amount: number): string =>
  amount === lastAmount ? lastAmountText : String(amount);

/**
 * The value of an amount matching `^\d{1,15}(?:\.\d{1,2})?$`, or -1 when it does not match.
 * Computed as an integer number of hundredths (or tenths) divided by 100 (or 10): both that
 * division and `Number(text)` round the same exact decimal correctly, so they are equal; an
 * amount too large for exact integers falls back to `Number`.
 * Text with at most 15 digits, no leading zero and no trailing zero after the point is what
 * `String` gives back for the value (15 digits identify a double uniquely), so it is
 * remembered for `amountToText`.
 */
export const amountValue = (text: string): number => {
  const length = text.length;
  let i = 0;
  let whole = 0;
  for (; i < length; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (i < 1 || i > 15) return -1;
  const canonical = i === 1 || text.charCodeAt(0) !== ZERO;
  if (i === length) {
    if (canonical) remember(whole, text);
    return whole;
  }
  if (text.charCodeAt(i) !== DOT) return -1;
  const decimals = length - i - 1;
  if (decimals < 1 || decimals > 2) return -1;
  let fraction = 0;
  for (i++; i < length; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    fraction = fraction * 10 + d;
  }
  const scale = decimals === 1 ? 10 : 100;
  const scaled = whole * scale + fraction;
  const value = scaled <= Number.MAX_SAFE_INTEGER ? scaled / scale : Number(text);
  if (canonical && length <= 16 && text.charCodeAt(length - 1) !== ZERO) remember(value, text);
  return value;
};
