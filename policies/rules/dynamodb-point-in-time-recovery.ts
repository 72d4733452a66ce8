import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

export const dynamodbPointInTimeRecovery = resourcePolicy<{ pointInTimeRecovery?: { enabled?: boolean } }>(
  {
    id: 'dynamodb-point-in-time-recovery',
    displayName: 'DynamoDB tables have point-in-time recovery',
    description:
      'Every DynamoDB table must enable point-in-time recovery. The table is the audit trail of every transaction, and recovery to any second of the last 35 days protects it from faulty writes and deletion.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['10.3.3', '12.10.1'], fsbp: ['DynamoDB.2'] },
    remediationSteps: 'Set `pointInTimeRecovery: { enabled: true }` on the aws.dynamodb.Table.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html',
  },
  ['aws:dynamodb/table:Table'],
  ({ props, report }) => {
    const enabled = props.pointInTimeRecovery?.enabled;
    if (enabled !== true) report(`pointInTimeRecovery.enabled should be true; found ${describe(enabled)}.`);
  },
);
