import { resourcePolicy } from '../lib/define';
import { peek } from '../lib/unknown';
import { describe } from '../lib/values';

interface Config {
  maxRetryAttempts: number;
}

interface InvokeConfig {
  maximumRetryAttempts?: number;
  destinationConfig?: { onFailure?: { destination?: string } };
}

/** Advisory: an S3 event that fails every retry lands in a queue instead of vanishing. */
export const lambdaAsyncFailureDestination = resourcePolicy<InvokeConfig, Config>(
  {
    id: 'lambda-async-failure-destination',
    displayName: 'Asynchronously invoked functions keep failed events',
    description:
      'Every Lambda event invoke configuration should send failed events to an on-failure destination and bound the retries (default at most 2). Otherwise an upload whose processing fails is silently dropped after the retries.',
    enforcementLevel: 'advisory',
    severity: 'medium',
    controls: { pciDss: ['10.7.2', '12.10.1'] },
    remediationSteps:
      'Set `destinationConfig.onFailure.destination` to an SQS queue ARN and `maximumRetryAttempts` (0-2) on the aws.lambda.FunctionEventInvokeConfig.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
    config: { maxRetryAttempts: { type: 'integer', minimum: 0, maximum: 2, default: 2 } },
  },
  ['aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig'],
  ({ props, config, report }) => {
    const onFailure = props.destinationConfig?.onFailure;
    // The queue ARN is unknown at the first preview; being set is what this check needs.
    if (!onFailure || peek(onFailure, 'destination').state === 'absent') {
      report('destinationConfig.onFailure.destination should name a queue; found it not set.');
    }
    const retries = props.maximumRetryAttempts;
    if (typeof retries !== 'number' || retries > config.maxRetryAttempts) {
      report(
        `maximumRetryAttempts should be at most ${config.maxRetryAttempts}; found ${describe(retries)}.`,
      );
    }
  },
);
