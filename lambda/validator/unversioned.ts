import { AppError } from '../shared/errors';

/**
 * The S3 event names no object version. The bucket is versioned, so every ObjectCreated event
 * carries a `versionId`, and reading by version is what the validator's role is granted
 * (`s3:GetObjectVersion` only: S3 checks that action, not `s3:GetObject`, when a request names a
 * version: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax).
 * An event without one means versioning is off or the event is not S3's: fail (retries, then the
 * failure queue) rather than read whatever object is current under the key.
 */
export class UnversionedUploadError extends AppError {
  constructor(key: string) {
    super(
      'NOT_VERSIONED',
      `The S3 event for ${key} names no object version; the bucket must be versioned. The file was not read.`,
      500,
    );
  }
}
