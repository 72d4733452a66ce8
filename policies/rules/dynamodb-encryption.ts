import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

/**
 * DynamoDB always encrypts at rest; `serverSideEncryption.enabled` moves a table from the AWS-owned
 * key to a KMS key (AWS-managed, or a customer-managed `kmsKeyArn`), whose use CloudTrail records.
 */
export const dynamodbEncryption = resourcePolicy<{ serverSideEncryption?: { enabled?: boolean } }>(
  {
    id: 'dynamodb-encryption',
    displayName: 'DynamoDB tables are encrypted with a KMS key',
    description:
      'Every DynamoDB table must enable server-side encryption with a KMS key. Tables hold card hashes, last four digits and the detector state about cards; the use of a KMS key is logged.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['3.5.1'], fsbp: ['DynamoDB.3'] },
    remediationSteps: 'Set `serverSideEncryption: { enabled: true }` on the aws.dynamodb.Table.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html',
  },
  ['aws:dynamodb/table:Table'],
  ({ props, report }) => {
    const enabled = props.serverSideEncryption?.enabled;
    if (enabled !== true) report(`serverSideEncryption.enabled should be true; found ${describe(enabled)}.`);
  },
);
