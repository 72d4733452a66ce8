/**
 * Powertools for AWS Lambda: structured JSON logs, X-Ray traces, CloudWatch metrics (EMF).
 * https://docs.powertools.aws.dev/lambda/typescript/latest/
 *
 * The logger's JSON replacer masks anything that looks like a card number in every string it
 * serialises, a last line of defence behind "never pass a PAN to the logger".
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { cardSafeJson } from './card';

export interface Observability {
  logger: Logger;
  tracer: Tracer;
  metrics: Metrics;
}

/**
 * Logger, tracer and metrics for one function. Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE when the stack sets them.
 * The tracer is a no-op outside Lambda, so tests and local runs need no X-Ray daemon.
 */
export const createObservability = (
  serviceName: string,
  namespace = 'TransactionProcessor',
): Observability => {
  const service = process.env.POWERTOOLS_SERVICE_NAME || serviceName;
  return {
    logger: new Logger({ serviceName: service, jsonReplacerFn: cardSafeJson }),
    tracer: new Tracer({ serviceName: service }),
    metrics: new Metrics({
      serviceName: service,
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || namespace,
    }),
  };
};

/** Wraps an SDK v3 client so each call becomes an X-Ray subsegment (no-op when tracing is off). */
export const captureClient = <T>(tracer: Tracer, client: T): T => tracer.captureAWSv3Client(client);
