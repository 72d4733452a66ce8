/**
 * Anomaly detector: DynamoDB stream -> rules and tamper detection -> SNS e-mail alerts.
 * Thin: configuration and clients at module scope (read once, fail fast), logic in detector.ts.
 * Partial batch failures go through Powertools Batch, so only the records whose alerts could not
 * be sent (or whose images are unusable) are reported in `batchItemFailures`.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ENV } from '../shared/contract';
import { requireEnv } from '../shared/env';
import { captureClient, createObservability } from '../shared/observability';
import { createSnsClient } from '../shared/clients';
import { detectAndAlert } from './detector';
import { snsAlertPublisher } from './publisher';
import { readThresholds } from './thresholds';

const { logger, tracer, metrics } = createObservability('anomaly');
const limits = readThresholds();
const topicArn = requireEnv(ENV.topicArn);
const publish = snsAlertPublisher(captureClient(tracer, createSnsClient()), topicArn);
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** Thrown for a record that must be retried; its message is what the failure log shows. */
export class RecordNotProcessedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordNotProcessedError';
  }
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  logger.addContext(context);
  const outcome = await detectAndAlert(event.Records, limits, publish);
  logger.info('Stream batch evaluated', {
    records: event.Records.length,
    anomalies: outcome.anomalies,
    alertsSent: outcome.alertsSent,
    alertsFailed: outcome.alertsFailed,
    failedRecords: outcome.failures.size,
  });
  metrics.addMetric('AnomaliesDetected', MetricUnit.Count, outcome.anomalies);
  metrics.addMetric('AlertsSent', MetricUnit.Count, outcome.alertsSent);
  metrics.addMetric('AlertsFailed', MetricUnit.Count, outcome.alertsFailed);
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
