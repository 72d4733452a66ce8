/** Mutations breaking no retain, Lambda and DynamoDB settings. */
import type { Case } from './case';
import {
  anomalyFunction,
  cardHashSecret,
  transactionsTable,
  uploadsBucket,
  validatorFunction,
} from '../selectors';

export const RETAIN_AND_COMPUTE_CASES: Case[] = [
  {
    policy: 'no-protected-resources',
    breaks: 'protect: true',
    target: transactionsTable,
    mutate: (_p, r) => {
      r.protect = true;
    },
    expected: 'the protect option should be false; found true.',
  },
  {
    policy: 's3-bucket-force-destroy',
    breaks: 'forceDestroy false',
    target: uploadsBucket,
    mutate: (p) => {
      p.forceDestroy = false;
    },
    expected: 'forceDestroy should be true; found false.',
  },
  {
    policy: 'dynamodb-deletion-protection-disabled',
    breaks: 'deletion protection',
    target: transactionsTable,
    mutate: (p) => {
      p.deletionProtectionEnabled = true;
    },
    expected: 'deletionProtectionEnabled should be false or unset; found true.',
  },
  {
    policy: 'secret-immediate-deletion',
    breaks: 'the default 30-day window',
    target: cardHashSecret,
    mutate: (p) => {
      delete p.recoveryWindowInDays;
    },
    expected: 'recoveryWindowInDays should be 0; found not set.',
  },
  {
    policy: 'lambda-memory-size',
    breaks: 'the 128 MB default',
    target: validatorFunction,
    mutate: (p) => {
      delete p.memorySize;
    },
    expected: 'memorySize should be 512 MB; found not set.',
  },
  {
    policy: 'lambda-supported-runtime',
    breaks: 'a deprecated runtime',
    target: anomalyFunction,
    mutate: (p) => {
      p.runtime = 'python3.9';
    },
    expected: 'runtime should be one of nodejs24.x, nodejs22.x; found "python3.9".',
  },
  {
    policy: 'lambda-supported-runtime',
    breaks: 'a container image',
    target: anomalyFunction,
    mutate: (p) => {
      p.packageType = 'Image';
    },
    expected: 'packageType should be "Zip"',
  },
  {
    policy: 'dynamodb-on-demand',
    breaks: 'provisioned capacity',
    target: transactionsTable,
    mutate: (p) => {
      p.billingMode = 'PROVISIONED';
    },
    expected: 'billingMode should be "PAY_PER_REQUEST"; found "PROVISIONED".',
  },
  {
    policy: 'dynamodb-on-demand',
    breaks: 'no warm throughput chosen',
    target: transactionsTable,
    mutate: (p) => {
      delete p.warmThroughput;
    },
    expected: 'warmThroughput.writeUnitsPerSecond should be at least 4000; found not set.',
  },
  {
    policy: 'dynamodb-on-demand',
    breaks: 'a warm read rate below what a new table gets',
    target: transactionsTable,
    mutate: (p) => {
      p.warmThroughput = { writeUnitsPerSecond: 16000, readUnitsPerSecond: 100 };
    },
    expected: 'warmThroughput.readUnitsPerSecond should be at least 12000; found 100.',
  },
  {
    policy: 'dynamodb-stream-new-and-old-images',
    breaks: 'NEW_IMAGE only',
    target: transactionsTable,
    mutate: (p) => {
      p.streamViewType = 'NEW_IMAGE';
    },
    expected: 'streamViewType should be "NEW_AND_OLD_IMAGES"; found "NEW_IMAGE".',
  },
  {
    policy: 'dynamodb-stream-new-and-old-images',
    breaks: 'no stream',
    target: transactionsTable,
    mutate: (p) => {
      delete p.streamEnabled;
    },
    expected: 'streamEnabled should be true; found not set.',
  },
  {
    policy: 'dynamodb-point-in-time-recovery',
    breaks: 'no PITR',
    target: transactionsTable,
    mutate: (p) => {
      p.pointInTimeRecovery = { enabled: false };
    },
    expected: 'pointInTimeRecovery.enabled should be true; found false.',
  },
  {
    policy: 'dynamodb-encryption',
    breaks: 'SSE with the AWS-owned key only',
    target: transactionsTable,
    mutate: (p) => {
      delete p.serverSideEncryption;
    },
    expected: 'serverSideEncryption.enabled should be true; found not set.',
  },
  {
    policy: 'dynamodb-stream-new-and-old-images',
    breaks: 'a TTL switched off on a table without a stream (it then holds kept data)',
    target: transactionsTable,
    mutate: (p) => {
      delete p.streamEnabled;
      p.ttl = { attributeName: 'expires_at', enabled: false };
    },
    expected: 'streamEnabled should be true; found not set.',
  },
];
