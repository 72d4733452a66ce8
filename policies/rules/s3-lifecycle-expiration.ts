import { stackPolicy } from '../lib/define';
import { auditLogBuckets, BUCKET_TYPES, designates, LIFECYCLE_TYPE } from '../lib/s3-buckets';
import { asArray, describe } from '../lib/values';

interface Rule {
  id?: string;
  status?: string;
  prefix?: string;
  filter?: {
    prefix?: string;
    tag?: unknown;
    and?: unknown;
    objectSizeGreaterThan?: number;
    objectSizeLessThan?: number;
  };
  expiration?: { days?: number };
  noncurrentVersionExpiration?: { noncurrentDays?: number };
}

interface Config {
  maxExpirationDays: number;
}

/** A rule covers the whole bucket when nothing narrows it (no prefix, tag or size filter). */
function coversWholeBucket(rule: Rule): boolean {
  const f = rule.filter;
  const narrowed = !!rule.prefix || !!f?.prefix || f?.tag !== undefined || f?.and !== undefined;
  return !narrowed && f?.objectSizeGreaterThan === undefined && f?.objectSizeLessThan === undefined;
}

const within = (days: number | undefined, max: number) => typeof days === 'number' && days > 0 && days <= max;

/**
 * A stack policy, not a resource policy, because a lifecycle configuration does not say what its
 * bucket is for: the buckets that receive server access logs (the audit trail, PCI DSS 10.5.1) must
 * keep them 12 months and are checked by s3-access-logging instead; every other bucket holds data.
 */
export const s3LifecycleExpiration = stackPolicy<Config>(
  {
    id: 's3-lifecycle-expiration',
    displayName: 'S3 objects and their old versions expire',
    description:
      'Every S3 bucket lifecycle configuration must have an enabled rule covering the whole bucket that expires current objects and noncurrent versions within the configured number of days (default 90). Uploaded files contain full card numbers, so they must not be kept longer than needed. Buckets that only receive server access logs are the audit trail and are checked by s3-access-logging instead (at least 365 days).',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['3.2.1'], fsbp: ['S3.13', 'S3.10'] },
    remediationSteps:
      "Add a rule to the aws.s3.BucketLifecycleConfiguration with `status: 'Enabled'`, no filter, `expiration: { days: 90 }` and `noncurrentVersionExpiration: { noncurrentDays: 90 }`.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html',
    config: { maxExpirationDays: { type: 'integer', minimum: 1, default: 90 } },
  },
  ({ resources, config, report }) => {
    const max = config.maxExpirationDays;
    const auditStores = auditLogBuckets(resources);
    const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
    for (const lifecycle of resources.filter((r) => r.type === LIFECYCLE_TYPE)) {
      const bucket = buckets.find((b) => designates(lifecycle, 'bucket', b));
      if (bucket && auditStores.includes(bucket)) continue;
      const rules = asArray<Rule>(lifecycle.props.rules).filter(
        (r) => r.status === 'Enabled' && coversWholeBucket(r),
      );
      if (!rules.some((r) => within(r.expiration?.days, max))) {
        const found = rules.map((r) => r.expiration?.days);
        report(
          `an enabled whole-bucket rule should expire objects within ${max} days; found expiration days ${describe(found)}.`,
          lifecycle.urn,
        );
      }
      if (!rules.some((r) => within(r.noncurrentVersionExpiration?.noncurrentDays, max))) {
        const found = rules.map((r) => r.noncurrentVersionExpiration?.noncurrentDays);
        report(
          `an enabled whole-bucket rule should expire noncurrent versions within ${max} days; found noncurrentDays ${describe(found)}.`,
          lifecycle.urn,
        );
      }
    }
  },
);
