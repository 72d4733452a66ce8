import { resourcePolicy } from '../lib/define';
import { peek } from '../lib/unknown';
import { describe } from '../lib/values';

interface Permission {
  action?: string;
  principal?: string;
  sourceArn?: string;
  sourceAccount?: string;
}

/**
 * A service principal without a source ARN lets ANY resource of that service (in any account)
 * invoke the function: the confused-deputy problem. S3 bucket ARNs carry no account id, so S3 also
 * needs the source account.
 * https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html
 */
export const lambdaPermissionSource = resourcePolicy<Permission>(
  {
    id: 'lambda-permission-source',
    displayName: 'Lambda permissions name their caller',
    description:
      'Every Lambda permission must grant lambda:InvokeFunction to an AWS service principal, never to "*" or an account, and must carry the source ARN of the calling resource; permissions for s3.amazonaws.com must also carry the source account. Otherwise any bucket or API, in any account, could invoke the function.',
    enforcementLevel: 'mandatory',
    severity: 'critical',
    controls: { pciDss: ['7.2.1', '1.3.1'], fsbp: ['Lambda.1'] },
    remediationSteps:
      "Set `principal` to the service (e.g. 's3.amazonaws.com'), `sourceArn` to the bucket ARN or `${api.executionArn}/*/*`, and for S3 `sourceAccount` to the account id.",
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html',
  },
  ['aws:lambda/permission:Permission'],
  ({ props, report }) => {
    if (props.action !== 'lambda:InvokeFunction') {
      report(`action should be "lambda:InvokeFunction"; found ${describe(props.action)}.`);
    }
    const principal = props.principal;
    if (typeof principal !== 'string' || !/^[a-z0-9.-]+\.amazonaws\.com$/.test(principal)) {
      report(`principal should be an AWS service principal; found ${describe(principal)}.`);
    }
    // At the first preview the source ARN (an API execution ARN) is unknown: being set is what counts.
    if (peek(props, 'sourceArn').state === 'absent')
      report('sourceArn should name the calling resource; found it not set.');
    if (principal === 's3.amazonaws.com' && peek(props, 'sourceAccount').state === 'absent') {
      report(
        'sourceAccount should be set for s3.amazonaws.com (bucket ARNs carry no account); found it not set.',
      );
    }
  },
);
