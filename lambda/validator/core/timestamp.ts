/**
 * Timestamps of the CSV contract: ISO 8601 with a zone, stored as canonical UTC
 * (`Date.prototype.toISOString()`). A fast path reads the common `YYYY-MM-DDTHH:MM:SS(.mmm)Z` form
 * by character codes; everything else goes through the full pattern.
 */
import { DASH } from './char-codes';

// ISO 8601 date-time with a mandatory zone (Z or +hh:mm / +hhmm / +hh).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const digitsAt = (text: string, start: number, count: number): number => {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
};

/**
 * Fast path for the common UTC forms `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.mmmZ`,
 * whose canonical form is the text itself (with `.000` added): no regex, no Date. Returns
 * undefined when the text is not in one of these forms, and the general parser decides.
 */
const canonicalUtcFast = (text: string): string | undefined => {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  if (
    text.charCodeAt(4) !== DASH ||
    text.charCodeAt(7) !== DASH ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 /* : */
  )
    return undefined;
  if (length === 24 && (text.charCodeAt(19) !== 46 /* . */ || digitsAt(text, 20, 3) < 0)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return undefined;
  if (month === 2 && day === 29 && !isLeap(year)) return undefined;
  return length === 24 ? text : `${text.slice(0, 19)}.000Z`;
};

/** Canonical UTC timestamp, or undefined when the text is not a real ISO 8601 instant with a zone. */
export const canonicalTimestamp = (text: string): string | undefined => {
  const fast = canonicalUtcFast(text);
  if (fast !== undefined) return fast;
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  const millis = m[7] === undefined ? 0 : +m[7].slice(0, 3).padEnd(3, '0');
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && !isLeap(year))) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offHours = +m[10];
    const offMinutes = m[11] === undefined ? 0 : +m[11];
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const date = new Date(epoch);
  // Date.UTC maps years 0-99 to 1900-1999; keep the year as written.
  if (year < 100) date.setUTCFullYear(year);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};
