import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

/** Lambda functions trace every invocation with X-Ray (FSBP Lambda.7). */
export const lambdaXrayActive = resourcePolicy<{ tracingConfig?: { mode?: string } }>(
  {
    id: 'lambda-xray-active',
    displayName: 'Lambda functions trace with X-Ray in Active mode',
    description:
      'Every Lambda function must set tracingConfig.mode to Active. Active tracing samples and records every invocation, so a failed or slow file can be followed across S3, Lambda and DynamoDB.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['10.2.1', '10.2.2'], fsbp: ['Lambda.7'] },
    remediationSteps: "Set `tracingConfig: { mode: 'Active' }` on the aws.lambda.Function.",
    url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-7',
  },
  ['aws:lambda/function:Function'],
  ({ props, report }) => {
    const mode = props.tracingConfig?.mode;
    if (mode !== 'Active') report(`tracingConfig.mode should be "Active"; found ${describe(mode)}.`);
  },
);
