import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnValid } from '../../../lambda/shared/card-number/luhn';
import { findPans, scanDirectoryForPans } from '../../../tools/local/pan-scan';

describe('finding full card numbers', () => {
  test.each([
    ['4111111111111111', ['****1111']],
    ['card: 5555 5555 5555 4444.', ['****4444']],
    ['"378282246310005"', ['****0005']],
    ['4111-1111-1111-1111', ['****1111']],
  ])('finds %s', (text, expected) => {
    expect(findPans(text)).toEqual(expected);
  });

  test.each([
    ['4111111111111112', 'fails the Luhn check'],
    ['ab4111111111111111', 'is part of a longer token (a hash)'],
    ['1795571581325', 'is an epoch-milliseconds timestamp'],
    ['41111111111', 'is too short'],
    ['**** 1111', 'is masked'],
  ])('ignores %s, which %s', (text) => {
    expect(findPans(text)).toEqual([]);
  });

  test('Luhn', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  test('scans a directory tree and names the files, never the numbers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pan-scan-'));
    try {
      mkdirSync(join(dir, 'logs'));
      writeFileSync(join(dir, 'logs', 'a.log'), '{"card":"4111111111111111"}');
      writeFileSync(join(dir, 'clean.jsonl'), '{"card":"**** 1111"}');
      const result = scanDirectoryForPans(dir);
      expect(result).toEqual({ files: 2, findings: [{ file: join('logs', 'a.log'), masked: ['****1111'] }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
