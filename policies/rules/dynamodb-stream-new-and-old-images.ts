import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

/**
 * The anomaly function compares old and new images to detect tampering with stored rows. A table
 * whose items expire through TTL holds working state by design (the detector's windows), not
 * audited data, so it is the one kind of table this does not apply to.
 */
export const dynamodbStreamImages = resourcePolicy<{
  streamEnabled?: boolean;
  streamViewType?: string;
  ttl?: { enabled?: boolean };
}>(
  {
    id: 'dynamodb-stream-new-and-old-images',
    displayName: 'DynamoDB tables stream new and old images',
    description:
      'Every DynamoDB table that keeps its items (no TTL) must enable its stream with streamViewType NEW_AND_OLD_IMAGES. The anomaly function needs both images of every change to detect modified or deleted transactions. A table whose items expire through TTL holds working state, not audited data.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['10.2.1', '10.3.4'] },
    remediationSteps:
      "Set `streamEnabled: true` and `streamViewType: 'NEW_AND_OLD_IMAGES'` on the aws.dynamodb.Table.",
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html',
  },
  ['aws:dynamodb/table:Table'],
  ({ props, report }) => {
    if (props.ttl?.enabled === true) return;
    if (props.streamEnabled !== true)
      report(`streamEnabled should be true; found ${describe(props.streamEnabled)}.`);
    if (props.streamViewType !== 'NEW_AND_OLD_IMAGES') {
      report(`streamViewType should be "NEW_AND_OLD_IMAGES"; found ${describe(props.streamViewType)}.`);
    }
  },
);
