/**
 * The sink against DynamoDB Local, where overwrites would show. Two invocations racing on the same
 * keys: whatever the interleaving, each key is stored once, the first content stays, the other
 * invocation sees `unchanged` (same content) or a conflict (different content), and the stream
 * holds one INSERT per key and no MODIFY (which the anomaly detector would report as tampering).
 * And a file delivered again after a cut-off: stored rows unchanged, the rest inserted.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createDynamoSink } from '../../../lambda/validator/adapters/dynamo-sink';
import type { BatchOutcome, StoredItem } from '../../../lambda/validator/core/types';
import {
  createTransactionsTable,
  readStreamRecords,
  startDynamoDbLocal,
  type LocalDynamoDb,
} from '../../support/local-dynamodb';

let local: LocalDynamoDb;
let db: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let tables = 0;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  db = new DynamoDBClient(local.clientConfig);
  streams = new DynamoDBStreamsClient(local.clientConfig);
}, 60_000);

afterAll(async () => {
  db?.destroy();
  streams?.destroy();
  await local?.stop();
});

const KEYS = 300;

/** Items of one upload: `content` decides the amount, hence the content hash. */
const upload = (uploadId: string, content: (i: number) => number): StoredItem[] =>
  Array.from({ length: KEYS }, (_, i) => ({
    transaction_id: `race-${i}`,
    timestamp: '2024-05-01T09:15:00.000Z',
    merchant_id: 'merchant-a',
    amount: content(i),
    currency: 'EUR',
    card_last4: '1111',
    card_hash: 'f'.repeat(64),
    upload_id: uploadId,
    source_line: i + 2,
    content_hash: `content-${content(i)}`,
  }));

const race = async (a: StoredItem[], b: StoredItem[]) => {
  const table = `race-${++tables}`;
  const streamArn = await createTransactionsTable(db, table);
  // Two sinks = two invocations: nothing shared but the table.
  const sink = () =>
    createDynamoSink(new DynamoDBClient(local.clientConfig), {
      tableName: table,
      concurrency: 8,
    });
  const outcomes = await Promise.all([sink().writeBatch(a), sink().writeBatch(b)]);
  const items = (await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
  const stream = await readStreamRecords(streams, streamArn);
  return {
    outcomes,
    stored: new Map(items.map((item) => unmarshall(item)).map((item) => [item.transaction_id, item])),
    events: stream.map((record) => record.eventName),
  };
};

const sum = (outcomes: BatchOutcome[], pick: (o: BatchOutcome) => number) =>
  outcomes.reduce((total, outcome) => total + pick(outcome), 0);

describe('a file delivered again, batch by batch (DynamoDB Local)', () => {
  it('reads first once it meets stored rows, inserts the new ones, and changes nothing stored', async () => {
    const table = `again-${++tables}`;
    const streamArn = await createTransactionsTable(db, table);
    const doc = new DynamoDBClient(local.clientConfig);
    const file = upload('up-d', (i) => i + 1); // 300 rows
    const first = createDynamoSink(doc, { tableName: table, concurrency: 8 });
    await first.writeBatch(file.slice(0, 200)); // cut off after 200 rows
    // Counts the INSERT statements the retry sends: stored rows found by reading are not sent.
    // Observed at send: the bulk calls skip the SDK's middleware (lambda/shared/direct-commands.ts).
    const sent = jest.spyOn(doc, 'send');
    const retry = createDynamoSink(doc, { tableName: table, concurrency: 8 });
    const outcomes = [];
    for (let i = 0; i < 300; i += 50) outcomes.push(await retry.writeBatch(file.slice(i, i + 50)));
    expect(outcomes.map((o) => [o.stored, o.unchanged])).toEqual([
      [0, 50],
      [0, 50],
      [0, 50],
      [0, 50],
      [50, 0],
      [50, 0],
    ]);
    // Batch 1 inserts and meets 50 stored rows; batches 2-4 are read first (nothing sent); batch 5
    // is read first and inserts its 50 absent rows; batch 6 inserts first again.
    const inserts = sent.mock.calls.reduce(
      (total, [command]) => total + ((command.input as { Statements?: unknown[] }).Statements?.length ?? 0),
      0,
    );
    expect(inserts).toBe(150);
    const events = (await readStreamRecords(streams, streamArn)).map((r) => r.eventName);
    expect(events).toEqual(Array.from({ length: 300 }, () => 'INSERT'));
    doc.destroy();
  }, 60_000);
});

describe('concurrent writes of the same keys (DynamoDB Local)', () => {
  it('different content: each key stored once, the stored content never replaced, the loser told CONFLICT', async () => {
    const { outcomes, stored, events } = await race(
      upload('up-a', () => 10),
      upload('up-b', () => 20),
    );
    expect(stored.size).toBe(KEYS);
    expect(sum(outcomes, (o) => o.stored)).toBe(KEYS);
    expect(sum(outcomes, (o) => o.conflicts.length)).toBe(KEYS);
    expect(sum(outcomes, (o) => o.unchanged)).toBe(0);
    // Every key holds the content of the invocation that reported it stored, not the other.
    outcomes.forEach((outcome, i) => {
      const mine = i === 0 ? 10 : 20;
      for (const conflict of outcome.conflicts) {
        expect(stored.get(conflict.transaction_id)?.amount).toBe(mine === 10 ? 20 : 10);
      }
    });
    expect(events.filter((e) => e === 'INSERT')).toHaveLength(KEYS);
    expect(events).not.toContain('MODIFY');
  }, 60_000);

  it('same content (one file delivered twice at once): stored once, the rest unchanged, no stream record', async () => {
    const { outcomes, stored, events } = await race(
      upload('up-c', (i) => i + 1),
      upload('up-c', (i) => i + 1),
    );
    expect(stored.size).toBe(KEYS);
    expect(sum(outcomes, (o) => o.stored)).toBe(KEYS);
    expect(sum(outcomes, (o) => o.unchanged)).toBe(KEYS);
    expect(sum(outcomes, (o) => o.conflicts.length)).toBe(0);
    expect(events).toEqual(Array.from({ length: KEYS }, () => 'INSERT'));
  }, 60_000);
});
