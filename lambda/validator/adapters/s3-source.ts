/** Reads an uploaded object as a byte stream (never whole), pinned to the event's version. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** The version named by the S3 event, so every read sees the same bytes. */
  readonly versionId?: string;
}

export interface OpenedObject {
  readonly body: AsyncIterable<Uint8Array>;
  readonly contentLength?: number;
  readonly versionId?: string;
}

export const openObject = async (s3: S3Client, ref: ObjectRef): Promise<OpenedObject> => {
  const result = await s3.send(
    new GetObjectCommand({
      Bucket: ref.bucket,
      Key: ref.key,
      ...(ref.versionId ? { VersionId: ref.versionId } : {}),
    }),
  );
  if (!result.Body) throw new Error(`S3 returned no body for ${ref.key}.`);
  return { body: result.Body as Readable, contentLength: result.ContentLength, versionId: result.VersionId };
};
