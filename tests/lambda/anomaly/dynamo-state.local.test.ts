/**
 * The state adapter against AWS's DynamoDB Local: writes return the item after them, a losing
 * conditional write returns the item that beat it, reads are consistent and chunked, and claims
 * follow the once-only rules. The detector's correctness under races rests on these answers.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { STATE_TABLE_KEY } from '../../../lambda/shared/contract';
import { dynamoStateStore, StateItemFullError } from '../../../lambda/anomaly/state/dynamo-state';
import type { StateStore } from '../../../lambda/anomaly/state/store';
import { createStateTable } from '../../../tools/local/dynamodb-local';
import { startDynamoDbLocal, type LocalDynamoDb } from '../../support/local-dynamodb';

jest.setTimeout(120_000);

let local: LocalDynamoDb;
let client: DynamoDBClient;
let store: StateStore;
const TTL = 2_000_000_000;
const TABLE = 'dynamodb-detector-state-adaptertest';

beforeAll(async () => {
  local = await startDynamoDbLocal();
  client = new DynamoDBClient(local.clientConfig);
  await createStateTable(client, {
    name: TABLE,
    partitionKey: STATE_TABLE_KEY.partition,
    ttlAttribute: STATE_TABLE_KEY.ttl,
  });
  store = dynamoStateStore(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await local?.stop();
});

const entries = (from: number, count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`tx${from + i}`, `value ${from + i}`]));

describe('the DynamoDB state store', () => {
  it('adds entries in chunks and returns the whole item after the write; adding again changes nothing', async () => {
    const first = await store.addEntries('card#x#d1', entries(0, 250), TTL);
    expect(Object.keys(first.entries)).toHaveLength(250);
    const again = await store.addEntries('card#x#d1', entries(200, 60), TTL);
    expect(Object.keys(again.entries)).toHaveLength(260);
    expect(again.entries.tx259).toBe('value 259');
  });

  it('keeps the larger count of a day; a smaller one gets the item that beat it', async () => {
    await store.recordDay('profile#x#p1', 40, { count: 3, sum: 60 }, TTL);
    const later = await store.recordDay('profile#x#p1', 41, { count: 1, sum: 10 }, TTL);
    expect([...later.days].sort(([a], [b]) => a - b)).toEqual([
      [40, { count: 3, sum: 60 }],
      [41, { count: 1, sum: 10 }],
    ]);
    const stale = await store.recordDay('profile#x#p1', 40, { count: 2, sum: 30 }, TTL);
    expect(stale.days.get(40)).toEqual({ count: 3, sum: 60 });
  });

  it('reads more keys than one BatchGetItem takes; absent items are absent', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => `merchant#m#b${i}`);
    await Promise.all(keys.slice(0, 120).map((pk, i) => store.addEntries(pk, { [`tx${i}`]: 'v' }, TTL)));
    const items = await store.read([...keys, 'card#x#d1']);
    expect(items.size).toBe(121);
    expect(items.get('merchant#m#b119')?.entries).toEqual({ tx119: 'v' });
    expect(items.has('merchant#m#b120')).toBe(false);
  });

  it('claims a new key once; a live claim holds, a stale or released one is taken, a sent one stays sent', async () => {
    const now = Date.now();
    const claim = (token: string, nowMs = now, staleBeforeMs = now - 90_000) =>
      store.claimAlert('alert#k', { token, nowMs, staleBeforeMs, expiresAtSec: TTL });
    expect(await claim('a')).toEqual({ claimed: true });
    expect(await claim('b')).toEqual({
      claimed: false,
      current: { status: 'pending', token: 'a', claimedAtMs: now },
    });
    expect(await claim('c', now + 100_000, now + 10_000)).toEqual({ claimed: true });
    await store.finishAlert('alert#k', 'a', 'released'); // a is no longer the claimant: ignored
    await store.finishAlert('alert#k', 'c', 'released');
    expect(await claim('d')).toEqual({ claimed: true });
    await store.finishAlert('alert#k', 'd', 'sent');
    const after = await claim('e', now + 10_000_000, now + 9_000_000);
    expect(after).toMatchObject({ claimed: false, current: { status: 'sent', token: 'd' } });
  });

  it('pushes the expiry of a sent key found again, and of a profile day written again, forward', async () => {
    const expiry = async (pk: string) =>
      Number(
        (
          await client.send(
            new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true }),
          )
        ).Item?.expires_at?.N,
      );
    const now = Date.now();
    await store.claimAlert('alert#ttl', { token: 't', nowMs: now, staleBeforeMs: 0, expiresAtSec: 1_000 });
    await store.finishAlert('alert#ttl', 't', 'sent');
    await store.claimAlert('alert#ttl', { token: 'u', nowMs: now, staleBeforeMs: 0, expiresAtSec: 5_000 });
    expect(await expiry('alert#ttl')).toBe(5_000);
    await store.recordDay('profile#ttl#p1', 7, { count: 2, sum: 4 }, 1_000);
    await store.recordDay('profile#ttl#p1', 7, { count: 2, sum: 4 }, 6_000);
    expect(await expiry('profile#ttl#p1')).toBe(6_000);
  });

  it('says which kind of item is full when one outgrows 400 KB', async () => {
    const big = 'x'.repeat(3000);
    const write = async () => {
      for (let i = 0; i < 200; i += 1) await store.addEntries('card#full#d1', { [`tx${i}`]: big }, TTL);
    };
    await expect(write()).rejects.toThrow(StateItemFullError);
    await expect(write()).rejects.toThrow(/card#… is full/);
  });
});
