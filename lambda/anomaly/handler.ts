/**
 * Anomaly detector: DynamoDB stream -> detector state -> rules and tamper detection -> SNS e-mail
 * alerts, each sent once. Thin: configuration and clients at module scope (read once, fail fast),
 * logic in detector.ts. Partial batch failures go through Powertools Batch, so only the records
 * whose alerts could not be sent (or whose images are unusable) are reported in
 * `batchItemFailures`; a failure of the state table fails the batch, which is then retried whole.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DEFAULTS, ENV, METRIC } from '../shared/contract';
import { requireEnv } from '../shared/env';
import { createObservability } from '../shared/observability';
import { createDynamoDbClient, createSnsClient } from '../shared/clients';
import { detectAndAlert } from './detector';
import { snsAlertPublisher } from './publisher';
import { dynamoStateStore } from './state/dynamo-state';
import { readThresholds } from './thresholds';

// No SDK-call tracer here: shared/tracing.ts says why (its async hook costs the detector CPU).
const { logger, metrics } = createObservability('anomaly');
const limits = readThresholds();
const topicArn = requireEnv(ENV.topicArn);
const stateTable = requireEnv(ENV.stateTableName);
const publish = snsAlertPublisher(createSnsClient(), topicArn);
const store = dynamoStateStore(createDynamoDbClient(), stateTable);
const processor = new BatchProcessor(EventType.DynamoDBStreams);
/** An invocation cannot outlive its timeout: a claim older than this has no live claimant. */
const ALERT_LEASE_MS = (DEFAULTS.anomalyTimeoutSeconds + 30) * 1000;

/** Thrown for a record that must be retried; its message is what the failure log shows. */
export class RecordNotProcessedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordNotProcessedError';
  }
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  logger.addContext(context);
  const outcome = await detectAndAlert(event.Records, {
    store,
    publish,
    limits,
    leaseMs: ALERT_LEASE_MS,
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
  logger.info('Stream batch evaluated', {
    records: event.Records.length,
    transactions: outcome.transactions,
    episodes: outcome.episodes,
    alertsSent: outcome.alertsSent,
    alertsFailed: outcome.alertsFailed,
    alreadySent: outcome.alreadySent,
    stateReads: outcome.stateReads,
    stateWrites: outcome.stateWrites,
    failedRecords: outcome.failures.size,
  });
  metrics.addMetric('AnomalyEpisodes', MetricUnit.Count, outcome.episodes);
  metrics.addMetric(METRIC.alertsSent, MetricUnit.Count, outcome.alertsSent);
  for (const seconds of outcome.uploadToAlertSeconds)
    metrics.addMetric(METRIC.uploadToAlertSeconds, MetricUnit.Seconds, seconds);
  metrics.addMetric(METRIC.alertsFailed, MetricUnit.Count, outcome.alertsFailed);
  metrics.addMetric('AlertsAlreadySent', MetricUnit.Count, outcome.alreadySent);
  metrics.addMetric('StateReads', MetricUnit.Count, outcome.stateReads);
  metrics.addMetric('StateWrites', MetricUnit.Count, outcome.stateWrites);
  metrics.addMetric('StateItemsFull', MetricUnit.Count, outcome.stateItemsFull);
  if (outcome.stateItemsFull > 0) {
    logger.warn('Detector state items full: their windows see only what they already hold', {
      stateItemsFull: outcome.stateItemsFull,
    });
  }
  metrics.publishStoredMetrics();

  const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
    const reason = outcome.failures.get(record.dynamodb?.SequenceNumber ?? '');
    if (reason !== undefined) {
      logger.warn('Stream record will be retried', {
        sequenceNumber: record.dynamodb?.SequenceNumber,
        reason,
      });
      throw new RecordNotProcessedError(reason);
    }
  };
  return processPartialResponse(event, recordHandler, processor, { context });
};
