/**
 * One stream batch, end to end but without AWS: read the records, run the rules over the
 * INSERTs and tamper detection over MODIFY/REMOVE, group into alerts, send them through the
 * publisher port, and say which records failed. A record fails when its image is unusable or
 * when an alert carrying one of its anomalies could not be sent; Lambda then retries it
 * (ReportBatchItemFailures) and finally hands it to the on-failure destination, so no alert
 * is lost silently.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { buildAlerts, type AlertMessage } from './alerts';
import type { Anomaly, InsertedTransaction } from './anomaly';
import { evaluateRules } from './rules';
import { detectTamper } from './tamper';
import type { AnomalyThresholds } from './thresholds';
import { toStoredTransaction, type StreamImage } from './transaction';

/** Sends one alert; rejects when it was not accepted. */
export type AlertPublisher = (alert: AlertMessage) => Promise<void>;

export interface RecordFailure {
  readonly sequenceNumber: string;
  readonly reason: string;
}

export interface BatchOutcome {
  readonly anomalies: number;
  readonly alertsSent: number;
  readonly alertsFailed: number;
  /** Sequence number -> why it failed (unusable image, or its alert was not sent). */
  readonly failures: ReadonlyMap<string, string>;
}

export interface BatchEvaluation {
  readonly anomalies: Anomaly[];
  readonly invalid: RecordFailure[];
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Pure: the anomalies of one batch, and the records that could not be read. */
export const evaluateBatch = (
  records: readonly DynamoDBRecord[],
  limits: AnomalyThresholds,
): BatchEvaluation => {
  const inserted: InsertedTransaction[] = [];
  const anomalies: Anomaly[] = [];
  const invalid: RecordFailure[] = [];
  for (const record of records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (sequenceNumber === undefined) continue; // Not a stream record; nothing can be reported for it.
    const oldImage = record.dynamodb?.OldImage as StreamImage | undefined;
    const newImage = record.dynamodb?.NewImage as StreamImage | undefined;
    try {
      if (record.eventName === 'INSERT') {
        if (!newImage)
          throw new Error('The INSERT record has no new image (is the stream view NEW_AND_OLD_IMAGES?).');
        inserted.push({ sequenceNumber, transaction: toStoredTransaction(newImage) });
      } else if (record.eventName === 'MODIFY' || record.eventName === 'REMOVE') {
        const tamper = detectTamper({ eventName: record.eventName, sequenceNumber, oldImage, newImage });
        if (tamper) anomalies.push(tamper);
      }
    } catch (error) {
      invalid.push({ sequenceNumber, reason: errorText(error) });
    }
  }
  return { anomalies: [...anomalies, ...evaluateRules(inserted, limits)], invalid };
};

/** Evaluates, publishes every alert (concurrently, each on its own), and collects failures. */
export const detectAndAlert = async (
  records: readonly DynamoDBRecord[],
  limits: AnomalyThresholds,
  publish: AlertPublisher,
): Promise<BatchOutcome> => {
  const { anomalies, invalid } = evaluateBatch(records, limits);
  const failures = new Map<string, string>(
    invalid.map((failure) => [failure.sequenceNumber, failure.reason]),
  );
  const alerts = buildAlerts(anomalies);
  const results = await Promise.allSettled(alerts.map((alert) => publish(alert)));
  let alertsFailed = 0;
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') return;
    alertsFailed += 1;
    const alert = alerts[index];
    for (const sequenceNumber of alert.sequenceNumbers) {
      if (!failures.has(sequenceNumber)) {
        failures.set(
          sequenceNumber,
          `The ${alert.rule} alert for ${alert.merchantId} was not sent: ${errorText(result.reason)}`,
        );
      }
    }
  });
  return { anomalies: anomalies.length, alertsSent: alerts.length - alertsFailed, alertsFailed, failures };
};
