/**
 * Which bucket a companion resource (lifecycle, logging, policy…) designates, and which buckets of
 * the stack are audit stores: those that receive another bucket's server access logs.
 */
import type { PolicyResource } from '@pulumi/policy';
import { knownOrUndefined } from './unknown';

export const BUCKET_TYPES = ['aws:s3/bucket:Bucket', 'aws:s3/bucketV2:BucketV2'];
export const LOGGING_TYPES = ['aws:s3/bucketLogging:BucketLogging', 'aws:s3/bucketLoggingV2:BucketLoggingV2'];
export const LIFECYCLE_TYPE = 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration';

/**
 * Whether `resource[property]` designates `bucket`: by value when both are known, otherwise by the
 * dependency the engine records for the property (a bucket id is unknown at the first preview).
 */
export function designates(resource: PolicyResource, property: string, bucket: PolicyResource): boolean {
  const target = knownOrUndefined(resource.props, property);
  if (target !== undefined) {
    return (
      target === knownOrUndefined(bucket.props, 'bucket') || target === knownOrUndefined(bucket.props, 'id')
    );
  }
  return (resource.propertyDependencies[property] ?? resource.dependencies).some((d) => d.urn === bucket.urn);
}

/**
 * Buckets that receive server access logs and are not themselves logged: the stack's audit stores.
 * A bucket whose own requests are logged holds data, whatever else it receives, so it can never
 * escape the data buckets' rules by also being a log target.
 */
export function auditLogBuckets(resources: readonly PolicyResource[]): PolicyResource[] {
  const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
  const loggings = resources.filter((r) => LOGGING_TYPES.includes(r.type));
  return buckets.filter(
    (b) =>
      loggings.some((l) => designates(l, 'targetBucket', b)) &&
      !loggings.some((l) => designates(l, 'bucket', b)),
  );
}

/** The lifecycle configuration of `bucket`, if the stack declares one. */
export function lifecycleOf(
  bucket: PolicyResource,
  resources: readonly PolicyResource[],
): PolicyResource | undefined {
  return resources.find((r) => r.type === LIFECYCLE_TYPE && designates(r, 'bucket', bucket));
}
