/**
 * The upload manifest the validator writes to `reports/{merchantId}/{uploadId}.json` (KEYS in
 * contract.ts) and the merchant API reads for `GET /status/{uploadId}`. Shared so both sides
 * agree on its shape.
 */
export type UploadStatus = 'processing' | 'completed' | 'refused' | 'failed';

export interface ManifestCounts {
  /** Data rows in the file (header excluded). rows = accepted + rejected. */
  rows: number;
  /** Rows that are in the table after this run: stored + unchanged. */
  accepted: number;
  /** Rows written by this run. */
  stored: number;
  /** Rows already stored with identical content (re-delivery): not rewritten. */
  unchanged: number;
  /** Rows rejected, with reasons (includes conflicts). */
  rejected: number;
  /** Rows whose key is stored with different content: rejected, never overwritten. */
  conflicts: number;
}

export interface ManifestError {
  line?: number;
  column?: string;
  code: string;
  message: string;
}

export interface UploadManifest {
  uploadId: string;
  merchantId: string;
  key: string;
  versionId?: string;
  status: UploadStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  counts: ManifestCounts;
  unknownColumns: string[];
  /** Why the whole file was refused (status 'refused'); nothing from it was stored. */
  refusal?: ManifestError;
  /** Row errors, at most MAX_MANIFEST_ERRORS; `rejectedTruncated` says when more exist. */
  rejected: ManifestError[];
  rejectedTruncated: boolean;
  /** Key of the CSV of rejected rows (card numbers masked), when there are any. */
  rejectsKey?: string;
  /** Why processing failed (status 'failed'); Lambda retries, then the failure destination gets the event. */
  error?: { code: string; message: string };
}

export const MAX_MANIFEST_ERRORS = 1000;

export const emptyCounts = (): ManifestCounts => ({
  rows: 0,
  accepted: 0,
  stored: 0,
  unchanged: 0,
  rejected: 0,
  conflicts: 0,
});
