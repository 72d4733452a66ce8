import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

export const s3VersioningEnabled = resourcePolicy<{ versioningConfiguration?: { status?: string } }>(
  {
    id: 's3-versioning-enabled',
    displayName: 'S3 buckets keep object versions',
    description:
      "Every S3 bucket versioning configuration must set status Enabled. A merchant's re-upload or an accidental delete must never destroy the file that was processed; versions are the file's history.",
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['10.3.3', '10.3.4'], fsbp: ['S3.14'] },
    remediationSteps:
      "Set `versioningConfiguration: { status: 'Enabled' }` on the aws.s3.BucketVersioning of the bucket.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
  },
  ['aws:s3/bucketVersioning:BucketVersioning'],
  ({ props, report }) => {
    const status = props.versioningConfiguration?.status;
    if (status !== 'Enabled')
      report(`versioningConfiguration.status should be "Enabled"; found ${describe(status)}.`);
  },
);
