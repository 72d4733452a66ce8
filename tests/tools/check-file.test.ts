/** `npm run check-file` as a merchant runs it: spawned, exit codes, output shapes, no stack traces. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdsCardNumber } from '../../lambda/shared/card';

const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'check-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      tsx,
      ['tools/check-file.ts', ...args],
      { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('check-file CLI', () => {
  it('exits 0 on the clean sample and says how many rows were accepted', async () => {
    const { code, stdout } = await run('samples/transactions-clean.csv');
    expect(code).toBe(0);
    expect(stdout).toMatch(/8 row\(s\), 8 accepted, 0 rejected \(merchant merchant-a\)/);
  });

  it('--json prints one object with rows, accepted, rejected and errors (line, column, code, message)', async () => {
    const { code, stdout, stderr } = await run('samples/transactions-with-errors.csv', '--json');
    expect(code).toBe(0);
    noStackTrace(stderr);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ status: 'processed', rows: 15, accepted: 2, rejected: 13 });
    expect(result.errors).toHaveLength(13);
    for (const error of result.errors) {
      expect(Object.keys(error).sort()).toEqual(expect.arrayContaining(['code', 'line', 'message']));
      expect(typeof error.line).toBe('number');
    }
    expect(result.errors[0]).toEqual({
      line: 3,
      column: 'card_number',
      code: 'INVALID_CARD_NUMBER',
      message: 'card_number fails the Luhn check digit.',
    });
    expect(holdsCardNumber(stdout)).toBe(false);
  });

  it('exits 2 when the file is refused as a whole, with the reason', async () => {
    const path = file('cvv.csv', 'transaction_id,merchant_id,timestamp,amount,currency,card_number,cvv\n');
    const text = await run(path);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/REFUSED \(SENSITIVE_DATA\)/);
    const json = await run(path, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'refused',
      rows: 0,
      accepted: 0,
      rejected: 0,
      errors: [{ line: 1, code: 'SENSITIVE_DATA' }],
    });
  });

  it.each([
    ['not UTF-8', Buffer.from('transaction_id\nJos\xe9\n', 'latin1'), 'NOT_UTF8'],
    ['empty', '', 'EMPTY_FILE'],
    [
      'unclosed quote',
      'transaction_id,merchant_id,timestamp,amount,currency,card_number\n"tx-1,m\n',
      'MALFORMED_CSV',
    ],
  ])('a %s file exits 2 without a stack trace', async (name, content, code) => {
    const result = await run(file(`${name}.csv`, content), '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).errors[0].code).toBe(code);
    noStackTrace(result.stderr);
  });

  it('--merchant checks rows against the merchant who will upload', async () => {
    const { code, stdout } = await run(
      'samples/transactions-clean.csv',
      '--json',
      '--merchant',
      'merchant-b',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ rows: 8, accepted: 0, rejected: 8 });
  });

  it('wrong usage and unreadable files exit 1 with a one-line message', async () => {
    const missing = await run(join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^check-file: cannot read .*nope\.csv$/);
    const usage = await run();
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/usage: npm run check-file -- FILE \[--json\]/);
    const unknown = await run('samples/transactions-clean.csv', '--frobnicate');
    expect(unknown.code).toBe(1);
    noStackTrace(unknown.stderr);
  });
});
