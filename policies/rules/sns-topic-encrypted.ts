import { resourcePolicy } from '../lib/define';
import { peek } from '../lib/unknown';

/** Alerts describe suspicious activity; they are encrypted at rest with KMS. */
export const snsTopicEncrypted = resourcePolicy<{ kmsMasterKeyId?: string }>(
  {
    id: 'sns-topic-encrypted',
    displayName: 'SNS topics are encrypted with KMS',
    description:
      'Every SNS topic must set kmsMasterKeyId (for example alias/aws/sns). Alert messages describe suspicious merchant activity and are stored encrypted until delivered.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['10.3.2'], fsbp: ['SNS.1'] },
    remediationSteps:
      "Set `kmsMasterKeyId: 'alias/aws/sns'` (or a customer managed key) on the aws.sns.Topic.",
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
  },
  ['aws:sns/topic:Topic'],
  ({ props, report }) => {
    // A key ARN from a key created in the same stack is unknown at preview: set is enough (and
    // reading it would trip the unknown-checking proxy, downgrading the policy at every first preview).
    const key = peek(props, 'kmsMasterKeyId').state;
    if (key === 'absent' || (key === 'known' && props.kmsMasterKeyId === '')) {
      report('kmsMasterKeyId should name a KMS key (e.g. alias/aws/sns); found it not set.');
    }
  },
);
