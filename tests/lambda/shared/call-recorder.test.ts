import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchExecuteStatementCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  CALL_LOG_ENV,
  recordPresignedPost,
  statementTarget,
  type RecordedCall,
} from '../../../lambda/shared/call-recorder';
import { createDocumentClient, createDynamoDbClient, createS3Client } from '../../../lambda/shared/clients';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
// Nothing listens here: every call fails fast after being recorded.
const CLOSED = 'http://127.0.0.1:9';
let dir: string;
let log: string;
const env = () => ({
  [CALL_LOG_ENV]: log,
  AWS_LAMBDA_FUNCTION_NAME: 'lambda-test-fn',
  AWS_ENDPOINT_URL_S3: CLOSED,
  AWS_ENDPOINT_URL_DYNAMODB: CLOSED,
});
const recorded = (): RecordedCall[] =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as RecordedCall)
    : [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calls-'));
  log = join(dir, 'calls.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the opt-in call recorder', () => {
  it('records the function, operation, bucket, key and whether a version is named', async () => {
    const s3 = createS3Client({ region: 'us-east-1', credentials, maxAttempts: 1 }, env());
    const get = new GetObjectCommand({ Bucket: 'b', Key: 'uploads/m/u.csv', VersionId: 'v1' });
    await s3.send(get).catch(() => undefined);
    expect(recorded()).toEqual([
      {
        principal: 'lambda-test-fn',
        service: 'S3',
        operation: 'GetObject',
        params: { Bucket: 'b', Key: 'uploads/m/u.csv', VersionId: true },
      },
    ]);
    s3.destroy();
  });

  it('records a presigned PUT as a call of the signing function, though nothing is sent', async () => {
    const s3 = createS3Client({ region: 'us-east-1', credentials }, env());
    await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'b', Key: 'uploads/m/u.csv' }), { expiresIn: 60 });
    expect(recorded()).toEqual([
      expect.objectContaining({ operation: 'PutObject', params: { Bucket: 'b', Key: 'uploads/m/u.csv' } }),
    ]);
    s3.destroy();
  });

  it("records a presigned POST (signed outside the middleware) as the signing function's PutObject", () => {
    recordPresignedPost('b', 'uploads/m/u.csv', env());
    recordPresignedPost('b', 'uploads/m/v.csv', {}); // no call log: nothing recorded
    expect(recorded()).toEqual([
      {
        principal: 'lambda-test-fn',
        service: 'S3',
        operation: 'PutObject',
        params: { Bucket: 'b', Key: 'uploads/m/u.csv' },
      },
    ]);
  });

  it('records document-client calls once, as DynamoDB operations, without items or parameters', async () => {
    const dynamo = createDynamoDbClient({ region: 'us-east-1', credentials, maxAttempts: 1 }, env());
    const doc = createDocumentClient(dynamo);
    await doc
      .send(new BatchGetCommand({ RequestItems: { 'table-a': { Keys: [{ pk: '4111111111111111' }] } } }))
      .catch(() => undefined);
    await doc
      .send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `INSERT INTO "table-a" VALUE {'pk': ?}`, Parameters: ['4111111111111111'] },
          ],
        }),
      )
      .catch(() => undefined);
    expect(recorded()).toEqual([
      expect.objectContaining({
        service: 'DynamoDB',
        operation: 'BatchGetItem',
        params: { RequestItems: ['table-a'] },
      }),
      expect.objectContaining({
        operation: 'BatchExecuteStatement',
        params: { Statements: [{ verb: 'INSERT', table: 'table-a' }] },
      }),
    ]);
    expect(readFileSync(log, 'utf8')).not.toContain('4111');
    dynamo.destroy();
  });

  it('adds nothing when the variable is unset, as on AWS', async () => {
    const s3 = createS3Client(
      { region: 'us-east-1', credentials, maxAttempts: 1 },
      { AWS_ENDPOINT_URL_S3: CLOSED },
    );
    await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).catch(() => undefined);
    expect(recorded()).toEqual([]);
    s3.destroy();
  });

  it.each([
    [`INSERT INTO "t-1" VALUE {'a': ?}`, { verb: 'INSERT', table: 't-1' }],
    [`select * from t2 where a = ?`, { verb: 'SELECT', table: 't2' }],
    [`UPDATE "t3" SET a = ? WHERE k = ?`, { verb: 'UPDATE', table: 't3' }],
    [`DELETE FROM "t4" WHERE k = ?`, { verb: 'DELETE', table: 't4' }],
  ])('reads the verb and table of %s', (statement, target) => {
    expect(statementTarget(statement)).toEqual(target);
  });
});
