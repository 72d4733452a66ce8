import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

interface Config {
  allowedRuntimes: string[];
}

/**
 * Only runtimes AWS still patches. nodejs24.x is supported to 2028-04-30 and nodejs22.x to
 * 2027-04-30; python3.9 was deprecated on 2025-12-15.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const lambdaSupportedRuntime = resourcePolicy<{ runtime?: string; packageType?: string }, Config>(
  {
    id: 'lambda-supported-runtime',
    displayName: 'Lambda functions use a supported runtime',
    description:
      'Every Lambda function must use one of the allowed, AWS-supported runtimes (default nodejs24.x or nodejs22.x). A deprecated runtime no longer receives security patches.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['6.3.3'], fsbp: ['Lambda.2'] },
    remediationSteps:
      'Set `runtime` on the aws.lambda.Function to an allowed runtime, e.g. `nodejs24.x`, and redeploy.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
    config: {
      allowedRuntimes: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        default: ['nodejs24.x', 'nodejs22.x'],
        description: 'Runtimes that AWS supports and this project allows.',
      },
    },
  },
  ['aws:lambda/function:Function'],
  ({ props, config, report }) => {
    if (props.packageType === 'Image') {
      report('packageType should be "Zip" so the runtime is AWS-managed and patched; found "Image".');
      return;
    }
    if (!props.runtime || !config.allowedRuntimes.includes(props.runtime)) {
      report(
        `runtime should be one of ${config.allowedRuntimes.join(', ')}; found ${describe(props.runtime)}.`,
      );
    }
  },
);
