/** Mutations breaking the access trail of the uploads bucket (and the line between data and logs). */
import { each, type Case } from './case';
import { accessLogsBucket, accessLogsLifecycle, uploadsAccessLogging, uploadsBucket } from '../selectors';

export const ACCESS_TRAIL_CASES: Case[] = [
  {
    policy: 's3-access-logging',
    breaks: 'no access logging',
    target: uploadsAccessLogging,
    mutate: () => false,
    expected:
      /^bucket \S+ should write server access logs \(an aws\.s3\.BucketLogging\) to a log bucket of this stack; found none\.$/,
    // The log bucket then receives nothing: it is a data bucket, unlogged, too.
    at: [uploadsBucket, accessLogsBucket],
  },
  {
    policy: 's3-access-logging',
    breaks: 'logs kept 90 days',
    target: accessLogsLifecycle,
    mutate: (p) => each(p, 'rules', (rule) => (rule.expiration = { days: 90 })),
    expected:
      'should keep objects and noncurrent versions at least 365 days; found a rule expiring them after 90.',
  },
  {
    policy: 's3-access-logging',
    breaks: 'deleted logs purged after 30 days',
    target: accessLogsLifecycle,
    mutate: (p) => each(p, 'rules', (rule) => (rule.noncurrentVersionExpiration = { noncurrentDays: 30 })),
    expected: 'found a rule expiring them after 30.',
  },
  {
    policy: 's3-access-logging',
    breaks: 'a narrower rule expiring part of the logs early',
    target: accessLogsLifecycle,
    mutate: (p) => {
      (p.rules as unknown[]).push({
        id: 'short',
        status: 'Enabled',
        filter: { prefix: 's3-uploads-dev/' },
        expiration: { days: 7 },
      });
    },
    expected: 'found a rule expiring them after 7.',
  },
  {
    policy: 's3-access-logging',
    breaks: 'logs written into the bucket itself',
    target: uploadsAccessLogging,
    mutate: (p) => {
      p.targetBucket = p.bucket;
    },
    expected: 'targetBucket should be a separate log bucket of this stack; found the bucket itself.',
    at: [uploadsAccessLogging, accessLogsBucket],
  },
  {
    policy: 's3-access-logging',
    breaks: 'logs sent to a bucket outside the stack',
    target: uploadsAccessLogging,
    mutate: (p) => {
      p.targetBucket = 'someone-elses-bucket';
    },
    expected: 'targetBucket should be a separate log bucket of this stack; found "someone-elses-bucket".',
    at: [uploadsAccessLogging, accessLogsBucket],
  },
  {
    policy: 's3-lifecycle-expiration',
    breaks: 'a log bucket that receives no logs any more (it is data again, held to 90 days)',
    target: uploadsAccessLogging,
    mutate: () => false,
    expected:
      'an enabled whole-bucket rule should expire objects within 90 days; found expiration days [366].',
    at: [accessLogsLifecycle],
  },
];
