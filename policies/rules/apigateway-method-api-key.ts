import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

/** Each merchant calls with its own API key; a method without one would be open to the internet. */
export const apigatewayMethodApiKey = resourcePolicy<{ apiKeyRequired?: boolean; httpMethod?: string }>(
  {
    id: 'apigateway-method-api-key',
    displayName: 'API Gateway methods require an API key',
    description:
      'Every API Gateway method must set apiKeyRequired to true. The API key identifies the merchant and ties the request to its usage plan; a method without it can be called by anyone.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['7.2.1', '8.2.1'] },
    remediationSteps:
      'Set `apiKeyRequired: true` on the aws.apigateway.Method and attach the API stage to a usage plan with one API key per merchant.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html',
  },
  ['aws:apigateway/method:Method'],
  ({ props, report }) => {
    if (props.apiKeyRequired !== true) {
      report(
        `apiKeyRequired should be true on ${props.httpMethod ?? 'the'} method; found ${describe(props.apiKeyRequired)}.`,
      );
    }
  },
);
