import type { PolicyResource } from '@pulumi/policy';
import { stackPolicy } from '../lib/define';
import { auditLogBuckets, BUCKET_TYPES, designates, lifecycleOf, LOGGING_TYPES } from '../lib/s3-buckets';
import { knownOrUndefined } from '../lib/unknown';
import { asArray, describe } from '../lib/values';

interface Config {
  minRetentionDays: number;
}

interface Rule {
  status?: string;
  expiration?: { days?: number };
  noncurrentVersionExpiration?: { noncurrentDays?: number };
}

/** Days after which an enabled rule, whatever its filter, deletes log objects or their old versions. */
function shortestExpiry(lifecycle: PolicyResource | undefined): number | undefined {
  const days = asArray<Rule>(lifecycle?.props.rules)
    .filter((r) => r.status === 'Enabled')
    .flatMap((r) => [r.expiration?.days, r.noncurrentVersionExpiration?.noncurrentDays])
    .filter((d): d is number => typeof d === 'number');
  return days.length ? Math.min(...days) : undefined;
}

export const s3AccessLogging = stackPolicy<Config>(
  {
    id: 's3-access-logging',
    displayName: 'Every data bucket has an access trail kept 12 months',
    description:
      'Every S3 bucket that holds data must write server access logs to a separate log bucket of this stack that keeps them at least the configured number of days (default 365). Any enabled lifecycle rule of the log bucket, whatever its filter, must expire neither log objects nor their noncurrent versions earlier. The logs record every read and write of card-data objects, and PCI DSS keeps audit logs 12 months.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['10.2.1', '10.2.1.1', '10.5.1'], fsbp: ['S3.9'] },
    remediationSteps:
      'Declare a log bucket (private, encrypted with SSE-S3, TLS only, a bucket policy letting logging.s3.amazonaws.com put objects from the source bucket), an aws.s3.BucketLogging with `bucket` the data bucket and `targetBucket` the log bucket, and a lifecycle rule on the log bucket expiring objects after 365 days or more.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html',
    config: { minRetentionDays: { type: 'integer', minimum: 1, default: 365 } },
  },
  ({ resources, config, report }) => {
    const min = config.minRetentionDays;
    const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
    const auditStores = auditLogBuckets(resources);
    const loggings = resources.filter((r) => LOGGING_TYPES.includes(r.type));
    for (const bucket of buckets.filter((b) => !auditStores.includes(b))) {
      const logging = loggings.find((l) => designates(l, 'bucket', bucket));
      if (!logging) {
        report(
          `bucket ${bucket.name} should write server access logs (an aws.s3.BucketLogging) to a log bucket of this stack; found none.`,
          bucket.urn,
        );
        continue;
      }
      const target = buckets.find((b) => designates(logging, 'targetBucket', b));
      if (!target || target === bucket) {
        const found = target
          ? 'the bucket itself'
          : describe(knownOrUndefined(logging.props, 'targetBucket'));
        report(`targetBucket should be a separate log bucket of this stack; found ${found}.`, logging.urn);
        continue;
      }
      const lifecycle = lifecycleOf(target, resources);
      const expiry = shortestExpiry(lifecycle);
      if (expiry !== undefined && expiry < min) {
        report(
          `the log bucket ${target.name} should keep objects and noncurrent versions at least ${min} days; found a rule expiring them after ${expiry}.`,
          lifecycle?.urn ?? target.urn,
        );
      }
    }
  },
);
