/**
 * The validator's reports beside each upload: the manifest (JSON), and the CSV lines of the
 * rejected rows (card numbers masked), which rejects-file.ts streams to S3.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
      Body: `${JSON.stringify(manifest, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
};

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV field (RFC 4180 quoting). A field that a spreadsheet would run as a formula gets a
 * leading apostrophe (OWASP "CSV injection"), since merchants open these reports in spreadsheets.
 */
export const csvField = (value: string): string => {
  const safe = /^[=+\-@\t\r]/.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One CSV record, CRLF-terminated (RFC 4180). */
export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;
