import { resourcePolicy } from '../lib/define';
import { asArray, describe } from '../lib/values';

interface Rule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string };
}

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

export const s3Encryption = resourcePolicy<{ rules?: Rule[] }>(
  {
    id: 's3-encryption',
    displayName: 'S3 buckets encrypt objects by default',
    description:
      'Every S3 bucket server-side encryption configuration must apply AES256 or aws:kms by default. Uploaded files contain full card numbers, which must be unreadable wherever they are stored.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['3.5.1'] },
    remediationSteps:
      "Set `rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]` on the aws.s3.BucketServerSideEncryptionConfiguration.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html',
  },
  ['aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration'],
  ({ props, report }) => {
    const algorithms = asArray<Rule>(props.rules).map(
      (r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm,
    );
    if (!algorithms.some((a) => a !== undefined && ALGORITHMS.includes(a))) {
      report(
        `a rule should apply sseAlgorithm ${ALGORITHMS.join(' or ')} by default; found ${describe(algorithms)}.`,
      );
    }
  },
);
