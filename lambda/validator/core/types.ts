/** Types shared by the validator core, its adapters and the check-file tool. */
import type { ManifestCounts } from '../../shared/manifest';

export interface Limits {
  /** Largest accepted file, in bytes. */
  readonly maxFileBytes: number;
  /** Longest accepted physical line, in bytes (line terminator excluded). */
  readonly maxLineBytes: number;
  /** Most data rows in one file: more cannot be stored within the function's time limit. */
  readonly maxRows: number;
  /** Largest accepted amount (inclusive), in the row's currency. */
  readonly maxAmount: number;
}

export const MAX_DESCRIPTION_LENGTH = 256;

export type RowErrorCode =
  | 'COLUMN_COUNT'
  | 'MISSING_VALUE'
  | 'INVALID_TRANSACTION_ID'
  | 'MERCHANT_MISMATCH'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_AMOUNT'
  | 'AMOUNT_TOO_LARGE'
  | 'INVALID_CURRENCY'
  | 'INVALID_CARD_NUMBER'
  | 'INVALID_COUNTRY'
  | 'INVALID_CARD_TYPE'
  | 'INVALID_DESCRIPTION'
  | 'CARD_NUMBER_IN_FIELD'
  | 'DUPLICATE_IN_FILE'
  | 'CONFLICT';

/** Why a row was rejected. Messages never contain a card number. */
export interface RowError {
  readonly line: number;
  readonly column?: string;
  readonly code: RowErrorCode;
  readonly message: string;
}

/** A row that passed validation, with canonical values (still holding the PAN: never output it). */
export interface ValidRow {
  readonly transactionId: string;
  /** Canonical UTC ISO 8601 (`toISOString`). */
  readonly timestamp: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly pan: string;
  readonly country?: string;
  readonly cardType?: string;
  readonly description?: string;
}

/** The item written to DynamoDB; attribute names are ATTR in lambda/shared/contract.ts. */
export interface StoredItem {
  /** The merchant-scoped key, `transactionKey(merchant_id, the file's transaction_id)`. */
  readonly transaction_id: string;
  readonly timestamp: string;
  readonly merchant_id: string;
  readonly amount: number;
  readonly currency: string;
  readonly card_last4: string;
  readonly card_hash: string;
  readonly card_type?: string;
  readonly country?: string;
  readonly description?: string;
  readonly upload_id: string;
  /** When S3 created the file (its event time); absent when the event carried none. */
  readonly uploaded_at?: string;
  readonly source_line: number;
  readonly content_hash: string;
}

/** What a sink reports back for one batch of items. */
export interface BatchOutcome {
  /** Items written now. */
  readonly stored: number;
  /** Items whose key already held the same content: not rewritten (no stream record, no alert). */
  readonly unchanged: number;
  /** Items whose key already held different content: rejected, never overwritten. */
  readonly conflicts: readonly StoredItem[];
}

/** Where accepted items go: DynamoDB in Lambda, nowhere in check-file and the benchmark. */
export interface ItemSink {
  /** `signal` aborts the requests in flight and any retry (the function's time limit is near). */
  writeBatch(items: readonly StoredItem[], signal?: AbortSignal): Promise<BatchOutcome>;
}

/** The manifest's counts: one definition for the validator and the API that reads them. */
export type Counts = ManifestCounts;
