import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

export const dynamodbOnDemand = resourcePolicy<{ billingMode?: string }>(
  {
    id: 'dynamodb-on-demand',
    displayName: 'DynamoDB tables use on-demand capacity',
    description:
      'Every DynamoDB table must use billingMode PAY_PER_REQUEST. On-demand capacity absorbs a burst of uploaded rows without throttled, lost writes and without capacity planning.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['2.2.1'], fsbp: ['DynamoDB.1'] },
    remediationSteps:
      "Set `billingMode: 'PAY_PER_REQUEST'` on the aws.dynamodb.Table and remove read/write capacity.",
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html',
  },
  ['aws:dynamodb/table:Table'],
  ({ props, report }) => {
    if (props.billingMode !== 'PAY_PER_REQUEST') {
      report(`billingMode should be "PAY_PER_REQUEST"; found ${describe(props.billingMode)}.`);
    }
  },
);
