import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

interface Config {
  reservedConcurrency: number;
}

/** Every function reserves exactly the configured concurrency: a cap on cost and on downstream load. */
export const lambdaReservedConcurrency = resourcePolicy<{ reservedConcurrentExecutions?: number }, Config>(
  {
    id: 'lambda-reserved-concurrency',
    displayName: 'Lambda functions reserve a fixed concurrency',
    description:
      'Every Lambda function must reserve exactly the configured number of concurrent executions (default 10). The reservation guarantees capacity to each function and caps how hard a burst of uploads can hit DynamoDB and SNS.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['2.2.1'] },
    remediationSteps:
      'Set `reservedConcurrentExecutions` on the aws.lambda.Function to the configured value (default 10).',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
    config: {
      reservedConcurrency: {
        type: 'integer',
        minimum: 1,
        default: 10,
        description: 'Required reserved concurrency.',
      },
    },
  },
  ['aws:lambda/function:Function'],
  ({ props, config, report }) => {
    const value = props.reservedConcurrentExecutions;
    if (value !== config.reservedConcurrency) {
      report(
        `reservedConcurrentExecutions should be ${config.reservedConcurrency}; found ${describe(value)}.`,
      );
    }
  },
);
