/**
 * The special cases of the call -> IAM table, on a small stack model (the proof's run exercises
 * only the operations the functions make today; these rows are ready for the next ones).
 */
import type { RecordedCall } from '../../lambda/shared/call-recorder';
import { CallMappingError, iamRequestsOf } from './action-map';
import { lambdaServiceAttempts } from './lambda-service';
import type { StackModel } from './stack-model';

const ACCOUNT = '123456789012';
const table = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`;
const model: StackModel = {
  region: 'us-east-1',
  accountId: ACCOUNT,
  functions: [{ name: 'fn', roleName: 'role-fn', logGroup: '/aws/lambda/fn', tracingActive: false }],
  roles: new Map(),
  tables: new Map([
    ['transactions', table('transactions')],
    ['detector-state', table('detector-state')],
  ]),
  buckets: new Map([['bucket', undefined]]),
  secrets: new Map([
    ['plain', {}],
    ['sealed', { kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k-1` }],
  ]),
  topics: new Map(),
  queues: new Map([['q', { arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` }]]),
  keys: new Map(),
  streamMappings: [],
  asyncFailureDestinations: new Map(),
};
const call = (service: string, operation: string, params: RecordedCall['params']): RecordedCall => ({
  principal: 'fn',
  service,
  operation,
  params,
});
const actions = (c: RecordedCall) => iamRequestsOf(c, model).map((r) => [r.action, r.resource, r.context]);

describe('the call -> IAM table', () => {
  it('reads an object by version with s3:GetObjectVersion, otherwise with s3:GetObject', () => {
    expect(actions(call('S3', 'GetObject', { Bucket: 'bucket', Key: 'a/b', VersionId: true }))).toEqual([
      ['s3:GetObjectVersion', 'arn:aws:s3:::bucket/a/b', {}],
    ]);
    expect(actions(call('S3', 'HeadObject', { Bucket: 'bucket', Key: 'a/b' }))).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::bucket/a/b', {}],
    ]);
  });

  it('writes a multipart upload with s3:PutObject, and aborts it with s3:AbortMultipartUpload, on its object', () => {
    const object = { Bucket: 'bucket', Key: 'reports/m/u.rejects.csv' };
    for (const operation of ['CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'])
      expect(actions(call('S3', operation, object))).toEqual([
        ['s3:PutObject', 'arn:aws:s3:::bucket/reports/m/u.rejects.csv', {}],
      ]);
    expect(actions(call('S3', 'AbortMultipartUpload', object))).toEqual([
      ['s3:AbortMultipartUpload', 'arn:aws:s3:::bucket/reports/m/u.rejects.csv', {}],
    ]);
  });

  it('lists with s3:ListBucket on the bucket, the prefix as s3:prefix', () => {
    expect(actions(call('S3', 'ListObjectsV2', { Bucket: 'bucket', Prefix: 'reports/m/' }))).toEqual([
      ['s3:ListBucket', 'arn:aws:s3:::bucket', { 's3:prefix': 'reports/m/' }],
    ]);
  });

  it('maps each PartiQL statement by its verb, on its own table', () => {
    const statements = [
      { verb: 'INSERT', table: 'transactions' },
      { verb: 'SELECT', table: 'detector-state' },
      { verb: 'UPDATE', table: 'detector-state' },
      { verb: 'DELETE', table: 'detector-state' },
    ];
    expect(actions(call('DynamoDB', 'BatchExecuteStatement', { Statements: statements }))).toEqual([
      ['dynamodb:PartiQLInsert', table('transactions'), {}],
      ['dynamodb:PartiQLSelect', table('detector-state'), {}],
      ['dynamodb:PartiQLUpdate', table('detector-state'), {}],
      ['dynamodb:PartiQLDelete', table('detector-state'), {}],
    ]);
  });

  it('maps a transaction item by item, and item operations on any declared table or index', () => {
    const items = [
      { verb: 'Put', table: 'detector-state' },
      { verb: 'Update', table: 'detector-state' },
      { verb: 'ConditionCheck', table: 'transactions' },
    ];
    expect(actions(call('DynamoDB', 'TransactWriteItems', { TransactItems: items }))).toEqual([
      ['dynamodb:PutItem', table('detector-state'), {}],
      ['dynamodb:UpdateItem', table('detector-state'), {}],
      ['dynamodb:ConditionCheckItem', table('transactions'), {}],
    ]);
    expect(actions(call('DynamoDB', 'Query', { TableName: 'detector-state', IndexName: 'by-card' }))).toEqual(
      [['dynamodb:Query', `${table('detector-state')}/index/by-card`, {}]],
    );
    expect(
      actions(call('DynamoDB', 'BatchGetItem', { RequestItems: ['transactions', 'detector-state'] })),
    ).toEqual([
      ['dynamodb:BatchGetItem', table('transactions'), {}],
      ['dynamodb:BatchGetItem', table('detector-state'), {}],
    ]);
  });

  it('names a secret by its ARN with the random suffix, and decrypts with its customer-managed key', () => {
    const [secret] = iamRequestsOf(call('SecretsManager', 'GetSecretValue', { SecretId: 'plain' }), model);
    expect(secret.resource).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:plain-[A-Za-z0-9]{6}$`),
    );
    expect(actions(call('SecretsManager', 'GetSecretValue', { SecretId: 'sealed' })).slice(1)).toEqual([
      [
        'kms:Decrypt',
        `arn:aws:kms:us-east-1:${ACCOUNT}:key/k-1`,
        { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
      ],
    ]);
  });

  it('fails, naming the call, for an operation without a row or a resource the stack does not declare', () => {
    expect(() =>
      iamRequestsOf(call('S3', 'GetObjectTagging', { Bucket: 'bucket', Key: 'k' }), model),
    ).toThrow(/fn S3:GetObjectTagging .* has no row in tests\/iam\/action-map.ts/);
    expect(() => iamRequestsOf(call('DynamoDB', 'GetItem', { TableName: 'elsewhere' }), model)).toThrow(
      CallMappingError,
    );
    expect(() => iamRequestsOf(call('S3', 'PutObject', { Bucket: 'other-bucket', Key: 'k' }), model)).toThrow(
      /names bucket other-bucket, which the stack does not declare/,
    );
  });
});

describe('what the Lambda service does with a role', () => {
  it('refuses an event source it cannot derive permissions for, rather than miss them', () => {
    const kinesis = {
      ...model,
      streamMappings: [
        { functionName: 'fn', eventSourceArn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/s` },
      ],
    };
    expect(() => lambdaServiceAttempts(kinesis)).toThrow(/its permissions are not derived yet/);
  });

  it('sends failures to a queue with sqs:SendMessage on it', () => {
    const withQueue = {
      ...model,
      asyncFailureDestinations: new Map([['fn', `arn:aws:sqs:us-east-1:${ACCOUNT}:q`]]),
    };
    const sends = lambdaServiceAttempts(withQueue).filter((a) => a.request.action.startsWith('sqs:'));
    expect(sends.map((a) => [a.role, a.request.action, a.request.resource])).toEqual([
      ['role-fn', 'sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:q`],
    ]);
  });
});
