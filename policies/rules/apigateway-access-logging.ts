import { resourcePolicy } from '../lib/define';
import { peek } from '../lib/unknown';

interface Stage {
  accessLogSettings?: { destinationArn?: string; format?: string };
}

/** Advisory: who called what, when, with which key; the destination ARN may be unknown at preview. */
export const apigatewayAccessLogging = resourcePolicy<Stage>(
  {
    id: 'apigateway-access-logging',
    displayName: 'API Gateway stages write access logs',
    description:
      'Every API Gateway stage should write access logs (destination and format) to a CloudWatch log group. Access logs record which API key called which route and with what result.',
    enforcementLevel: 'advisory',
    severity: 'medium',
    controls: { pciDss: ['10.2.1', '10.2.2'], fsbp: ['APIGateway.1'] },
    remediationSteps:
      'Set `accessLogSettings: { destinationArn: <log group ARN>, format: <JSON format> }` on the aws.apigateway.Stage, and an aws.apigateway.Account with a CloudWatch role.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  },
  ['aws:apigateway/stage:Stage'],
  ({ props, report }) => {
    const settings = props.accessLogSettings;
    // The log group ARN is often unknown at preview; being set is what this check needs.
    if (
      !settings ||
      peek(settings, 'destinationArn').state === 'absent' ||
      peek(settings, 'format').state === 'absent'
    ) {
      report('accessLogSettings should set a destinationArn and a format; found them missing.');
    }
  },
);
