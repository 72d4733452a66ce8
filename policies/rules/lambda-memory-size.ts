import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

interface Config {
  memorySize: number;
}

/** The spec fixes every function at 512 MB: enough for streaming CSV parsing, predictable cost. */
export const lambdaMemorySize = resourcePolicy<{ memorySize?: number }, Config>(
  {
    id: 'lambda-memory-size',
    displayName: 'Lambda functions use the specified memory size',
    description:
      'Every Lambda function must set memorySize to the configured value (default 512 MB). Leaving it unset gives 128 MB, which is too little to stream large CSV files, and larger values raise cost without need.',
    enforcementLevel: 'mandatory',
    severity: 'low',
    controls: { pciDss: ['2.2.1'] },
    remediationSteps: 'Set `memorySize` on the aws.lambda.Function to the configured value (default 512).',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html',
    config: { memorySize: { type: 'integer', minimum: 128, maximum: 10240, default: 512 } },
  },
  ['aws:lambda/function:Function'],
  ({ props, config, report }) => {
    if (props.memorySize !== config.memorySize) {
      report(`memorySize should be ${config.memorySize} MB; found ${describe(props.memorySize)}.`);
    }
  },
);
