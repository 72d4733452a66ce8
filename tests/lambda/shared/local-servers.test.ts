import { DynamoDBClient, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  createTransactionsTable,
  startDynamoDbLocal,
  type LocalDynamoDb,
} from '../../support/local-dynamodb';
import { createBucket, startS3rver, type LocalS3 } from '../../support/local-s3';

describe('local test servers', () => {
  let dynamo: LocalDynamoDb;
  let s3: LocalS3;

  beforeAll(async () => {
    [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3rver()]);
  });
  afterAll(async () => {
    await Promise.all([dynamo?.stop(), s3?.stop()]);
  });

  it('DynamoDB Local creates the transactions table like the stack, with a NEW_AND_OLD_IMAGES stream', async () => {
    const client = new DynamoDBClient(dynamo.clientConfig);
    const streamArn = await createTransactionsTable(client, 'transactions-test');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'transactions-test' }));
    expect(streamArn).toMatch(/^arn:aws:dynamodb:/);
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'transaction_id', KeyType: 'HASH' },
      { AttributeName: 'timestamp', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    await client.send(
      new PutItemCommand({
        TableName: 'transactions-test',
        Item: { transaction_id: { S: 't1' }, timestamp: { S: '2024-01-01T00:00:00.000Z' } },
      }),
    );
    client.destroy();
  });

  it('s3rver stores and returns an object over path-style HTTP on 127.0.0.1', async () => {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new S3Client(s3.clientConfig);
    await createBucket(client, 'bucket-test');
    await client.send(new PutObjectCommand({ Bucket: 'bucket-test', Key: 'a/b.csv', Body: 'hello' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'bucket-test', Key: 'a/b.csv' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    client.destroy();
  });
});
