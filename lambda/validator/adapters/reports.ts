/**
 * The validator's reports beside each upload: the manifest (JSON) and the rejected rows (CSV,
 * card numbers masked). Rejected rows go to a temporary file first, so memory stays bounded
 * however many rows a file rejects, and are uploaded once complete.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { cardSafeJson } from '../../shared/card';
import type { UploadManifest } from '../../shared/manifest';
import type { RejectedRow } from '../core/pipeline';

export const writeManifest = async (
  s3: S3Client,
  bucket: string,
  key: string,
  manifest: UploadManifest,
): Promise<void> => {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      // Defence in depth: every echoed value is masked where it is made; this catches any other.
      Body: `${JSON.stringify(manifest, cardSafeJson, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
};

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Starts like a formula, leading whitespace or not (spreadsheets skip it): `=`, `+`, `-`, `@`, tab, CR. */
const FORMULA_START = /^[\s\p{Cc}\p{Cf}]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/u;

/**
 * One CSV field (RFC 4180 quoting). A field that a spreadsheet would run as a formula gets a
 * leading apostrophe (OWASP "CSV injection"), since merchants open these reports in spreadsheets.
 */
export const csvField = (value: string): string => {
  const safe = FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;

export interface RejectsFile {
  add(row: RejectedRow): Promise<void>;
  readonly count: number;
  /** Uploads the file when it holds rows; returns whether it did. Always removes the temp file. */
  upload(s3: S3Client, bucket: string, key: string): Promise<boolean>;
  discard(): Promise<void>;
}

/** Columns: where and why, then the row as the merchant sent it (masked). */
export const createRejectsFile = async (header: () => readonly string[]): Promise<RejectsFile> => {
  const directory = await mkdtemp(join(tmpdir(), 'rejects-'));
  const path = join(directory, 'rejects.csv');
  const out = createWriteStream(path);
  let count = 0;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    out.end();
    await once(out, 'close');
  };
  return {
    get count() {
      return count;
    },
    async add(row) {
      if (count === 0) out.write(csvLine(['line', 'code', 'column', 'message', ...header()]));
      count++;
      const codes = row.errors.map((e) => e.code).join(';');
      const columns = row.errors.map((e) => e.column ?? '').join(';');
      const messages = row.errors.map((e) => e.message).join(' | ');
      if (!out.write(csvLine([String(row.line), codes, columns, messages, ...row.fields])))
        await once(out, 'drain');
    },
    async upload(s3, bucket, key) {
      await close();
      try {
        if (count === 0) return false;
        const { size } = await stat(path);
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: createReadStream(path),
            ContentLength: size,
            ContentType: 'text/csv; charset=utf-8',
          }),
        );
        return true;
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
    async discard() {
      await close();
      await rm(directory, { recursive: true, force: true });
    },
  };
};
