/** What the API needs from AWS, as small interfaces the pure code depends on (adapters implement them). */

/** Where to POST the file (multipart/form-data) and the form fields to send before it. */
export interface PresignedPost {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface UploadStore {
  /**
   * A presigned POST for exactly `key`: S3 itself refuses any other key, a body of more than
   * `maxBytes` (or none), another content type than text/csv, and anything after `expiresInSeconds`.
   */
  presignUpload(key: string, limits: { expiresInSeconds: number; maxBytes: number }): Promise<PresignedPost>;
  /** Records that an upload id was issued, so it reads `pending` before its file arrives. */
  markIssued(merchantId: string, uploadId: string): Promise<void>;
  /** The parsed JSON manifest at `key`, or undefined when there is none yet. */
  readManifest(key: string): Promise<unknown | undefined>;
  /** What exists of an upload before its manifest: the file, and when its id was issued. */
  uploadObjects(merchantId: string, uploadId: string): Promise<UploadObjects>;
}

export interface UploadObjects {
  readonly fileReceived: boolean;
  /** When the API issued the upload id (undefined for ids it never issued, or issued before markers). */
  readonly issuedAt?: Date;
}

export interface TransactionStore {
  /** Every stored version (item) of one merchant's transaction id; plain values, amounts as decimal strings. */
  versions(merchantId: string, transactionId: string): Promise<Record<string, unknown>[]>;
}
