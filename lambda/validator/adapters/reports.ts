/**
 * The validator's reports beside each upload: the manifest (JSON), and the CSV lines of the
 * rejected rows (card numbers masked), which rejects-file.ts streams to S3.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cardSafeJson } from '../../shared/card';
import type { UploadManifest } from '../../shared/manifest';

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

/** One CSV record, CRLF-terminated (RFC 4180). */
export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;
