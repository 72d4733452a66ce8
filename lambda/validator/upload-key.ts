/**
 * Which merchant and upload an S3 object key belongs to. Only `uploads/{merchantId}/{uploadId}.csv`
 * is accepted: the merchant of every row is checked against this path.
 */
import { KEYS, MERCHANT_ID_PATTERN, UPLOAD_ID_PATTERN } from '../shared/contract';

export interface UploadRef {
  readonly merchantId: string;
  readonly uploadId: string;
}

/**
 * S3 event notifications URL-encode object keys, with spaces as '+':
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export const decodeEventKey = (key: string): string => {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key; // malformed escapes: the key then fails parseUploadKey and is ignored, not retried forever
  }
};

/** The merchant and upload of a key, or undefined when the key is not an upload key. */
export const parseUploadKey = (key: string): UploadRef | undefined => {
  if (!key.startsWith(KEYS.uploadsPrefix) || !key.endsWith(KEYS.uploadsSuffix)) return undefined;
  const parts = key.slice(KEYS.uploadsPrefix.length, -KEYS.uploadsSuffix.length).split('/');
  if (parts.length !== 2) return undefined;
  const [merchantId, uploadId] = parts;
  if (!MERCHANT_ID_PATTERN.test(merchantId) || !UPLOAD_ID_PATTERN.test(uploadId)) return undefined;
  return { merchantId, uploadId };
};
