/** Mutations breaking the uploads bucket. */
import { statements, type Case, type Props } from './case';

export const STORAGE_CASES: Case[] = [
  {
    policy: 's3-versioning-enabled',
    breaks: 'suspended versioning',
    resource: 's3-uploads-versioning',
    mutate: (p) => {
      p.versioningConfiguration = { status: 'Suspended' };
    },
    expected: 'versioningConfiguration.status should be "Enabled"; found "Suspended".',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'a 365-day expiration',
    resource: 's3-uploads-lifecycle',
    mutate: (p) => {
      (p.rules as Props[])[0].expiration = { days: 365 };
    },
    expected: 'should expire objects within 90 days; found expiration days [365].',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'no noncurrent expiration',
    resource: 's3-uploads-lifecycle',
    mutate: (p) => {
      delete (p.rules as Props[])[0].noncurrentVersionExpiration;
    },
    expected: 'should expire noncurrent versions within 90 days',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'a rule limited to a prefix',
    resource: 's3-uploads-lifecycle',
    mutate: (p) => {
      (p.rules as Props[])[0].filter = { prefix: 'reports/' };
    },
    expected: 'should expire objects within 90 days; found expiration days [].',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'a disabled rule',
    resource: 's3-uploads-lifecycle',
    mutate: (p) => {
      (p.rules as Props[])[0].status = 'Disabled';
    },
    expected: 'found expiration days [].',
  },
  {
    policy: 's3-public-access-block',
    breaks: 'public policies allowed',
    resource: 's3-uploads-pab',
    mutate: (p) => {
      p.blockPublicPolicy = false;
    },
    expected: 'blockPublicPolicy should be true; found false.',
  },
  {
    policy: 's3-public-access-block',
    breaks: 'an unset setting',
    resource: 's3-uploads-pab',
    mutate: (p) => {
      delete p.restrictPublicBuckets;
    },
    expected: 'restrictPublicBuckets should be true; found not set.',
  },
  {
    policy: 's3-encryption',
    breaks: 'no default algorithm',
    resource: 's3-uploads-sse',
    mutate: (p) => {
      p.rules = [{ bucketKeyEnabled: true }];
    },
    expected: 'a rule should apply sseAlgorithm AES256 or aws:kms or aws:kms:dsse by default; found [null].',
  },
  {
    policy: 's3-tls-only',
    breaks: 'a policy without the TLS deny',
    resource: 's3-uploads-tls-only',
    mutate: (p) => {
      p.policy = JSON.stringify({
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:DeleteBucket',
            Resource: 'arn:aws:s3:::s3-uploads-dev',
          },
        ],
      });
    },
    expected:
      'the bucket policy should deny s3:* to "*" on the bucket and its objects when aws:SecureTransport is "false"; found no such statement.',
  },
  {
    policy: 's3-tls-only',
    breaks: 'a TLS deny that misses the objects',
    resource: 's3-uploads-tls-only',
    mutate: (p) => {
      const d = statements(p);
      d.Statement[0].Resource = ['arn:aws:s3:::s3-uploads-dev'];
      p.policy = JSON.stringify(d);
    },
    expected: 'found no such statement.',
  },
  {
    policy: 's3-bucket-protections-present',
    breaks: 'a bucket without versioning',
    resource: 's3-uploads-versioning',
    mutate: (_p, r) => {
      r.type = 'aws:s3/bucketAccelerateConfiguration:BucketAccelerateConfiguration';
    },
    expected: 'bucket s3-uploads should have an aws.s3.BucketVersioning (s3-versioning-enabled); found none.',
  },
  {
    policy: 's3-bucket-protections-present',
    breaks: 'a TLS policy on another bucket',
    resource: 's3-uploads-tls-only',
    mutate: (p, r) => {
      p.bucket = 'some-other-bucket';
      r.propertyDependencies = {};
      r.dependencies = [];
    },
    expected: 'bucket s3-uploads should have an aws.s3.BucketPolicy (s3-tls-only); found none.',
  },
  {
    policy: 's3-notification-filter',
    breaks: 'a missing suffix filter',
    resource: 's3-uploads-notification',
    mutate: (p) => {
      delete (p.lambdaFunctions as Props[])[0].filterSuffix;
    },
    expected: 'lambdaFunctions[0].filterSuffix should be ".csv"; found not set.',
  },
  {
    policy: 's3-notification-filter',
    breaks: 'the reports prefix',
    resource: 's3-uploads-notification',
    mutate: (p) => {
      (p.lambdaFunctions as Props[])[0].filterPrefix = 'reports/';
    },
    expected: 'lambdaFunctions[0].filterPrefix should be "uploads/"; found "reports/".',
  },
  {
    policy: 's3-notification-filter',
    breaks: 'removal events',
    resource: 's3-uploads-notification',
    mutate: (p) => {
      (p.lambdaFunctions as Props[])[0].events = ['s3:ObjectRemoved:*'];
    },
    expected:
      'lambdaFunctions[0].events should only be s3:ObjectCreated events; found ["s3:ObjectRemoved:*"].',
  },
];
