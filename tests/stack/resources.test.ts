import { synthesize, SynthResult } from '../../gate/synth/synthesize';
import { byName, input, ofType, oneOfType } from './helpers';

let stack: SynthResult;
beforeAll(async () => {
  stack = await synthesize({ stack: 'dev' });
});

/** The one resource of `type` for the uploads bucket (the access-log bucket has its own). */
function ofUploads(type: string) {
  const found = ofType(stack, type).filter((r) => r.inputs.bucket === 's3-uploads-dev');
  if (found.length !== 1) throw new Error(`expected one ${type} of s3-uploads-dev, found ${found.length}`);
  return found[0];
}

describe('the upload bucket', () => {
  it('is named by convention, destroyable and tagged', () => {
    const bucket = ofUploads('aws:s3/bucket:Bucket');
    expect(input(bucket, 'bucket')).toBe('s3-uploads-dev');
    expect(input(bucket, 'forceDestroy')).toBe(true);
  });

  it('is versioned, encrypted and blocks every kind of public access', () => {
    expect(input(ofUploads('aws:s3/bucketVersioning:BucketVersioning'), 'versioningConfiguration')).toEqual({
      status: 'Enabled',
    });
    const sse = ofUploads(
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    );
    expect(input(sse, 'rules')).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]);
    const pab = ofUploads('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    for (const key of ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']) {
      expect(input(pab, key)).toBe(true);
    }
  });

  it('expires every object and noncurrent version after 90 days and aborts incomplete uploads', () => {
    const lifecycle = ofUploads('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    const rules = input<Record<string, unknown>[]>(lifecycle, 'rules');
    expect(rules).toEqual([
      {
        id: 'expire-after-90-days',
        status: 'Enabled',
        filter: {}, // the whole bucket: uploads and reports alike
        expiration: { days: 90 },
        noncurrentVersionExpiration: { noncurrentDays: 90 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
    expect(lifecycle.dependencies).toContain(ofUploads('aws:s3/bucketVersioning:BucketVersioning').urn);
  });

  it('denies every request that does not use TLS, once public access is blocked', () => {
    const bucketPolicy = ofUploads('aws:s3/bucketPolicy:BucketPolicy');
    expect(bucketPolicy.dependencies).toContain(
      ofUploads('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').urn,
    );
    const policy = JSON.parse(input<string>(bucketPolicy, 'policy'));
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::s3-uploads-dev', 'arn:aws:s3:::s3-uploads-dev/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
  });

  it('notifies the validator only for .csv objects under uploads/, after S3 may invoke it', () => {
    const notification = ofUploads('aws:s3/bucketNotification:BucketNotification');
    expect(input(notification, 'lambdaFunctions')).toEqual([
      {
        lambdaFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lambda-validator-dev',
        events: ['s3:ObjectCreated:*'],
        filterPrefix: 'uploads/',
        filterSuffix: '.csv',
      },
    ]);
    const permission = byName(ofType(stack, 'aws:lambda/permission:Permission'), 'uploads-invoke-validator');
    expect(permission.inputs).toMatchObject({
      principal: 's3.amazonaws.com',
      function: 'lambda-validator-dev',
      sourceArn: 'arn:aws:s3:::s3-uploads-dev',
      sourceAccount: '123456789012',
    });
    expect(notification.dependencies).toContain(permission.urn);
  });
});

describe('the tables', () => {
  it('the transactions table keys on transaction_id and timestamp, on demand, with a NEW_AND_OLD_IMAGES stream, PITR and SSE', () => {
    const table = byName(ofType(stack, 'aws:dynamodb/table:Table'), 'transactions-table');
    expect(table.inputs).toMatchObject({
      name: 'dynamodb-transactions-dev',
      hashKey: 'transaction_id',
      rangeKey: 'timestamp',
      billingMode: 'PAY_PER_REQUEST',
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: false,
    });
    expect(input(table, 'attributes')).toEqual([
      { name: 'transaction_id', type: 'S' },
      { name: 'timestamp', type: 'S' },
    ]);
  });

  it('the detector state table keys on pk, on demand, expires items by TTL, encrypted, PITR, no stream', () => {
    const table = byName(ofType(stack, 'aws:dynamodb/table:Table'), 'detector-state-table');
    expect(table.inputs).toMatchObject({
      name: 'dynamodb-detector-state-dev',
      hashKey: 'pk',
      billingMode: 'PAY_PER_REQUEST',
      ttl: { attributeName: 'expires_at', enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: false,
    });
    expect(table.inputs.streamEnabled).toBeUndefined();
    expect(input(table, 'attributes')).toEqual([{ name: 'pk', type: 'S' }]);
  });
});

describe('alerts and the card-number key', () => {
  it('encrypts the alerts topic with the AWS-managed key and subscribes the alert e-mail', () => {
    const topic = byName(ofType(stack, 'aws:sns/topic:Topic'), 'alerts-topic');
    expect(topic.inputs).toMatchObject({ name: 'sns-alerts-dev', kmsMasterKeyId: 'alias/aws/sns' });
    expect(
      byName(ofType(stack, 'aws:sns/topicSubscription:TopicSubscription'), 'alerts-email').inputs,
    ).toMatchObject({
      protocol: 'email',
      endpoint: 'alerts@example.com',
      topic: 'arn:aws:sns:us-east-1:123456789012:sns-alerts-dev',
    });
  });

  it('keeps the HMAC key in a secret deletable at once, its value generated once and kept in state', () => {
    expect(oneOfType(stack, 'aws:secretsmanager/secret:Secret').inputs).toMatchObject({
      name: 'secret-card-hash-key-dev',
      recoveryWindowInDays: 0,
    });
    expect(oneOfType(stack, 'random:index/randomPassword:RandomPassword').inputs).toMatchObject({
      length: 64,
      special: false,
    });
    expect(input(oneOfType(stack, 'aws:secretsmanager/secretVersion:SecretVersion'), 'secretString')).toBe(
      'mock-random-password',
    );
  });
});

describe('stack outputs', () => {
  it('give the API URL, bucket, table, topic and one API key per merchant', () => {
    expect(stack.outputs).toEqual({
      apiUrl: 'https://apigw-merchant-dev-id.execute-api.us-east-1.amazonaws.com/v1',
      bucketName: 's3-uploads-dev',
      tableName: 'dynamodb-transactions-dev',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:sns-alerts-dev',
      apiKeyIds: { 'merchant-a': 'apikey-merchant-a-dev-id', 'merchant-b': 'apikey-merchant-b-dev-id' },
      apiKeys: {
        'merchant-a': 'mock-key-value-apikey-merchant-a-dev',
        'merchant-b': 'mock-key-value-apikey-merchant-b-dev',
      },
    });
  });

  it('mark the API key values as secret, and only them', () => {
    const secretSig = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' };
    expect(stack.rawOutputs.apiKeys).toMatchObject(secretSig);
    expect(stack.rawOutputs.apiKeyIds).not.toMatchObject(secretSig);
  });
});
