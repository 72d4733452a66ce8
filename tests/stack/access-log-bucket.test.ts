import { synthesize, SynthResult } from '../../gate/synth/synthesize';
import { input, ofType, oneOfType } from './helpers';

let stack: SynthResult;
beforeAll(async () => {
  stack = await synthesize({ stack: 'dev' });
});

const LOGS = 's3-access-logs-dev';
/** The one resource of `type` for the access-log bucket. */
function ofLogs(type: string) {
  const found = ofType(stack, type).filter((r) => r.inputs.bucket === LOGS);
  if (found.length !== 1) throw new Error(`expected one ${type} of ${LOGS}, found ${found.length}`);
  return found[0];
}

describe('the access trail of the uploads bucket', () => {
  it('records every request on the uploads bucket into the log bucket, partitioned by event date', () => {
    expect(oneOfType(stack, 'aws:s3/bucketLogging:BucketLogging').inputs).toEqual({
      bucket: 's3-uploads-dev',
      targetBucket: LOGS,
      targetPrefix: 's3-uploads-dev/',
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
    });
  });

  it('keeps logs and their noncurrent versions 366 days (12 months, leap years included)', () => {
    expect(
      input(ofLogs('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration'), 'rules'),
    ).toEqual([
      {
        id: 'keep-366-days',
        status: 'Enabled',
        filter: {},
        expiration: { days: 366 },
        noncurrentVersionExpiration: { noncurrentDays: 366 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
  });

  it('is a dedicated bucket: destroyable, versioned, SSE-S3 (the only encryption log delivery accepts), private', () => {
    const bucket = ofType(stack, 'aws:s3/bucket:Bucket').find((b) => b.inputs.bucket === LOGS);
    expect(bucket?.inputs).toMatchObject({
      forceDestroy: true,
      tags: expect.objectContaining({ Name: LOGS }),
    });
    expect(input(ofLogs('aws:s3/bucketVersioning:BucketVersioning'), 'versioningConfiguration')).toEqual({
      status: 'Enabled',
    });
    expect(
      input(
        ofLogs('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration'),
        'rules',
      ),
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]);
    const pab = ofLogs('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    for (const key of ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'])
      expect(input(pab, key)).toBe(true);
  });

  it('denies requests without TLS and lets only S3 logging, from the uploads bucket of this account, write logs', () => {
    const policy = JSON.parse(input<string>(ofLogs('aws:s3/bucketPolicy:BucketPolicy'), 'policy'));
    expect(policy.Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${LOGS}`, `arn:aws:s3:::${LOGS}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'S3ServerAccessLogsFromSource',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${LOGS}/s3-uploads-dev/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::s3-uploads-dev' },
          StringEquals: { 'aws:SourceAccount': '123456789012' },
        },
      },
    ]);
  });

  it('turns logging on only once the log bucket lets S3 write to it', () => {
    const logging = oneOfType(stack, 'aws:s3/bucketLogging:BucketLogging');
    expect(logging.dependencies).toContain(ofLogs('aws:s3/bucketPolicy:BucketPolicy').urn);
  });
});

describe('application logs', () => {
  it('stay at 7 days: the trail is the access logs, not the function logs', () => {
    for (const group of ofType(stack, 'aws:cloudwatch/logGroup:LogGroup'))
      expect(input(group, 'retentionInDays')).toBe(7);
  });
});
