import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readRecords } from '../../../lambda/validator/core/records';
import { FileRefusedError } from '../../../lambda/validator/core/refusal';
import { chunks, LIMITS } from './helpers';

const collect = async (text: string | Buffer, size?: number) => {
  const out: { fields: string[]; line: number }[] = [];
  for await (const records of readRecords(chunks(text, size), LIMITS)) out.push(...records);
  return out;
};

const refusal = async (text: string | Buffer, limits = LIMITS, size?: number): Promise<FileRefusedError> => {
  try {
    for await (const _ of readRecords(chunks(text, size), limits)) void _;
  } catch (error) {
    return error as FileRefusedError;
  }
  throw new Error('expected a refusal');
};

describe('CSV records (RFC 4180 through csv-parse)', () => {
  const spectrum = join(dirname(require.resolve('csv-spectrum/package.json')));
  // location_coordinates has bare quotes inside an unquoted field, which RFC 4180 forbids (and
  // its JSON does not even match its CSV): the validator refuses such a file, tested below.
  const cases = readdirSync(join(spectrum, 'csvs'))
    .map((file) => file.replace(/\.csv$/, ''))
    .filter((name) => name !== 'location_coordinates');

  it.each(cases)('csv-spectrum %s parses to the expected rows', async (name) => {
    const records = await collect(readFileSync(join(spectrum, 'csvs', `${name}.csv`)), 7);
    const expected = JSON.parse(readFileSync(join(spectrum, 'json', `${name}.json`), 'utf8')) as Record<
      string,
      string
    >[];
    const [header, ...rows] = records.map((r) => r.fields);
    expect(rows.map((fields) => Object.fromEntries(header.map((column, i) => [column, fields[i]])))).toEqual(
      expected,
    );
  });

  it('csv-spectrum location_coordinates (quotes inside an unquoted field) is refused as malformed', async () => {
    const error = await refusal(readFileSync(join(spectrum, 'csvs', 'location_coordinates.csv')));
    expect(error).toMatchObject({ code: 'MALFORMED_CSV', line: 2 });
  });

  it('numbers records by the line they start on, across quoted newlines, CRLF and blank lines', async () => {
    const text = 'a,b\r\n1,2\r\n\r\n"multi\r\nline",3\r\n4,5\r\n';
    expect((await collect(text, 3)).map((r) => r.line)).toEqual([1, 2, 4, 6]);
  });

  it('accepts and drops a UTF-8 byte-order mark, even split across chunks', async () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,city\nJosé,Zürich\n')]);
    const records = await collect(text, 1);
    expect(records[0].fields).toEqual(['name', 'city']);
    expect(records[1].fields).toEqual(['José', 'Zürich']);
  });

  it('keeps multi-byte characters split across chunk boundaries intact', async () => {
    const text = 'a\n€€€ 日本 😀\n';
    for (const size of [1, 2, 3, 5]) expect((await collect(text, size))[1].fields).toEqual(['€€€ 日本 😀']);
  });

  it.each([
    ['invalid byte', Buffer.from('a,b\n1,2\n\xff,3\n', 'latin1'), 3],
    ['Latin-1 text', Buffer.from('a,b\nJos\xe9,2\n', 'latin1'), 2],
    ['truncated sequence at the end', Buffer.concat([Buffer.from('a\n'), Buffer.from([0xe2, 0x82])]), 2],
  ])('refuses a file that is not UTF-8 (%s) naming the line', async (_name, bytes, line) => {
    const error = await refusal(bytes as Buffer, LIMITS, 4);
    expect(error).toBeInstanceOf(FileRefusedError);
    expect(error.code).toBe('NOT_UTF8');
    expect(error.line).toBe(line);
  });

  it('refuses a file over the size limit while streaming', async () => {
    const error = await refusal('a,b\n'.repeat(100), { ...LIMITS, maxFileBytes: 100 }, 16);
    expect(error.code).toBe('FILE_TOO_LARGE');
  });

  it('refuses a line over the line limit, counting bytes and not the CRLF terminator', async () => {
    const ok = `a\r\n${'x'.repeat(10)}\r\n`;
    await expect(collect(ok, 4)).resolves.toHaveLength(2);
    const limits = { ...LIMITS, maxLineBytes: 10 };
    for await (const _ of readRecords(chunks(ok, 4), limits)) void _;
    const error = await refusal(`a\n${'é'.repeat(6)}\n`, limits, 4); // 12 bytes, 6 characters
    expect(error.code).toBe('LINE_TOO_LONG');
    expect(error.line).toBe(2);
  });

  it('refuses an empty file and malformed quoting, without echoing data', async () => {
    expect((await refusal('')).code).toBe('EMPTY_FILE');
    const unclosed = await refusal('a,b\n1,"4111111111111111\n');
    expect(unclosed.code).toBe('MALFORMED_CSV');
    expect(unclosed.message).not.toContain('4111');
    const stray = await refusal('a,b\n1,"2"x\n');
    expect(stray).toMatchObject({ code: 'MALFORMED_CSV', line: 2 });
  });
});

describe('CSV records: line ends and runaway records', () => {
  it('reads a file mixing CRLF and LF as one record per line, dropping none', async () => {
    const records = await collect('a,b\r\n1,2\n3,4\r\n5,6\n');
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 3 },
      { fields: ['5', '6'], line: 4 },
    ]);
  });

  it('refuses a quote left open at the line where its record starts, without buffering the rest', async () => {
    const rest = Array.from({ length: 20_000 }, (_, i) => `${i},x`).join('\n');
    const error = await refusal(`a,b\n"open,1\n${rest}\n`);
    expect(error).toBeInstanceOf(FileRefusedError);
    expect(error.code).toBe('LINE_TOO_LONG');
    expect(error.message).toContain('starting at line 2');
  });
});
