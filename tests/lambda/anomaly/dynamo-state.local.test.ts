/**
 * The state adapter against AWS's DynamoDB Local: batched writes return each item as they left it
 * (as inserted, or read back after them), a losing claim returns the item that beat it, reads are
 * consistent and chunked, full items are reported, and claims
 * follow the once-only rules. The detector's correctness under races rests on these answers.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoStateStore } from '../../../lambda/anomaly/state/dynamo-state';
import { dynamoStateWrites } from '../../../lambda/anomaly/state/dynamo-state-writes';
import type { StateStore } from '../../../lambda/anomaly/state/store';
import {
  createDetectorStateTable,
  startDynamoDbLocal,
  type LocalDynamoDb,
} from '../../support/local-dynamodb';

jest.setTimeout(120_000);

let local: LocalDynamoDb;
let client: DynamoDBClient;
let store: StateStore;
const TTL = 2_000_000_000;
const TABLE = 'dynamodb-detector-state-adaptertest';

beforeAll(async () => {
  local = await startDynamoDbLocal();
  client = new DynamoDBClient(local.clientConfig);
  await createDetectorStateTable(client, TABLE);
  store = dynamoStateStore(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await local?.stop();
});

const entries = (from: number, count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`tx${from + i}`, `value ${from + i}`]));

const one = (pk: string, entries: Record<string, string>) => [{ pk, entries }];

describe('the DynamoDB state store', () => {
  it('creates new items in one statement each and knows them without reading them back', async () => {
    const writes = Array.from({ length: 60 }, (_, i) => ({ pk: `card#new${i}#d1`, entries: entries(i, 2) }));
    const written = await store.addEntries(writes, TTL);
    expect(written).toMatchObject({ writes: 60, reads: 30, full: [] }); // 60 lookups of keys only
    expect(written.items.get('card#new59#d1')?.entries).toEqual(entries(59, 2));
    expect((await store.read(['card#new59#d1'])).get('card#new59#d1')?.entries).toEqual(entries(59, 2));
  });

  it('adds entries in chunks to an item, new or existing, and reads the whole item back; adding again changes nothing', async () => {
    const first = await store.addEntries(one('card#x#d1', entries(0, 250)), TTL);
    expect(first).toMatchObject({ writes: 3, reads: 0.5 }); // an INSERT of 100, two UPDATEs returning the item
    expect(Object.keys(first.items.get('card#x#d1')!.entries)).toHaveLength(250);
    const again = await store.addEntries(one('card#x#d1', entries(200, 60)), TTL);
    expect(again).toMatchObject({ writes: 1, reads: 0.5 }); // found by the lookup: one UPDATE, returning the item
    const item = again.items.get('card#x#d1')!;
    expect(Object.keys(item.entries)).toHaveLength(260);
    expect(item.entries.tx259).toBe('value 259');
  });

  it('sees what a racing batch wrote to the same item', async () => {
    const [a, b] = await Promise.all([
      store.addEntries(one('card#race#d1', entries(0, 1)), TTL),
      store.addEntries(one('card#race#d1', entries(1, 1)), TTL),
    ]);
    // One created it and knows only its own; the other found it and reads both.
    const sizes = [a, b].map((w) => Object.keys(w.items.get('card#race#d1')!.entries).length).sort();
    expect(sizes).toEqual([1, 2]);
  });

  it('recovers from a stale lookup either way: an item created meanwhile, or one that vanished', async () => {
    const lying = (exists: boolean) =>
      dynamoStateWrites(client, TABLE, {
        read: (pks) => store.read(pks),
        existing: async (pks) => new Set(exists ? pks : []),
      });
    // Said to exist, but new: the UPDATE finds nothing and becomes an INSERT.
    const vanished = await lying(true).addEntries(one('card#stale1#d1', { tx1: 'a' }), TTL);
    expect(vanished.writes).toBe(2);
    expect(vanished.items.get('card#stale1#d1')?.entries).toEqual({ tx1: 'a' });
    const days = await lying(true).recordDays(
      [{ pk: 'profile#stale#p1', day: 3, aggregate: { count: 1, sum: 2 } }],
      TTL,
    );
    expect(days.items.get('profile#stale#p1')?.days.get(3)).toEqual({ count: 1, sum: 2 });
    // Said to be new, but there: the INSERT fails as a duplicate and becomes an UPDATE.
    const created = await lying(false).addEntries(one('card#stale1#d1', { tx2: 'b' }), TTL);
    expect(created.writes).toBe(2);
    expect(created.items.get('card#stale1#d1')?.entries).toEqual({ tx1: 'a', tx2: 'b' });
    const more = await lying(false).recordDays(
      [{ pk: 'profile#stale#p1', day: 3, aggregate: { count: 2, sum: 5 } }],
      TTL,
    );
    expect(more.items.get('profile#stale#p1')?.days.get(3)).toEqual({ count: 2, sum: 5 });
  });

  it('does not look up a profile the caller thinks exists; a wrong guess costs one statement, not the day', async () => {
    const day = [{ pk: 'profile#guess#p1', day: 1, aggregate: { count: 1, sum: 1 } }];
    const guessed = await store.recordDays(day, TTL, new Set(['profile#guess#p1']));
    expect(guessed).toMatchObject({ writes: 2, reads: 0 }); // the UPDATE found nothing, then the INSERT
    expect(guessed.items.get('profile#guess#p1')?.days.get(1)).toEqual({ count: 1, sum: 1 });
  });

  it('keeps the larger count of a day, writes several days of one item, and reads it back', async () => {
    const created = await store.recordDays(
      [
        { pk: 'profile#x#p1', day: 40, aggregate: { count: 3, sum: 60 } },
        { pk: 'profile#y#p1', day: 40, aggregate: { count: 1, sum: 5 } },
      ],
      TTL,
    );
    expect(created).toMatchObject({ writes: 2, reads: 1 });
    const later = await store.recordDays(
      [
        { pk: 'profile#x#p1', day: 41, aggregate: { count: 1, sum: 10 } },
        { pk: 'profile#x#p1', day: 42, aggregate: { count: 2, sum: 7 } },
      ],
      TTL,
    );
    expect([...later.items.get('profile#x#p1')!.days].sort(([a], [b]) => a - b)).toEqual([
      [40, { count: 3, sum: 60 }],
      [41, { count: 1, sum: 10 }],
      [42, { count: 2, sum: 7 }],
    ]);
    const stale = await store.recordDays(
      [{ pk: 'profile#x#p1', day: 40, aggregate: { count: 2, sum: 30 } }],
      TTL,
    );
    expect(stale.items.get('profile#x#p1')!.days.get(40)).toEqual({ count: 3, sum: 60 });
  });

  it('reads more keys than one BatchGetItem takes; absent items are absent', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => `merchant#m#b${i}`);
    await store.addEntries(
      keys.slice(0, 120).map((pk, i) => ({ pk, entries: { [`tx${i}`]: 'v' } })),
      TTL,
    );
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
    const day = [{ pk: 'profile#ttl#p1', day: 7, aggregate: { count: 2, sum: 4 } }];
    await store.recordDays(day, 1_000);
    await store.recordDays(day, 6_000);
    expect(await expiry('profile#ttl#p1')).toBe(6_000);
  });

  it('reports an item at 400 KB as full and reads it back as it is; the others are written', async () => {
    const big = 'x'.repeat(3000);
    for (let i = 0; i < 130; i += 1) await store.addEntries(one('card#full#d1', { [`tx${i}`]: big }), TTL);
    const written = await store.addEntries(
      [
        { pk: 'card#full#d1', entries: { txlast: big.repeat(10) } },
        { pk: 'card#fine#d1', entries: { tx1: 'v' } },
      ],
      TTL,
    );
    expect(written.full).toEqual(['card#full#d1']);
    expect(Object.keys(written.items.get('card#full#d1')!.entries)).toHaveLength(130);
    expect(written.items.get('card#fine#d1')?.entries).toEqual({ tx1: 'v' });
  });
});
