/**
 * Powertools for AWS Lambda: structured JSON logs and CloudWatch metrics (EMF); X-Ray subsegments
 * per SDK call are in tracing.ts, for the functions that take them.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/
 *
 * The logger's JSON replacer masks anything that looks like a card number in every string it
 * serialises, a last line of defence behind "never pass a PAN to the logger".
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { cardSafeJson } from './card';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

/**
 * Logger and metrics for one function. Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE when the stack sets them.
 */
export const createObservability = (
  serviceName: string,
  namespace = 'TransactionProcessor',
): Observability => {
  const service = serviceNameOf(serviceName);
  return {
    logger: new Logger({ serviceName: service, jsonReplacerFn: cardSafeJson }),
    metrics: new Metrics({
      serviceName: service,
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || namespace,
    }),
  };
};

/** The service name every Powertools utility of a function reports. */
export const serviceNameOf = (serviceName: string): string =>
  process.env.POWERTOOLS_SERVICE_NAME || serviceName;
