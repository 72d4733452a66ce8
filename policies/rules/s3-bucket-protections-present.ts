import type { PolicyResource } from '@pulumi/policy';
import { stackPolicy } from '../lib/define';
import { designates } from '../lib/s3-buckets';

const BUCKETS = ['aws:s3/bucket:Bucket', 'aws:s3/bucketV2:BucketV2'];

/** Companion resources every bucket needs; their settings are checked by the resource policies. */
const REQUIRED: Record<string, string> = {
  'aws:s3/bucketVersioning:BucketVersioning': 'aws.s3.BucketVersioning (s3-versioning-enabled)',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration':
    'aws.s3.BucketLifecycleConfiguration (s3-lifecycle-expiration)',
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration':
    'aws.s3.BucketServerSideEncryptionConfiguration (s3-encryption)',
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock':
    'aws.s3.BucketPublicAccessBlock (s3-public-access-block)',
  'aws:s3/bucketPolicy:BucketPolicy': 'aws.s3.BucketPolicy (s3-tls-only)',
};

/** Whether `companion.bucket` designates `bucket` (by value, or by dependency at preview). */
export function belongsTo(companion: PolicyResource, bucket: PolicyResource): boolean {
  return designates(companion, 'bucket', bucket);
}

export const s3BucketProtectionsPresent = stackPolicy(
  {
    id: 's3-bucket-protections-present',
    displayName: 'Every S3 bucket has all of its protections',
    description:
      'Every S3 bucket in the stack must have a versioning configuration, a lifecycle configuration, a default encryption configuration, a public access block and a bucket policy. The resource policies check their settings; this policy makes sure none of them is missing.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: {
      pciDss: ['1.3.1', '3.2.1', '3.5.1', '4.2.1', '10.3.3'],
      fsbp: ['S3.5', 'S3.8', 'S3.13', 'S3.14'],
      cis: ['2.1.1', '2.1.4'],
    },
    remediationSteps:
      'Declare, for the bucket, an aws.s3.BucketVersioning, aws.s3.BucketLifecycleConfiguration, aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketPublicAccessBlock and aws.s3.BucketPolicy with `bucket: bucket.id`.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
  },
  ({ resources, report }) => {
    for (const bucket of resources.filter((r) => BUCKETS.includes(r.type))) {
      for (const [type, label] of Object.entries(REQUIRED)) {
        if (!resources.some((r) => r.type === type && belongsTo(r, bucket))) {
          report(`bucket ${bucket.name} should have an ${label}; found none.`, bucket.urn);
        }
      }
    }
  },
);
