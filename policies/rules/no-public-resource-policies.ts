import { resourcePolicy } from '../lib/define';
import { isPublicAllow, parsePolicyDocument, statementLabel } from '../lib/iam-document';
import { peek } from '../lib/unknown';
import type { Props } from '../lib/values';

/** Resource types whose `policy` input is a resource-based policy. */
const TYPES = [
  'aws:s3/bucketPolicy:BucketPolicy',
  'aws:sns/topicPolicy:TopicPolicy',
  'aws:sns/topic:Topic',
  'aws:sqs/queuePolicy:QueuePolicy',
  'aws:sqs/queue:Queue',
  'aws:secretsmanager/secretPolicy:SecretPolicy',
];

export const noPublicResourcePolicies = resourcePolicy<Props>(
  {
    id: 'no-public-resource-policies',
    displayName: 'No resource policy is public',
    description:
      'No bucket, topic, queue or secret policy may allow "*" (any AWS principal) without a condition that pins the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID and similar). Deny statements, such as the TLS-only rule, are fine.',
    enforcementLevel: 'mandatory',
    severity: 'critical',
    controls: { pciDss: ['1.3.1', '7.2.1'], fsbp: ['S3.2', 'S3.3', 'SNS.4', 'SQS.3'], cis: ['2.1.4'] },
    remediationSteps:
      'Replace the "*" principal with the exact principal (a service or role ARN), or add an aws:SourceArn / aws:SourceAccount condition.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html',
  },
  TYPES,
  ({ props, report, notApplicable }) => {
    if (peek(props, 'policy').state === 'absent') notApplicable('No resource policy is set');
    const parsed = parsePolicyDocument(props.policy);
    if (!parsed.ok) {
      report(`policy should be a valid policy document; found that ${parsed.error}.`);
      return;
    }
    parsed.statements.forEach((s, index) => {
      if (isPublicAllow(s)) {
        report(
          `${statementLabel(s, index)} should not allow "*" without a source condition; found a public Allow.`,
        );
      }
    });
  },
);
