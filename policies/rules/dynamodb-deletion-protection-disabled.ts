import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

/**
 * "No retain": the stack must be destroyable by `pulumi destroy`. This deliberately departs from
 * FSBP DynamoDB.6; point-in-time recovery and the versioned bucket protect the data instead.
 */
export const dynamodbDeletionProtectionDisabled = resourcePolicy<{ deletionProtectionEnabled?: boolean }>(
  {
    id: 'dynamodb-deletion-protection-disabled',
    displayName: 'DynamoDB tables can be destroyed with the stack',
    description:
      'No DynamoDB table may enable deletion protection. Every environment must be destroyable by pulumi destroy; the data is protected by point-in-time recovery instead.',
    enforcementLevel: 'mandatory',
    severity: 'low',
    controls: { pciDss: ['3.2.1'] },
    remediationSteps: 'Remove `deletionProtectionEnabled` from the aws.dynamodb.Table or set it to false.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection',
  },
  ['aws:dynamodb/table:Table'],
  ({ props, report }) => {
    if (props.deletionProtectionEnabled === true) {
      report(
        `deletionProtectionEnabled should be false or unset; found ${describe(props.deletionProtectionEnabled)}.`,
      );
    }
  },
);
