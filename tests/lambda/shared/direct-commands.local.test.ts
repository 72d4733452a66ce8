/**
 * The direct path of the bulk calls answers exactly as the SDK does, against AWS's DynamoDB Local:
 * the same output for the same request, statement errors inside a 200 included, and the endpoint
 * the client is configured with (explicit, or AWS_ENDPOINT_URL_DYNAMODB).
 */
import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  DynamoDBClient,
  type BatchStatementRequest,
} from '@aws-sdk/client-dynamodb';
import {
  DirectBatchExecuteStatementCommand,
  DirectBatchGetItemCommand,
} from '../../../lambda/shared/direct-commands';
import {
  createDetectorStateTable,
  startDynamoDbLocal,
  type LocalDynamoDb,
} from '../../support/local-dynamodb';

jest.setTimeout(120_000);

const TABLE = 'dynamodb-direct-test';
let local: LocalDynamoDb;
let client: DynamoDBClient;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  client = new DynamoDBClient(local.clientConfig);
  await createDetectorStateTable(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await local?.stop();
});

const insert = (pk: string): BatchStatementRequest => ({
  Statement: `INSERT INTO "${TABLE}" VALUE {'pk': ?, 'n': ?, 'm': ?, 'l': ?, 'b': ?, 'z': ?}`,
  Parameters: [
    { S: pk },
    { N: '42.50' },
    { M: { day: { N: '19000' }, note: { S: 'ünïcode ✓' } } },
    { L: [{ S: 'a' }, { N: '1' }] },
    { BOOL: true },
    { NULL: true },
  ],
});

const withoutMetadata = <T extends { $metadata?: unknown }>(output: T) => {
  const { $metadata, ...rest } = output;
  expect($metadata).toMatchObject({ httpStatusCode: 200 });
  return rest;
};

describe('the direct bulk calls (DynamoDB Local)', () => {
  it('write and read back what the SDK path writes and reads, answer for answer', async () => {
    const statements = Array.from({ length: 25 }, (_, i) => insert(`direct#${i}`));
    const direct = await client.send(new DirectBatchExecuteStatementCommand({ Statements: statements }));
    // Again, through the SDK: every statement now fails on its own, inside a 200.
    const again = await client.send(new BatchExecuteStatementCommand({ Statements: statements }));
    const againDirect = await client.send(new DirectBatchExecuteStatementCommand({ Statements: statements }));
    expect(withoutMetadata(direct).Responses).toHaveLength(25);
    expect(direct.Responses?.every((r) => r.Error === undefined)).toBe(true);
    expect(withoutMetadata(againDirect)).toEqual(withoutMetadata(again));
    expect(againDirect.Responses?.[0].Error?.Code).toBe('DuplicateItem');

    const keys = { Keys: statements.map((_, i) => ({ pk: { S: `direct#${i}` } })), ConsistentRead: true };
    const read = await client.send(new DirectBatchGetItemCommand({ RequestItems: { [TABLE]: keys } }));
    const sdkRead = await client.send(new BatchGetItemCommand({ RequestItems: { [TABLE]: keys } }));
    const byKey = (items: Record<string, unknown>[] = []) =>
      [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(byKey(read.Responses?.[TABLE])).toEqual(byKey(sdkRead.Responses?.[TABLE]));
    expect(read.Responses?.[TABLE]).toHaveLength(25);
    expect(read.Responses?.[TABLE]?.[0]).toMatchObject({
      n: { N: '42.5' },
      z: { NULL: true },
      b: { BOOL: true },
    });
  });

  it('returns the item an UPDATE ... RETURNING ALL NEW * leaves, as the detector reads it', async () => {
    await client.send(new DirectBatchExecuteStatementCommand({ Statements: [insert('direct#returning')] }));
    const out = await client.send(
      new DirectBatchExecuteStatementCommand({
        Statements: [
          {
            Statement: `UPDATE "${TABLE}" SET n = ? WHERE pk = ? RETURNING ALL NEW *`,
            Parameters: [{ N: '7' }, { S: 'direct#returning' }],
          },
        ],
      }),
    );
    expect(out.Responses?.[0].Item).toMatchObject({ pk: { S: 'direct#returning' }, n: { N: '7' } });
  });

  it('finds the endpoint the way the SDK does when only AWS_ENDPOINT_URL_DYNAMODB names it', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
    const { endpoint: _explicit, ...config } = local.clientConfig;
    const fromEnv = new DynamoDBClient(config);
    try {
      const read = await fromEnv.send(
        new DirectBatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [{ pk: { S: 'direct#0' } }] } } }),
      );
      expect(read.Responses?.[TABLE]).toHaveLength(1);
    } finally {
      fromEnv.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      else process.env.AWS_ENDPOINT_URL_DYNAMODB = saved;
    }
  });
});
