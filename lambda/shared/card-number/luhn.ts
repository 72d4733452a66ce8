/** Card numbers' length and check digit (ISO/IEC 7812). */
export const PAN_MIN_DIGITS = 12;
export const PAN_MAX_DIGITS = 19;

const ZERO = 48; // char code of '0'

/** Luhn (mod 10) check over a string of ASCII digits only; false for anything else. */
export function luhnValid(digits: string): boolean {
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
}

/** `body` and the check digit that makes it pass the Luhn check: test cards for tests and the bench. */
export function withCheckDigit(body: string): string {
  for (let check = 0; check < 10; check++) if (luhnValid(`${body}${check}`)) return `${body}${check}`;
  throw new Error('A Luhn check digit completes only a string of ASCII digits.');
}
