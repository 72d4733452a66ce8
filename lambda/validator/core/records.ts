/**
 * Bytes in, CSV records out, each with the line it starts on. RFC 4180 quoting (csv-parse),
 * LF or CRLF, blank lines skipped (they are not rows). Byte limits and UTF-8 are enforced by
 * the guard before parsing; parse errors become a refusal naming the line.
 */
import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { createByteGuard } from './decode';
import { FileRefusedError } from './refusal';
import type { Limits } from './types';

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line on which the record starts. */
  readonly line: number;
}

const CSV_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by other characters',
  INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field',
};

/**
 * csv-parse errors become a refusal naming the line, without echoing the data. A quote never
 * closed, or a record past the size limit, is named by the line where its record starts
 * (`recordStart`): csv-parse would name the line where it gave up, possibly the last one.
 */
const toRefusal = (error: unknown, recordStart: number, maxRecordChars: number): unknown => {
  if (error instanceof FileRefusedError) return error;
  const csv = error as Partial<CsvError> & { lines?: number };
  if (csv.code === 'CSV_MAX_RECORD_SIZE') {
    return new FileRefusedError(
      'LINE_TOO_LONG',
      `The record starting at line ${recordStart} is longer than ${maxRecordChars} characters ` +
        '(is a quote left open?).',
      recordStart,
    );
  }
  if (csv.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new FileRefusedError(
      'MALFORMED_CSV',
      `The CSV is malformed at line ${recordStart}: ${CSV_MESSAGES[csv.code]} (RFC 4180).`,
      recordStart,
    );
  }
  if (typeof csv.code === 'string' && (csv.code.startsWith('CSV_') || csv.code in CSV_MESSAGES)) {
    const line = typeof csv.lines === 'number' ? csv.lines : undefined;
    const what = CSV_MESSAGES[csv.code] ?? 'the CSV quoting is invalid';
    return new FileRefusedError(
      'MALFORMED_CSV',
      `The CSV is malformed at line ${line ?? '?'}: ${what} (RFC 4180).`,
      line,
    );
  }
  return error;
};

const newlinesIn = (fields: readonly string[]): number => {
  let count = 0;
  for (const field of fields) {
    for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) count++;
  }
  return count;
};

/** Most records handed over per batch (bounds memory; the parser's own buffer bounds the rest). */
const BATCH = 512;

/**
 * Records of a parser, in batches of what it has buffered: one promise per batch rather than
 * one per record (the row loop is the hot path). Back-pressure is kept: nothing is read from the
 * parser while the consumer works on a batch, so the pipe pauses upstream.
 */
async function* parsedBatches(parser: Readable): AsyncGenerator<string[][]> {
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  parser.on('readable', signal);
  parser.once('end', () => {
    ended = true;
    signal();
  });
  parser.once('error', (error) => {
    failure = error;
    signal();
  });
  for (;;) {
    const batch: string[][] = [];
    let record: string[] | null;
    while (batch.length < BATCH && (record = parser.read() as string[] | null) !== null) batch.push(record);
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    if (failure !== undefined) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

/** The file's records in order, in batches, blank lines dropped; throws FileRefusedError on a refusal. */
export async function* readRecords(
  source: AsyncIterable<Uint8Array | string>,
  limits: Pick<Limits, 'maxFileBytes' | 'maxLineBytes'>,
): AsyncGenerator<CsvRecord[]> {
  // No `info` option: it snapshots an object per record (about 5x slower here). Lines are
  // counted instead: a record spans 1 + (newlines inside its quoted fields) lines.
  // Both line ends are named: left to itself csv-parse fixes the first one it sees, and a file
  // mixing CRLF and LF would then run rows together. A record may span several physical lines
  // (quoted newlines), but never more than four times the line limit: an unclosed quote cannot
  // make the parser buffer the rest of the file.
  const maxRecordChars = limits.maxLineBytes * 4;
  const parser = parse({
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n'],
    max_record_size: maxRecordChars,
  });
  const input = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  // Until the first double quote has gone through the guard no field is quoted, so no field
  // holds a newline ('\n' ends a record outside quotes, see record_delimiter): no need to look.
  let quoted = false;
  const guard = createByteGuard(limits, () => {
    quoted = true;
  });
  for (const stage of [input, guard]) stage.on('error', (error) => parser.destroy(error));
  input.pipe(guard).pipe(parser);
  let nextLine = 1;
  try {
    for await (const batch of parsedBatches(parser)) {
      const records: CsvRecord[] = [];
      for (const fields of batch) {
        const line = nextLine;
        nextLine += quoted ? 1 + newlinesIn(fields) : 1;
        if (fields.length === 1 && fields[0].trim() === '') continue;
        records.push({ fields, line });
      }
      if (records.length > 0) yield records;
    }
  } catch (error) {
    throw toRefusal(error, nextLine, maxRecordChars);
  } finally {
    input.destroy();
    guard.destroy();
    parser.destroy();
  }
}
