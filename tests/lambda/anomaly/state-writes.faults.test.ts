/**
 * The detector's batched state writes when DynamoDB misbehaves (aws-sdk-client-mock): throttled
 * statements go again after a backoff, a throttle that never ends and any unexpected answer fail
 * the batch (Lambda then retries it whole), an item that vanishes is written again whole, and an
 * UPDATE whose answer carries no item is read back.
 */
import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  DynamoDBClient,
  type BatchStatementRequest,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { runStatementRounds, type ItemWrites } from '../../../lambda/anomaly/state/statement-rounds';
import { dynamoStateStore } from '../../../lambda/anomaly/state/dynamo-state';

const dynamodb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });
const noWait = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined };

beforeEach(() => dynamodb.reset());

/** An item that needs one successful statement. */
function oneStatement(pk: string): ItemWrites & { answers: (string | undefined)[] } {
  const answers: (string | undefined)[] = [];
  return {
    answers,
    next: { Statement: `UPDATE "t" SET "a" = ? WHERE "pk" = ?`, Parameters: [{ S: 'v' }, { S: pk }] },
    answer({ code }) {
      answers.push(code);
      return undefined;
    },
  };
}

const statements = (call: number): BatchStatementRequest[] =>
  dynamodb.commandCalls(BatchExecuteStatementCommand)[call].args[0].input.Statements ?? [];

describe('batched state writes under faults', () => {
  it('sends throttled statements again until DynamoDB takes them, 25 to a request', async () => {
    let calls = 0;
    dynamodb.on(BatchExecuteStatementCommand).callsFake((input) => {
      calls += 1;
      // The first request: its first statement is throttled inside the 200 answer.
      return {
        Responses: input.Statements.map((_: unknown, i: number) =>
          calls === 1 && i === 0 ? { Error: { Code: 'ProvisionedThroughputExceeded' } } : {},
        ),
      };
    });
    const items = Array.from({ length: 30 }, (_, i) => oneStatement(`k${i}`));
    const answered = await runStatementRounds(client, items, noWait);
    expect(answered).toBe(30);
    expect(items.every((item) => item.answers.length === 1 && item.answers[0] === undefined)).toBe(true);
    expect(statements(0)).toHaveLength(25);
    expect(statements(1)).toHaveLength(5);
    // The round after: only the throttled statement.
    expect(statements(2).map((s) => s.Parameters?.[1]?.S)).toEqual(['k0']);
  });

  it('fails the batch when DynamoDB throttles the same statements round after round', async () => {
    dynamodb.on(BatchExecuteStatementCommand).callsFake((input) => ({
      Responses: input.Statements.map(() => ({ Error: { Code: 'ThrottlingError' } })),
    }));
    await expect(runStatementRounds(client, [oneStatement('k')], noWait)).rejects.toThrow(
      /still throttled detector state writes after 3 rounds/,
    );
  });

  it('fails the batch when DynamoDB answers fewer statements than it was sent', async () => {
    dynamodb.on(BatchExecuteStatementCommand).resolves({ Responses: [] });
    await expect(runStatementRounds(client, [oneStatement('k')], noWait)).rejects.toThrow(
      /answered 0 of 1 statements/,
    );
  });

  it('fails the batch on an answer it does not expect, naming the code only', async () => {
    dynamodb.on(BatchGetItemCommand).resolves({ Responses: {} }); // the lookup: nothing exists
    dynamodb.on(BatchExecuteStatementCommand).resolves({
      Responses: [{ Error: { Code: 'AccessDenied', Message: 'value 4111 1111 1111 1111 in the message' } }],
    });
    const store = dynamoStateStore(client, 'state-table');
    const written = store.addEntries([{ pk: 'card#x#d1', entries: { tx1: 'v' } }], 1);
    await expect(written).rejects.toThrow(/^A detector state write failed: AccessDenied\.$/);
  });

  it('writes every chunk again, from the first, when an item vanishes between two of its statements', async () => {
    dynamodb.on(BatchGetItemCommand).resolves({ Responses: { 'state-table': [{ pk: { S: 'card#x#d1' } }] } });
    let call = 0;
    dynamodb.on(BatchExecuteStatementCommand).callsFake(() => {
      call += 1;
      // 1: UPDATE chunk 1 (ok); 2: UPDATE chunk 2 finds nothing (TTL took the item); then all is written.
      return { Responses: [call === 2 ? { Error: { Code: 'ConditionalCheckFailed' } } : {}] };
    });
    const entries = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`tx${i}`, 'v']));
    const store = dynamoStateStore(client, 'state-table');
    const written = await store.addEntries([{ pk: 'card#x#d1', entries }], 1);
    const sent = dynamodb
      .commandCalls(BatchExecuteStatementCommand)
      .map((c) => c.args[0].input.Statements?.[0].Statement?.split(' ')[0]);
    expect(sent).toEqual(['UPDATE', 'UPDATE', 'INSERT', 'UPDATE']);
    const firstInsert = statements(2)[0];
    expect(firstInsert.Parameters).toHaveLength(2 + 100); // pk, expiry and the first 100 entries
    expect(written.writes).toBe(4);
    // These answers carry no item (as if RETURNING were not honoured): the item is read back instead.
    const reads = dynamodb
      .commandCalls(BatchGetItemCommand)
      .map((c) => c.args[0].input.RequestItems?.['state-table']);
    expect(reads.map((r) => r?.ConsistentRead)).toEqual([false, true]); // the lookup, then the read-back
    expect(written.reads).toBe(1.5);
  });
});
