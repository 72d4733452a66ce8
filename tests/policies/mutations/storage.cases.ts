/** Mutations breaking the uploads bucket. */
import { each, statements, type Case } from './case';
import {
  uploadsBucket,
  uploadsBucketPolicy,
  uploadsEncryption,
  uploadsLifecycle,
  uploadsNotification,
  uploadsPublicAccessBlock,
  uploadsVersioning,
} from '../selectors';

export const STORAGE_CASES: Case[] = [
  {
    policy: 's3-versioning-enabled',
    breaks: 'suspended versioning',
    target: uploadsVersioning,
    mutate: (p) => {
      p.versioningConfiguration = { status: 'Suspended' };
    },
    expected: 'versioningConfiguration.status should be "Enabled"; found "Suspended".',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'a 365-day expiration',
    target: uploadsLifecycle,
    mutate: (p) => {
      each(p, 'rules', (rule) => (rule.expiration = { days: 365 }));
    },
    expected: 'should expire objects within 90 days; found expiration days [365].',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'no noncurrent expiration',
    target: uploadsLifecycle,
    mutate: (p) => {
      each(p, 'rules', (rule) => delete rule.noncurrentVersionExpiration);
    },
    expected: 'should expire noncurrent versions within 90 days',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'a rule limited to a prefix',
    target: uploadsLifecycle,
    mutate: (p) => {
      each(p, 'rules', (rule) => (rule.filter = { prefix: 'reports/' }));
    },
    expected: 'should expire objects within 90 days; found expiration days [].',
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'a disabled rule',
    target: uploadsLifecycle,
    mutate: (p) => {
      each(p, 'rules', (rule) => (rule.status = 'Disabled'));
    },
    expected: 'found expiration days [].',
  },
  {
    policy: 's3-public-access-block',
    breaks: 'public policies allowed',
    target: uploadsPublicAccessBlock,
    mutate: (p) => {
      p.blockPublicPolicy = false;
    },
    expected: 'blockPublicPolicy should be true; found false.',
  },
  {
    policy: 's3-public-access-block',
    breaks: 'an unset setting',
    target: uploadsPublicAccessBlock,
    mutate: (p) => {
      delete p.restrictPublicBuckets;
    },
    expected: 'restrictPublicBuckets should be true; found not set.',
  },
  {
    policy: 's3-encryption',
    breaks: 'no default algorithm',
    target: uploadsEncryption,
    mutate: (p) => {
      p.rules = [{ bucketKeyEnabled: true }];
    },
    expected: 'a rule should apply sseAlgorithm AES256 or aws:kms or aws:kms:dsse by default; found [null].',
  },
  {
    policy: 's3-tls-only',
    breaks: 'a policy without the TLS deny',
    target: uploadsBucketPolicy,
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
    target: uploadsBucketPolicy,
    mutate: (p) => {
      const d = statements(p);
      // Every Deny keeps only its bucket-level ARNs, so no statement still covers the objects.
      for (const s of d.Statement.filter((s) => s.Effect === 'Deny')) {
        s.Resource = [s.Resource].flat().filter((r) => !String(r).endsWith('/*'));
      }
      p.policy = JSON.stringify(d);
    },
    expected: 'found no such statement.',
  },
  {
    policy: 's3-bucket-protections-present',
    breaks: 'a bucket without versioning',
    target: uploadsVersioning,
    mutate: () => false,
    expected: /^bucket \S+ should have an aws\.s3\.BucketVersioning \(s3-versioning-enabled\); found none\.$/,
    at: [uploadsBucket],
  },
  {
    policy: 's3-bucket-protections-present',
    breaks: 'a TLS policy on another bucket',
    target: uploadsBucketPolicy,
    mutate: (p, r) => {
      p.bucket = 'some-other-bucket';
      r.propertyDependencies = {};
      r.dependencies = [];
    },
    expected: /^bucket \S+ should have an aws\.s3\.BucketPolicy \(s3-tls-only\); found none\.$/,
    at: [uploadsBucket],
  },
  {
    policy: 's3-notification-filter',
    breaks: 'a missing suffix filter',
    target: uploadsNotification,
    mutate: (p) => {
      each(p, 'lambdaFunctions', (target) => delete target.filterSuffix);
    },
    expected: 'lambdaFunctions[0].filterSuffix should be ".csv"; found not set.',
  },
  {
    policy: 's3-notification-filter',
    breaks: 'the reports prefix',
    target: uploadsNotification,
    mutate: (p) => {
      each(p, 'lambdaFunctions', (target) => (target.filterPrefix = 'reports/'));
    },
    expected: 'lambdaFunctions[0].filterPrefix should be "uploads/"; found "reports/".',
  },
  {
    policy: 's3-notification-filter',
    breaks: 'removal events',
    target: uploadsNotification,
    mutate: (p) => {
      each(p, 'lambdaFunctions', (target) => (target.events = ['s3:ObjectRemoved:*']));
    },
    expected:
      'lambdaFunctions[0].events should only be s3:ObjectCreated events; found ["s3:ObjectRemoved:*"].',
  },
];
