/** What the API needs from AWS, as small interfaces the pure code depends on (adapters implement them). */

export interface UploadStore {
  /** A presigned PUT URL for `key`, content type text/csv, valid `expiresInSeconds`. */
  presignUpload(key: string, expiresInSeconds: number): Promise<string>;
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
