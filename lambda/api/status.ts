/**
 * GET /status/{id}, pure parts: the status of an upload from its manifest, and the stored
 * versions of a transaction restricted to the caller's merchant. Another merchant's transaction
 * answers exactly like a missing one (404), so ids cannot be probed across merchants.
 */
import { ATTR } from '../shared/contract';
import { redactCardNumbers } from '../shared/card';
import { NotFoundError } from '../shared/errors';
import type { UploadStatus as ManifestStatus } from '../shared/manifest';

/** `pending` until the validator starts; `expired` when no file came before the upload URL expired. */
export type UploadState = 'pending' | 'expired' | ManifestStatus;

/** An error as shown to the merchant (row rejections, a refusal, a failure). */
export interface StatusError {
  readonly line?: number;
  readonly column?: string;
  readonly code: string;
  readonly message: string;
}

export interface UploadStatus {
  readonly type: 'upload';
  readonly uploadId: string;
  readonly status: UploadState;
  readonly counts: Readonly<Record<string, number>>;
  /** What `pending` or `expired` is waiting for, in words. */
  readonly detail?: string;
  /** When the upload URL expires (`pending` before the file arrived, and `expired`). */
  readonly uploadUrlExpiresAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** Columns in the file that the contract does not know (reported, not stored). */
  readonly unknownColumns?: readonly string[];
  /** Rejected rows with line, column and reason (the validator caps the list). */
  readonly rejected?: readonly StatusError[];
  readonly rejectedTruncated?: boolean;
  /** Why the whole file was refused (status `refused`). */
  readonly refusal?: StatusError;
  /** Why processing failed (status `failed`; Lambda retries it). */
  readonly error?: StatusError;
}

export interface TransactionVersion {
  readonly timestamp: string;
  readonly amount: number;
  readonly currency: string;
  readonly card: string;
  readonly uploadId?: string;
  readonly country?: string;
  readonly cardType?: string;
  readonly description?: string;
  readonly status: 'stored';
}

export interface TransactionStatus {
  readonly type: 'transaction';
  readonly transactionId: string;
  readonly status: 'stored';
  readonly versions: readonly TransactionVersion[];
}

/** One message for "missing" and "someone else's" (the id is not echoed: it is the caller's input). */
export const NOT_FOUND_MESSAGE = 'No transaction or upload with this id.';

const STATES: readonly ManifestStatus[] = ['processing', 'completed', 'refused', 'failed'];
const COUNT_FIELDS = ['rows', 'accepted', 'stored', 'unchanged', 'rejected', 'conflicts'];

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

const numbersOf = (source: Record<string, unknown>, only?: readonly string[]): Record<string, number> =>
  Object.fromEntries(
    Object.entries(source).filter(
      ([name, value]) =>
        typeof value === 'number' && Number.isFinite(value) && (!only || only.includes(name)),
    ),
  ) as Record<string, number>;

const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A manifest error, re-built field by field (nothing else passes), messages PAN-redacted. */
const errorOf = (value: unknown): StatusError | undefined => {
  const fields = record(value);
  const message = stringOf(fields.message);
  if (message === undefined) return undefined;
  const line = typeof fields.line === 'number' ? fields.line : undefined;
  const column = stringOf(fields.column);
  return {
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column: redactCardNumbers(column) } : {}),
    code: stringOf(fields.code) ?? 'ERROR',
    message: redactCardNumbers(message),
  };
};

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * The validator's manifest (lambda/shared/manifest.ts) as the merchant sees it. Read tolerantly:
 * it is JSON from S3, so every field is checked rather than trusted; counts may sit under
 * `counts` or at the top level.
 */
export const uploadStatusFromManifest = (uploadId: string, manifest: unknown): UploadStatus => {
  const fields = record(manifest);
  const status = STATES.find((state) => state === fields.status) ?? 'processing';
  const nested = numbersOf(record(fields.counts));
  const counts = Object.keys(nested).length > 0 ? nested : numbersOf(fields, COUNT_FIELDS);
  const rejected = Array.isArray(fields.rejected)
    ? fields.rejected.map(errorOf).filter((error): error is StatusError => error !== undefined)
    : undefined;
  const unknownColumns = Array.isArray(fields.unknownColumns)
    ? fields.unknownColumns.filter((name): name is string => typeof name === 'string').map(redactCardNumbers)
    : undefined;
  return defined({
    type: 'upload' as const,
    uploadId,
    status,
    counts,
    startedAt: stringOf(fields.startedAt),
    finishedAt: stringOf(fields.finishedAt),
    durationMs: typeof fields.durationMs === 'number' ? fields.durationMs : undefined,
    unknownColumns,
    rejected,
    rejectedTruncated: typeof fields.rejectedTruncated === 'boolean' ? fields.rejectedTruncated : undefined,
    refusal: errorOf(fields.refusal),
    error: errorOf(fields.error),
  });
};

/** The file is in the bucket; the validator has not written its manifest yet. */
export const receivedUpload = (uploadId: string): UploadStatus => ({
  type: 'upload',
  uploadId,
  status: 'pending',
  counts: {},
  detail: 'The file was received; validation has not started yet.',
});

/**
 * Grace after the URL's expiry before an upload reads `expired`: the issue time comes from the
 * marker's LastModified, which S3 keeps to the second, and S3's clock is not this function's.
 */
export const EXPIRY_GRACE_MS = 5_000;

/** An issued upload id without its file: pending until the URL expires, then expired. */
export const awaitedUpload = (uploadId: string, urlExpiresAt: Date, now: Date): UploadStatus => {
  const expired = now.getTime() >= urlExpiresAt.getTime() + EXPIRY_GRACE_MS;
  return {
    type: 'upload',
    uploadId,
    status: expired ? 'expired' : 'pending',
    counts: {},
    detail: expired
      ? 'No file has arrived and the upload URL has expired. Ask for a new one with POST /upload.'
      : 'Waiting for the file: PUT it to the upload URL before it expires.',
    uploadUrlExpiresAt: urlExpiresAt.toISOString(),
  };
};

const text = (item: Record<string, unknown>, name: string): string | undefined => {
  const value = item[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const toVersion = (item: Record<string, unknown>): TransactionVersion => {
  const last4 = text(item, ATTR.cardLast4);
  const description = text(item, ATTR.description);
  const optional = {
    uploadId: text(item, ATTR.uploadId),
    country: text(item, ATTR.country),
    cardType: text(item, ATTR.cardType),
    description: description === undefined ? undefined : redactCardNumbers(description),
  };
  return {
    timestamp: text(item, ATTR.timestamp) ?? '',
    amount: Number(item[ATTR.amount]),
    currency: text(item, ATTR.currency) ?? '',
    card: last4 && /^\d{4}$/.test(last4) ? `**** ${last4}` : '****',
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    status: 'stored',
  };
};

/** The caller's versions of a transaction, oldest first; none -> the same 404 as a missing id. */
export const transactionStatus = (
  transactionId: string,
  items: readonly Record<string, unknown>[],
  merchantId: string,
): TransactionStatus => {
  const own = items.filter((item) => item[ATTR.merchantId] === merchantId);
  if (own.length === 0) throw new NotFoundError(NOT_FOUND_MESSAGE);
  const versions = own.map(toVersion).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  return { type: 'transaction', transactionId, status: 'stored', versions };
};

export const uploadNotFound = (): NotFoundError => new NotFoundError(NOT_FOUND_MESSAGE);
