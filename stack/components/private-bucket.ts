import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { tagsFor } from '../tags';

/** A bucket and the protections every bucket of the stack has; its component adds the rest. */
export interface PrivateBucket {
  readonly bucket: aws.s3.Bucket;
  readonly versioning: aws.s3.BucketVersioning;
  readonly publicAccess: aws.s3.BucketPublicAccessBlock;
}

/**
 * A destroyable bucket, versioned, with SSE-S3 by default (the only encryption S3 delivers access
 * logs to) and every public access blocked. Children of `parent`, named `<name>-bucket`,
 * `-versioning`, `-encryption` and `-public-access`, so components keep their resources' URNs.
 */
export function privateBucket(name: string, bucketName: string, parent: pulumi.Resource): PrivateBucket {
  const child = { parent };
  const bucket = new aws.s3.Bucket(
    `${name}-bucket`,
    { bucket: bucketName, forceDestroy: true, tags: tagsFor(bucketName) },
    child,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.bucket, versioningConfiguration: { status: 'Enabled' } },
    child,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    { bucket: bucket.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    child,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    child,
  );
  return { bucket, versioning, publicAccess };
}

/** The statement every bucket policy here starts with: no request over plain HTTP (PCI DSS 4.2.1). */
export function denyInsecureTransport(bucketArn: string) {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * Expires every object, and every noncurrent version, `days` after it was written or replaced, and
 * abandoned multipart uploads after 7 days. Named `<name>-lifecycle`, after the bucket's versioning:
 * noncurrent-version rules apply once versioning is on, and AWS asks to order them this way.
 */
export function expiryLifecycle(
  name: string,
  parent: pulumi.Resource,
  bucket: PrivateBucket,
  rule: { readonly id: string; readonly days: number },
): aws.s3.BucketLifecycleConfiguration {
  return new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: bucket.bucket.bucket,
      rules: [
        {
          id: rule.id,
          status: 'Enabled',
          filter: {},
          expiration: { days: rule.days },
          noncurrentVersionExpiration: { noncurrentDays: rule.days },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    { parent, dependsOn: [bucket.versioning] },
  );
}
