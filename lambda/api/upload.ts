/**
 * POST /upload: a presigned POST for `uploads/{merchantId}/{uploadId}.csv`, bound by S3 itself to
 * that key, the file size limit and text/csv. The merchant is the API key's, never a value from the
 * body; the body may be empty or `{}` and nothing else, so a caller who tries to choose a merchant
 * or a key gets a clear 400 instead of being ignored.
 */
import { randomUUID } from 'node:crypto';
import { KEYS } from '../shared/contract';
import { BadRequestError } from '../shared/errors';
import type { UploadStore } from './ports';

export const UPLOAD_CONTENT_TYPE = 'text/csv';

/**
 * How to send the file: a multipart/form-data POST to `uploadUrl` with every one of `fields`, then
 * the file as the last part, named `file` (curl: `-F name=value … -F file=@transactions.csv`).
 */
export interface UploadTicket {
  readonly uploadId: string;
  readonly uploadUrl: string;
  readonly method: 'POST';
  readonly fields: Readonly<Record<string, string>>;
  readonly key: string;
  readonly contentType: string;
  readonly maxBytes: number;
  readonly expiresAt: string;
}

/** Accepts an absent/blank body or an empty JSON object; anything else is a 400. */
export const assertEmptyUploadBody = (body: string | null, isBase64Encoded = false): void => {
  const text = body && isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : (body ?? '');
  if (text.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequestError('The request body must be empty or a JSON object.', 'MALFORMED_BODY');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadRequestError('The request body must be empty or a JSON object.', 'MALFORMED_BODY');
  }
  const fields = Object.keys(parsed);
  if (fields.length > 0) {
    throw new BadRequestError(
      `POST /upload takes no fields (got ${fields.length}); the merchant comes from the API key.`,
      'MALFORMED_BODY',
    );
  }
};

export const newUploadId = (): string => `up-${randomUUID()}`;

export const createUploadTicket = async (
  merchantId: string,
  deps: { store: UploadStore; ttlSeconds: number; maxBytes: number; now: () => Date; newId: () => string },
): Promise<UploadTicket> => {
  const uploadId = deps.newId();
  const key = KEYS.uploadKey(merchantId, uploadId);
  const issuedAt = deps.now().getTime();
  // The marker first: once a merchant holds the URL, its status must already read pending.
  await deps.store.markIssued(merchantId, uploadId);
  const post = await deps.store.presignUpload(key, {
    expiresInSeconds: deps.ttlSeconds,
    maxBytes: deps.maxBytes,
  });
  return {
    uploadId,
    uploadUrl: post.url,
    method: 'POST',
    fields: post.fields,
    key,
    contentType: UPLOAD_CONTENT_TYPE,
    maxBytes: deps.maxBytes,
    expiresAt: new Date(issuedAt + deps.ttlSeconds * 1000).toISOString(),
  };
};
