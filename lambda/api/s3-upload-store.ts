/**
 * UploadStore on S3. Uploads are presigned POSTs: a signed policy that S3 checks before it stores
 * anything (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html).
 * The client is created with `requestChecksumCalculation: 'WHEN_REQUIRED'`, so the API's own
 * writes carry no checksum they do not need.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { recordPresignedPost } from '../shared/call-recorder';
import { KEYS } from '../shared/contract';
import type { UploadStore } from './ports';
import { UPLOAD_CONTENT_TYPE } from './upload';

/** The manifest could not be parsed: an internal fault (500), never shown to the caller. */
export class ManifestUnreadableError extends Error {
  constructor(key: string, options?: { cause?: unknown }) {
    super(`The manifest at ${key} is not valid JSON.`, options);
    this.name = 'ManifestUnreadableError';
  }
}

/**
 * The API role may not read uploads (they hold full card numbers): existence is checked by listing
 * the exact key (s3:ListBucket, conditioned on the uploads/ and reports/ prefixes), and only reports
 * are read. Without an unconditioned ListBucket S3 answers 403 for a missing key, so a manifest is
 * listed before it is read, and a 403 is always a real permission fault (a generic 500).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Permissions)
 */
const isAbsent = (error: unknown): boolean => {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const name = (error as { name?: string })?.name;
  return status === 404 || name === 'NoSuchKey' || name === 'NotFound';
};

export const s3UploadStore = (s3: S3Client, bucket: string): UploadStore => {
  // Keys sort lexicographically, so an exact key is the first one listed under itself as a prefix.
  const objectExists = async (key: string): Promise<boolean> => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
    return listed.Contents?.[0]?.Key === key;
  };

  return {
    presignUpload: (key, { expiresInSeconds, maxBytes }) => {
      recordPresignedPost(bucket, key);
      return createPresignedPost(s3, {
        Bucket: bucket,
        Key: key,
        // The policy S3 checks before storing anything: this key only, 1 byte to the file limit, CSV.
        Conditions: [
          ['eq', '$key', key],
          ['content-length-range', 1, maxBytes],
          ['eq', '$Content-Type', UPLOAD_CONTENT_TYPE],
        ],
        Fields: { 'Content-Type': UPLOAD_CONTENT_TYPE },
        Expires: expiresInSeconds,
      });
    },

    markIssued: async (merchantId, uploadId) => {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: KEYS.issuedKey(merchantId, uploadId), Body: '' }),
      );
    },

    readManifest: async (key) => {
      if (!(await objectExists(key))) return undefined;
      let text: string;
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        text = (await object.Body?.transformToString('utf-8')) ?? '';
      } catch (error) {
        if (isAbsent(error)) return undefined; // deleted between the listing and the read
        throw error;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new ManifestUnreadableError(key, { cause: error });
      }
    },

    // One listing finds both the file and the marker (`<uploadId>.csv`, `<uploadId>.issued`); the
    // marker's LastModified is when the id was issued. Nothing under uploads/ is ever read.
    uploadObjects: async (merchantId, uploadId) => {
      const file = KEYS.uploadKey(merchantId, uploadId);
      const marker = KEYS.issuedKey(merchantId, uploadId);
      const listed = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: `${KEYS.uploadsPrefix}${merchantId}/${uploadId}.`,
          MaxKeys: 10,
        }),
      );
      const objects = listed.Contents ?? [];
      return {
        fileReceived: objects.some((o) => o.Key === file),
        issuedAt: objects.find((o) => o.Key === marker)?.LastModified,
      };
    },
  };
};
