/**
 * The handler with SNS and the state table mocked (aws-sdk-client-mock): what is published, and
 * which records are reported in batchItemFailures when publishing fails for one group. The state
 * table answers as an empty one; the real table's behaviour is tested on DynamoDB Local.
 */
import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { storedItem, streamRecord } from './fixtures';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:topic-alerts-test';
const sns = mockClient(SNSClient);
const dynamodb = mockClient(DynamoDBClient);
const context = { functionName: 'anomaly', awsRequestId: 'req-1' } as unknown as Context;

type Handler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
let handler: Handler;

beforeAll(() => {
  process.env.TOPIC_ARN = TOPIC_ARN;
  process.env.STATE_TABLE_NAME = 'dynamodb-detector-state-test';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // Imported after the environment is set: the handler reads it once at module scope.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require('../../../lambda/anomaly/handler').handler;
});

beforeEach(() => {
  sns.reset();
  dynamodb.reset();
  dynamodb.on(UpdateItemCommand).resolves({});
  // Every state write succeeds: each statement created its item.
  dynamodb
    .on(BatchExecuteStatementCommand)
    .callsFake((input) => ({ Responses: input.Statements.map(() => ({ TableName: 'state' })) }));
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: {} });
});

const insert = (seq: string, overrides: Parameters<typeof storedItem>[0]): DynamoDBRecord =>
  streamRecord('INSERT', { newItem: storedItem(overrides) }, seq);

const failures = (result: { batchItemFailures: { itemIdentifier: string }[] }) =>
  result.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

describe('anomaly handler', () => {
  it('publishes one alert per (rule, merchant) with severity and rule attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const result = await handler(
      {
        Records: [
          insert('1', { id: 'a1', amount: 20000.5, card: '1'.repeat(64) }),
          insert('2', { id: 'a2', amount: 30000.5, card: '2'.repeat(64), offsetSeconds: 900 }),
          insert('3', { id: 'ok', amount: 12.3, card: '3'.repeat(64) }),
        ],
      },
      context,
    );
    expect(result.batchItemFailures).toEqual([]);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.TopicArn).toBe(TOPIC_ARN);
    expect(input.Subject).toMatch(/^\[HIGH\] high-amount/);
    expect(input.Message).toContain('a1');
    expect(input.Message).toContain('a2');
    expect(input.Message).not.toContain('Transaction ok');
    expect(input.MessageAttributes).toMatchObject({
      severity: { DataType: 'String', StringValue: 'high' },
      rule: { DataType: 'String', StringValue: 'high-amount' },
    });
  });

  it('reports only the records of the group whose alert failed, by sequence number', async () => {
    sns.on(PublishCommand).callsFake((input) => {
      if (input.MessageAttributes.merchant.StringValue === 'merchant-b') throw new Error('SNS throttled');
      return { MessageId: 'm-2' };
    });
    const result = await handler(
      {
        Records: [
          insert('11', { id: 'a', amount: 20000.5, card: '1'.repeat(64) }),
          insert('12', { id: 'b1', merchant: 'merchant-b', country: 'KP', card: '2'.repeat(64) }),
          insert('13', {
            id: 'b2',
            merchant: 'merchant-b',
            country: 'IR',
            card: '3'.repeat(64),
            offsetSeconds: 5000,
          }),
          insert('14', { id: 'fine', amount: 10, card: '4'.repeat(64) }),
        ],
      },
      context,
    );
    expect(failures(result)).toEqual(['12', '13']);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('fails a record whose image is unusable, and processes the others', async () => {
    sns.on(PublishCommand).resolves({});
    const { card_hash: _omitted, ...withoutHash } = storedItem({ id: 'broken' });
    const result = await handler(
      {
        Records: [
          streamRecord('INSERT', { newItem: withoutHash }, '21'),
          insert('22', { id: 'kp', country: 'KP' }),
        ],
      },
      context,
    );
    expect(failures(result)).toEqual(['21']);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('throws when every record failed, so Lambda retries the whole batch', async () => {
    sns.on(PublishCommand).rejects(new Error('SNS down'));
    await expect(handler({ Records: [insert('31', { id: 'kp', country: 'KP' })] }, context)).rejects.toThrow(
      /All records failed/i,
    );
  });

  it('fails the whole batch, publishing nothing, when the state table fails', async () => {
    sns.on(PublishCommand).resolves({});
    dynamodb
      .on(BatchExecuteStatementCommand)
      .rejects(Object.assign(new Error('Throughput exceeded'), { name: 'InternalServerError' }));
    await expect(handler({ Records: [insert('35', { id: 'kp', country: 'KP' })] }, context)).rejects.toThrow(
      /Throughput exceeded/,
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('raises a critical tamper alert for a changed item, and nothing for an unchanged MODIFY', async () => {
    sns.on(PublishCommand).resolves({});
    const item = storedItem({ id: 'tx-t', last4: '1111', amount: 99 });
    const result = await handler(
      {
        Records: [
          streamRecord('MODIFY', { oldItem: item, newItem: item }, '41'),
          streamRecord('MODIFY', { oldItem: item, newItem: { ...item, amount: 1 } }, '42'),
        ],
      },
      context,
    );
    expect(result.batchItemFailures).toEqual([]);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.Subject).toMatch(/^\[CRITICAL\] tamper/);
    expect(input.Message).toContain('amount: 99 -> 1');
    expect(input.Message).toContain('**** 1111');
    expect(holdsCardNumber(`${input.Subject}\n${input.Message}`)).toBe(false);
  });
});
