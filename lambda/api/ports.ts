/** What the API needs from AWS, as small interfaces the pure code depends on (adapters implement them). */

export interface UploadStore {
  /** A presigned PUT URL for `key`, content type text/csv, valid `expiresInSeconds`. */
  presignUpload(key: string, expiresInSeconds: number): Promise<string>;
  /** The parsed JSON manifest at `key`, or undefined when there is none yet. */
  readManifest(key: string): Promise<unknown | undefined>;
  /** Whether an uploaded object exists at `key`. */
  objectExists(key: string): Promise<boolean>;
}

export interface TransactionStore {
  /** Every stored version (item) of a transaction id, any merchant; plain values, amounts as decimal strings. */
  versions(transactionId: string): Promise<Record<string, unknown>[]>;
}
