import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

export const apigatewayStageXray = resourcePolicy<{ xrayTracingEnabled?: boolean }>(
  {
    id: 'apigateway-stage-xray',
    displayName: 'API Gateway stages trace with X-Ray',
    description:
      'Every API Gateway REST API stage must enable X-Ray tracing. Traces follow a merchant request from the API into the Lambda function and DynamoDB, which is the evidence needed to investigate a suspicious request.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['10.2.1', '10.2.2'], fsbp: ['APIGateway.3'] },
    remediationSteps: 'Set `xrayTracingEnabled: true` on the aws.apigateway.Stage.',
    url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-3',
  },
  ['aws:apigateway/stage:Stage'],
  ({ props, report }) => {
    if (props.xrayTracingEnabled !== true) {
      report(`xrayTracingEnabled should be true; found ${describe(props.xrayTracingEnabled)}.`);
    }
  },
);
