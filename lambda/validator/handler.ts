/**
 * Lambda entry: S3 ObjectCreated events for `uploads/*.csv` -> validate, protect, store.
 * Thin on purpose: configuration and clients at module scope (read once per cold start, fail
 * fast), the work in processUpload. A thrown error fails the invocation, so Lambda retries the
 * asynchronous event and then sends it to the function's failure destination:
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
import type { Context, S3Event } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createDynamoDbClient, createS3Client, createSecretsManagerClient } from '../shared/clients';
import { DEFAULTS, ENV, METRIC } from '../shared/contract';
import { intEnv, numberEnv, requireEnv } from '../shared/env';
import { createObservability } from '../shared/observability';
import { cachedCardKey } from '../shared/secret';
import { createDynamoSink } from './adapters/dynamo-sink';
import { VALIDATOR_SDK_MAX_ATTEMPTS } from '../shared/retry';
import { processUpload } from './process-upload';
import { secondsSinceEvent } from './sla';
import { decodeEventKey } from './upload-key';

const config = {
  tableName: requireEnv(ENV.tableName),
  bucketName: requireEnv(ENV.bucketName),
  cardHashSecretId: requireEnv(ENV.cardHashSecretId),
  limits: {
    maxFileBytes: intEnv(ENV.maxFileBytes, DEFAULTS.maxFileBytes, process.env, { min: 1 }),
    maxLineBytes: intEnv(ENV.maxLineBytes, DEFAULTS.maxLineBytes, process.env, { min: 1 }),
    maxRows: intEnv(ENV.maxRows, DEFAULTS.maxRows, process.env, { min: 1 }),
    maxAmount: numberEnv(ENV.maxAmount, DEFAULTS.maxAmount, process.env, { min: 0 }),
  },
  writeConcurrency: intEnv(ENV.writeConcurrency, DEFAULTS.writeConcurrency, process.env, { min: 1, max: 64 }),
};

const { logger, metrics } = createObservability('validator');
// No SDK-call tracer here: shared/tracing.ts says why (its async hook costs every row CPU).
const s3 = createS3Client();
// Whole requests are retried by the SDK (more attempts than its default 3: a new table throttles);
// the sink retries only what a batch answer left undone (adapters/retry.ts).
const dynamo = createDynamoDbClient({ maxAttempts: VALIDATOR_SDK_MAX_ATTEMPTS });
const sink = createDynamoSink(dynamo, {
  tableName: config.tableName,
  concurrency: config.writeConcurrency,
});
const cardKey = cachedCardKey(createSecretsManagerClient(), config.cardHashSecretId);

/** The S3 event time as the table stores times (toISOString), or undefined when it is not one. */
function canonicalEventTime(eventTime: string | undefined): string | undefined {
  const created = Date.parse(eventTime ?? '');
  return Number.isNaN(created) ? undefined : new Date(created).toISOString();
}

export const handler = async (event: S3Event, context?: Context): Promise<void> => {
  if (context) logger.addContext(context);
  try {
    for (const record of event.Records ?? []) {
      const manifest = await processUpload(
        {
          s3,
          sink,
          bucketName: config.bucketName,
          limits: config.limits,
          cardKey,
          logger,
          remainingMs: context ? () => context.getRemainingTimeInMillis() : undefined,
        },
        {
          bucket: record.s3.bucket.name,
          key: decodeEventKey(record.s3.object.key),
          versionId: record.s3.object.versionId,
          size: record.s3.object.size,
          createdAt: canonicalEventTime(record.eventTime),
        },
      );
      if (!manifest) {
        metrics.addMetric('ObjectsIgnored', MetricUnit.Count, 1);
        continue;
      }
      metrics.addMetric(
        `Files${manifest.status[0].toUpperCase()}${manifest.status.slice(1)}`,
        MetricUnit.Count,
        1,
      );
      metrics.addMetric(METRIC.rowsStored, MetricUnit.Count, manifest.counts.stored);
      metrics.addMetric('RowsUnchanged', MetricUnit.Count, manifest.counts.unchanged);
      metrics.addMetric(METRIC.rowsRejected, MetricUnit.Count, manifest.counts.rejected);
      metrics.addMetric('RowsConflicting', MetricUnit.Count, manifest.counts.conflicts);
      // The SLA, per file: the operations alarm fires on its maximum above 300 s.
      const latency = secondsSinceEvent(record.eventTime, Date.now());
      if (latency !== undefined)
        metrics.addMetric(METRIC.uploadToManifestSeconds, MetricUnit.Seconds, latency);
    }
  } catch (error) {
    metrics.addMetric(METRIC.filesFailed, MetricUnit.Count, 1);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
};
