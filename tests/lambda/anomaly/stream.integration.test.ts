/**
 * Against AWS's DynamoDB Local: items are written to a table shaped like the stack's, the real
 * stream is read back with the DynamoDB Streams API, and its records are fed to the handler, whose
 * detector state lives in a state table on the same DynamoDB Local. SNS is captured with
 * aws-sdk-client-mock (there is no local SNS).
 */
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { holdsCardNumber } from '../../../lambda/shared/card';
import {
  createTransactionsTable,
  readStreamRecords,
  startDynamoDbLocal,
  type LocalDynamoDb,
} from '../../support/local-dynamodb';
import { createStateTable } from '../../../tools/local/dynamodb-local';
import { STATE_TABLE_KEY } from '../../../lambda/shared/contract';
import { LOCAL_CREDENTIALS } from '../../support/free-port';
import { storedItem } from './fixtures';

// Starting Java and the servers can take a while on a shared, busy machine.
jest.setTimeout(120_000);

const TABLE = 'table-transactions-anomalytest';
const STATE_TABLE = 'dynamodb-detector-state-anomalytest';
const sns = mockClient(SNSClient);
const context = { functionName: 'anomaly', awsRequestId: 'req-2' } as unknown as Context;

let local: LocalDynamoDb;
let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let streamArn: string;

beforeAll(async () => {
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:topic-alerts-local';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  local = await startDynamoDbLocal();
  dynamo = new DynamoDBClient(local.clientConfig);
  streams = new DynamoDBStreamsClient(local.clientConfig);
  streamArn = await createTransactionsTable(dynamo, TABLE);
  await createStateTable(dynamo, {
    name: STATE_TABLE,
    partitionKey: STATE_TABLE_KEY.partition,
    ttlAttribute: STATE_TABLE_KEY.ttl,
  });
  process.env.STATE_TABLE_NAME = STATE_TABLE;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
});

afterAll(async () => {
  dynamo?.destroy();
  streams?.destroy();
  await local?.stop();
});

/** Every record currently in the stream, oldest first, shaped as Lambda delivers them. */
const readStream = async (): Promise<DynamoDBRecord[]> =>
  (await readStreamRecords(streams, streamArn)) as unknown as DynamoDBRecord[];

const put = (item: Record<string, unknown>) =>
  dynamo.send(new PutItemCommand({ TableName: TABLE, Item: marshall(item) }));

it('alerts on rules over INSERTs and on tampering read from the real stream', async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  // handler reads TOPIC_ARN at module scope.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require('../../../lambda/anomaly/handler') as {
    handler: (e: DynamoDBStreamEvent, c: Context) => Promise<{ batchItemFailures: unknown[] }>;
  };

  await put(storedItem({ id: 'tx-big', amount: 25000.75, last4: '4242', card: '1'.repeat(64) }));
  await put(storedItem({ id: 'tx-kp', country: 'KP', card: '2'.repeat(64) }));
  await put(storedItem({ id: 'tx-plain', amount: 18.2, card: '3'.repeat(64) }));
  const kept = storedItem({ id: 'tx-edit', amount: 50, last4: '1881', card: '4'.repeat(64) });
  await put(kept);
  await dynamo.send(
    new UpdateItemCommand({
      TableName: TABLE,
      Key: marshall({ transaction_id: 'tx-edit', timestamp: kept.timestamp }),
      UpdateExpression: 'SET amount = :a',
      ExpressionAttributeValues: { ':a': { N: '5' } },
    }),
  );
  await dynamo.send(
    new DeleteItemCommand({
      TableName: TABLE,
      Key: marshall({ transaction_id: 'tx-plain', timestamp: storedItem({ id: 'tx-plain' }).timestamp }),
    }),
  );

  const records = await readStream();
  expect(records.map((record) => record.eventName)).toEqual([
    'INSERT',
    'INSERT',
    'INSERT',
    'INSERT',
    'MODIFY',
    'REMOVE',
  ]);

  const result = await handler({ Records: records }, context);
  expect(result.batchItemFailures).toEqual([]);

  const published = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
  const byRule = Object.fromEntries(
    published.map((input) => [input.MessageAttributes?.rule?.StringValue, input]),
  );
  expect(Object.keys(byRule).sort()).toEqual(['high-amount', 'high-risk-country', 'tamper']);
  expect(byRule['high-amount'].Message).toContain('tx-big');
  expect(byRule['high-amount'].Message).toContain('25000.75 USD');
  expect(byRule['high-amount'].Message).toContain('**** 4242');
  expect(byRule['high-risk-country'].Message).toContain('tx-kp');
  const tamper = byRule.tamper.Message ?? '';
  expect(byRule.tamper.MessageAttributes?.severity?.StringValue).toBe('critical');
  expect(tamper).toContain('tx-edit');
  expect(tamper).toContain('amount: 50 -> 5');
  expect(tamper).toContain('tx-plain');
  expect(tamper).toMatch(/deleted/);
  for (const input of published) expect(holdsCardNumber(`${input.Subject}\n${input.Message}`)).toBe(false);

  // Lambda delivers the same records again (a retry after a timeout): each alert was sent once.
  const again = await handler({ Records: records }, context);
  expect(again.batchItemFailures).toEqual([]);
  expect(sns.commandCalls(PublishCommand)).toHaveLength(published.length);
});
