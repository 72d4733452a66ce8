/**
 * First stage of the pipeline: checks the bytes before the CSV parser sees them. Enforces the
 * byte limits and strict UTF-8 (a byte-order mark is accepted and dropped) while streaming, so
 * a file is never held whole. Bytes pass through unchanged (no decode/re-encode round trip:
 * csv-parse works on bytes), validated with the native `buffer.isUtf8`.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { FileRefusedError } from './refusal';
import type { Limits } from './types';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Length of an incomplete multi-byte sequence at the end of `chunk` (0 when it ends on a boundary). */
export const incompleteTail = (chunk: Uint8Array): number => {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const byte = chunk[chunk.length - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    if (byte < 0xc0) return 0; // ASCII: complete
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return back < needed ? back : 0;
  }
  return 0;
};

/** Which line of `chunk` (0-based) holds the first invalid byte sequence; only called on failure. */
const invalidLineOffset = (chunk: Uint8Array): number => {
  let offset = 0;
  let start = 0;
  for (;;) {
    const newline = chunk.indexOf(LF, start);
    const end = newline === -1 ? chunk.length : newline;
    if (!isUtf8(chunk.subarray(start, end))) return offset;
    if (newline === -1) return offset;
    offset++;
    start = newline + 1;
  }
};

/**
 * A byte stream guard: throws (errors the stream with) FileRefusedError on any breach.
 * `onFirstQuote` is called once, before the first chunk holding a double quote is passed on:
 * until then no CSV field can be quoted (which lets the parser's consumer skip looking for
 * quoted newlines).
 */
export const createByteGuard = (
  limits: Pick<Limits, 'maxFileBytes' | 'maxLineBytes'>,
  onFirstQuote?: () => void,
): Transform => {
  let quoteSeen = false;
  let bytes = 0;
  let line = 1;
  let lineBytes = 0;
  let lastByte = -1;
  let carry: Buffer = Buffer.alloc(0);
  let first = true;

  const checkLines = (chunk: Buffer): void => {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      const end = newline === -1 ? chunk.length : newline;
      lineBytes += end - start;
      // CR of a CRLF terminator is not part of the line's content.
      const cr = newline !== -1 && (end > start ? chunk[end - 1] : lastByte) === CR ? 1 : 0;
      if (lineBytes - cr > limits.maxLineBytes) {
        throw new FileRefusedError(
          'LINE_TOO_LONG',
          `Line ${line} is longer than the limit of ${limits.maxLineBytes} bytes.`,
          line,
        );
      }
      if (newline === -1) break;
      line++;
      lineBytes = 0;
      start = newline + 1;
    }
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1];
  };

  const notUtf8 = (line: number): FileRefusedError =>
    new FileRefusedError('NOT_UTF8', `The file is not valid UTF-8 (line ${line}). Save it as UTF-8.`, line);

  return new Transform({
    transform(piece: Buffer | string, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        let chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        bytes += chunk.length;
        if (bytes > limits.maxFileBytes) {
          throw new FileRefusedError(
            'FILE_TOO_LARGE',
            `The file is larger than the limit of ${limits.maxFileBytes} bytes. Split it into smaller files.`,
          );
        }
        if (carry.length > 0) chunk = Buffer.concat([carry, chunk]);
        if (first && chunk.length < BOM.length && BOM.subarray(0, chunk.length).equals(chunk)) {
          carry = chunk; // too short to tell whether it is a BOM yet
          return done();
        }
        if (first) {
          first = false;
          if (chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
        }
        const firstLine = line;
        const tail = incompleteTail(chunk);
        const body = tail > 0 ? chunk.subarray(0, chunk.length - tail) : chunk;
        carry = tail > 0 ? Buffer.from(chunk.subarray(chunk.length - tail)) : Buffer.alloc(0);
        if (!isUtf8(body)) throw notUtf8(firstLine + invalidLineOffset(body));
        checkLines(body);
        if (!quoteSeen && body.indexOf(QUOTE) !== -1) {
          quoteSeen = true;
          onFirstQuote?.();
        }
        done(null, body);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      if (bytes === 0) return done(new FileRefusedError('EMPTY_FILE', 'The file is empty.'));
      if (carry.length > 0 && !(first && BOM.subarray(0, carry.length).equals(carry) && carry.length === 3)) {
        return done(notUtf8(line));
      }
      done();
    },
  });
};
