import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

const SETTINGS = [
  'blockPublicAcls',
  'blockPublicPolicy',
  'ignorePublicAcls',
  'restrictPublicBuckets',
] as const;

export const s3PublicAccessBlock = resourcePolicy<Partial<Record<(typeof SETTINGS)[number], boolean>>>(
  {
    id: 's3-public-access-block',
    displayName: 'S3 buckets block all public access',
    description:
      'Every S3 bucket public access block must set all four settings (blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets) to true. Uploaded files contain card data and must never become public through an ACL or a policy.',
    enforcementLevel: 'mandatory',
    severity: 'critical',
    controls: { pciDss: ['1.3.1', '7.2.1'], fsbp: ['S3.8'], cis: ['2.1.4'] },
    remediationSteps:
      'Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true on the aws.s3.BucketPublicAccessBlock.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
  },
  ['aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock'],
  ({ props, report }) => {
    for (const setting of SETTINGS) {
      if (props[setting] !== true) report(`${setting} should be true; found ${describe(props[setting])}.`);
    }
  },
);
