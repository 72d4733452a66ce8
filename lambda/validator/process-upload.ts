/**
 * One uploaded file, end to end: manifest `processing`, a first pass that only checks the file
 * (so a file refused for a problem on its last line stores nothing), then the pass that stores
 * (its rejected rows streamed to S3 as they come), then the final manifest. AWS access is
 * injected, so tests drive it against local servers and mocks. A failed manifest keeps the counts
 * reached before the failure.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { KEYS } from '../shared/contract';
import { isAppError } from '../shared/errors';
import { emptyCounts, MAX_MANIFEST_ERRORS, type UploadManifest } from '../shared/manifest';
import { processFile } from './core/pipeline';
import { FileRefusedError } from './core/refusal';
import type { Counts, ItemSink, Limits } from './core/types';
import { createDeadline, TimeLimitError, type DeadlineMargins } from './deadline';
import { UnversionedUploadError } from './unversioned';
import { writeManifest } from './adapters/reports';
import { createRejectsFile } from './adapters/rejects-file';
import { openObject, type ObjectRef } from './adapters/s3-source';
import { parseUploadKey } from './upload-key';

export interface UploadDeps {
  readonly s3: S3Client;
  readonly sink: ItemSink;
  readonly bucketName: string;
  readonly limits: Limits;
  readonly cardKey: () => Promise<string>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now?: () => Date;
  /** Milliseconds left before Lambda's timeout (`context.getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number;
  /** How long before the timeout to stop, and to abort writes in flight (defaults in deadline.ts). */
  readonly deadlineMargins?: DeadlineMargins;
}

const PROGRESS_EVERY = 100_000;

/** Processes one object; resolves to its final manifest, or undefined when the key is not an upload. */
export const processUpload = async (
  deps: UploadDeps,
  ref: ObjectRef & { size?: number; createdAt?: string },
): Promise<UploadManifest | undefined> => {
  const upload = parseUploadKey(ref.key);
  if (!upload) {
    deps.logger.warn('Ignored an object that is not under uploads/{merchantId}/{uploadId}.csv', {
      key: ref.key,
    });
    return undefined;
  }
  const now = deps.now ?? (() => new Date());
  const started = now();
  const manifestKey = KEYS.manifestKey(upload.merchantId, upload.uploadId);
  const manifest: UploadManifest = {
    uploadId: upload.uploadId,
    merchantId: upload.merchantId,
    key: ref.key,
    versionId: ref.versionId,
    status: 'processing',
    startedAt: started.toISOString(),
    counts: emptyCounts(),
    unknownColumns: [],
    rejected: [],
    rejectedTruncated: false,
  };
  const finish = async (fields: Partial<UploadManifest>): Promise<UploadManifest> => {
    const finished = now();
    Object.assign(manifest, fields, {
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
    });
    await writeManifest(deps.s3, deps.bucketName, manifestKey, manifest);
    deps.logger.info('Upload processed', {
      merchantId: manifest.merchantId,
      uploadId: manifest.uploadId,
      status: manifest.status,
      counts: manifest.counts,
      durationMs: manifest.durationMs,
    });
    return manifest;
  };
  await writeManifest(deps.s3, deps.bucketName, manifestKey, manifest);

  // Counts as of the last completed batch (every counted row accepted or rejected), for a failure.
  let progress: Counts = emptyCounts();
  const deadline = createDeadline(now, deps.remainingMs, () => progress.stored, deps.deadlineMargins);
  const open = async () => deadline.guardSource((await openObject(deps.s3, ref)).body);
  const base = {
    merchantId: upload.merchantId,
    uploadId: upload.uploadId,
    uploadedAt: ref.createdAt,
    limits: deps.limits,
  };
  let headerSeen: readonly string[] = [];
  const rejectsKey = KEYS.rejectsKey(upload.merchantId, upload.uploadId);
  const rejects = createRejectsFile(
    { s3: deps.s3, bucket: deps.bucketName, key: rejectsKey },
    () => headerSeen,
    { signal: deadline.signal },
  );
  let nextProgressLog = PROGRESS_EVERY;
  try {
    if (!ref.versionId) throw new UnversionedUploadError(ref.key);
    if (ref.size !== undefined && ref.size > deps.limits.maxFileBytes) {
      throw new FileRefusedError(
        'FILE_TOO_LARGE',
        `The file is larger than the limit of ${deps.limits.maxFileBytes} bytes. Split it into smaller files.`,
      );
    }
    const cardKey = await deps.cardKey();
    const checked = await processFile(await open(), {
      ...base,
      cardKey: '',
      checkOnly: true,
    });
    headerSeen = checked.header;
    const result = await processFile(await open(), {
      ...base,
      cardKey,
      sink: deadline.guardSink(deps.sink),
      maxReportedErrors: MAX_MANIFEST_ERRORS,
      onReject: (row) => rejects.add(row),
      onProgress: (counts) => {
        progress = { ...counts };
        if (counts.rows < nextProgressLog) return;
        nextProgressLog += PROGRESS_EVERY;
        deps.logger.info('Progress', { uploadId: upload.uploadId, counts });
      },
    });
    // Every row is stored and the rejected rows are sent but for their last parts: completed only with
    // time left (else the retry does it).
    if (deadline.passed) throw new TimeLimitError(progress.stored);
    const uploaded = await rejects.upload();
    return await finish({
      status: 'completed',
      counts: { ...result.counts },
      unknownColumns: [...result.unknownColumns],
      rejected: result.errors.map((e) => ({ ...e })),
      rejectedTruncated: result.errorsTruncated,
      rejectsKey: uploaded ? rejectsKey : undefined,
    });
  } catch (caught) {
    // Its multipart upload aborted, so no parts are left; the failure reported is `caught`.
    await rejects.discard().catch((error: unknown) =>
      deps.logger.warn('The rejects upload ended with an error while it was discarded', {
        uploadId: upload.uploadId,
        error: error as Error,
      }),
    );
    // Anything but a refusal at or after the time limit (a write aborted, a stream cut) is reported
    // as the time limit, with the counts as they are now (a batch in flight may have settled since).
    const cutOff =
      caught instanceof TimeLimitError || (deadline.passed && !(caught instanceof FileRefusedError));
    if (cutOff && !(caught instanceof TimeLimitError)) {
      deps.logger.warn('Failure at the time limit', { uploadId: upload.uploadId, error: caught as Error });
    }
    const error = cutOff ? new TimeLimitError(progress.stored) : caught;
    if (error instanceof FileRefusedError) {
      return finish({
        status: 'refused',
        counts: emptyCounts(),
        refusal: { line: error.line, code: error.code, message: error.message },
      });
    }
    const code = isAppError(error) ? error.code : 'INTERNAL';
    const message = isAppError(error)
      ? error.message
      : 'The file could not be processed; it will be retried.';
    deps.logger.error('Upload failed', { uploadId: upload.uploadId, code, error: error as Error });
    try {
      await finish({ status: 'failed', counts: progress, error: { code, message } });
    } catch (manifestError) {
      deps.logger.error('The failed manifest could not be written', { error: manifestError as Error });
    }
    throw error;
  } finally {
    deadline.dispose();
  }
};
