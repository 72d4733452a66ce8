/**
 * Finds full card numbers (PANs) in text and files: 12 to 19 digits, contiguous or grouped by 4
 * with spaces or hyphens, not part of a longer alphanumeric token (so hex hashes and ids do not
 * count), and passing the Luhn check. Used to prove that nothing the local run writes carries one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { luhnValid } from '../../lambda/shared/card-number/luhn';

const CANDIDATE = /(?<![0-9A-Za-z])(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7})(?![0-9A-Za-z])/g;

/**
 * Epoch milliseconds (13 digits, years 2001-2036) fill every log line, and one in ten passes the
 * Luhn check by chance; no card brand issues 13-digit numbers starting with 1, so they are skipped.
 */
const isEpochMillis = (digits: string): boolean =>
  digits.length === 13 && Number(digits) >= 1e12 && Number(digits) < 2.1e12;

/** Every Luhn-valid 12–19 digit number in `text`, masked to its last four digits. */
export const findPans = (text: string): string[] => {
  const found: string[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length < 12 || digits.length > 19 || isEpochMillis(digits)) continue;
    if (luhnValid(digits)) found.push(`****${digits.slice(-4)}`);
  }
  return found;
};

export interface PanFinding {
  file: string;
  masked: string[];
}

/** Scans every file under `dir` (recursively); returns the files holding a PAN, never the PAN. */
export function scanDirectoryForPans(dir: string): { files: number; findings: PanFinding[] } {
  const findings: PanFinding[] = [];
  let files = 0;
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).size > 0) {
        files++;
        const masked = findPans(readFileSync(full, 'latin1'));
        if (masked.length > 0) findings.push({ file: relative(dir, full), masked: [...new Set(masked)] });
      }
    }
  };
  walk(dir);
  return { files, findings };
}
