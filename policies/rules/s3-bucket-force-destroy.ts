import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

export const s3BucketForceDestroy = resourcePolicy<{ forceDestroy?: boolean }>(
  {
    id: 's3-bucket-force-destroy',
    displayName: 'S3 buckets can be destroyed with the stack',
    description:
      'Every S3 bucket must set forceDestroy to true. A versioned bucket with objects cannot otherwise be deleted, so pulumi destroy would fail and leave the bucket behind.',
    enforcementLevel: 'mandatory',
    severity: 'low',
    controls: { pciDss: ['3.2.1'] },
    remediationSteps: 'Set `forceDestroy: true` on the aws.s3.Bucket.',
    url: 'https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/#forcedestroy_nodejs',
  },
  ['aws:s3/bucket:Bucket', 'aws:s3/bucketV2:BucketV2'],
  ({ props, report }) => {
    if (props.forceDestroy !== true)
      report(`forceDestroy should be true; found ${describe(props.forceDestroy)}.`);
  },
);
