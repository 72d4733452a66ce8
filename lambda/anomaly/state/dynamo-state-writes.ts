/**
 * The detector's two kinds of state writes, for a whole batch at once, as PartiQL statements
 * (statement-rounds.ts). A PartiQL INSERT only creates and an UPDATE only changes an existing
 * item, and a failed statement still costs a write unit, so the items are first looked up (keys
 * only, eventually consistent: half a read unit each, 100 per request):
 * - a new item is INSERTed with everything the batch brings to it, and what it holds afterwards is
 *   exactly what was inserted: an INSERT succeeds only when no one wrote the item before (a later
 *   writer finds it and is the one who reads);
 * - an existing item is UPDATEd, then read back, strongly consistent, once every write of the
 *   call is done: a read after our write sees any racer that wrote before it, and a racer that
 *   writes after it reads ours (README, "Anomaly detection").
 * A stale lookup only costs a statement: an INSERT onto an item a racer just created fails with
 * `DuplicateItem` and becomes an UPDATE; an UPDATE of an item that vanished meanwhile (TTL) fails
 * its condition without an old item and becomes an INSERT.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.update.html
 */
import type { AttributeValue, BatchStatementRequest, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATE_TABLE_KEY } from '../../shared/contract';
import { quotedName, runStatementRounds, tupleKey, type Answer, type ItemWrites } from './statement-rounds';
import type { DayWrite, EntriesWrite, StateItem, WrittenItems } from './store';

/** Entries per statement: keeps each far below PartiQL's 8 KB statement length. */
const ENTRIES_PER_STATEMENT = 100;
const PK = quotedName(STATE_TABLE_KEY.partition);
const TTL = quotedName(STATE_TABLE_KEY.ttl);

type Attributes = [name: string, value: AttributeValue][];

/** What one call's statements left to do once they are all answered. */
interface Settled {
  /** Items whose content is known without a read: created by this call's single INSERT. */
  readonly created: Map<string, StateItem>;
  /** Items to read back: updated, or found too full. */
  readonly toRead: Set<string>;
  readonly full: Set<string>;
}

function isTooLarge(code: string | undefined): boolean {
  return code === 'ValidationError';
}

/** Any code that is neither success nor an expected condition: the batch fails, and is retried whole. */
function unexpected(code: string): never {
  throw new Error(`A detector state write failed: ${code}.`);
}

export function stateStatements(table: string) {
  const from = quotedName(table);

  function insert(pk: string, attributes: Attributes, expiresAtSec: number): BatchStatementRequest {
    const keys = [STATE_TABLE_KEY.partition, STATE_TABLE_KEY.ttl, ...attributes.map(([name]) => name)];
    return {
      Statement: `INSERT INTO ${from} VALUE {${keys.map((k) => `${tupleKey(k)}: ?`).join(', ')}}`,
      Parameters: [{ S: pk }, { N: String(expiresAtSec) }, ...attributes.map(([, value]) => value)],
    };
  }

  /** Sets the attributes (and the expiry) of an existing item, if `condition` holds. */
  function update(
    pk: string,
    attributes: Attributes,
    expiresAtSec: number,
    condition?: { text: string; parameters: AttributeValue[] },
  ): BatchStatementRequest {
    const sets = [TTL, ...attributes.map(([name]) => quotedName(name))].map((n) => `SET ${n} = ?`).join(' ');
    return {
      Statement: `UPDATE ${from} ${sets} WHERE ${PK} = ?${condition ? ` AND (${condition.text})` : ''}`,
      Parameters: [
        { N: String(expiresAtSec) },
        ...attributes.map(([, value]) => value),
        { S: pk },
        ...(condition?.parameters ?? []),
      ],
      ...(condition ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
    };
  }

  return { insert, update };
}

/** One item's entries: INSERT the first chunk, UPDATE the rest (or all, when the item exists). */
function entriesWrites(
  statements: ReturnType<typeof stateStatements>,
  write: EntriesWrite,
  exists: boolean,
  expiresAtSec: number,
  settled: Settled,
): ItemWrites {
  const names = Object.keys(write.entries);
  const chunks: Attributes[] = [];
  for (let i = 0; i < Math.max(names.length, 1); i += ENTRIES_PER_STATEMENT)
    chunks.push(names.slice(i, i + ENTRIES_PER_STATEMENT).map((n) => [n, { S: write.entries[n] }]));
  let index = 0;
  let inserting = !exists;
  if (exists) settled.toRead.add(write.pk);
  return {
    next: exists
      ? statements.update(write.pk, chunks[0], expiresAtSec)
      : statements.insert(write.pk, chunks[0], expiresAtSec),
    answer({ code }: Answer) {
      if (isTooLarge(code)) {
        settled.full.add(write.pk);
        settled.toRead.add(write.pk);
        return undefined;
      }
      if (code === 'DuplicateItem' && inserting) inserting = false;
      else if (code === 'ConditionalCheckFailed' && !inserting) {
        // It vanished (TTL), with whatever chunks it took: everything goes again, from the first.
        inserting = true;
        index = 0;
      } else if (code !== undefined) unexpected(code);
      else if (inserting && chunks.length === 1) {
        settled.created.set(write.pk, { entries: { ...write.entries }, days: new Map() });
        return undefined;
      } else {
        settled.toRead.add(write.pk);
        index += 1;
        inserting = false;
        if (index === chunks.length) return undefined;
      }
      settled.toRead.add(write.pk);
      return inserting
        ? statements.insert(write.pk, chunks[index], expiresAtSec)
        : statements.update(write.pk, chunks[index], expiresAtSec);
    },
  };
}

function dayAttributes(day: number, count: number, sum: number): Attributes {
  return [
    [`n${day}`, { N: String(count) }],
    [`s${day}`, { N: String(sum) }],
  ];
}

/**
 * One profile item's days: INSERT them all; on an existing item, each day in turn unless the item
 * already holds it at least as large (a day only grows, so the larger count is the more complete);
 * a day already there still pushes the item's expiry forward.
 */
function daysWrites(
  statements: ReturnType<typeof stateStatements>,
  pk: string,
  days: readonly DayWrite[],
  exists: boolean,
  expiresAtSec: number,
  settled: Settled,
): ItemWrites {
  let index = exists ? 0 : -1; // -1: the INSERT of every day; then the day being updated; days.length: the expiry
  let reinserting = false; // the item vanished during an update, and every day is inserted again
  let expiryMoved = false;
  const insertFrom = (i: number) =>
    statements.insert(
      pk,
      days.slice(i).flatMap((d) => dayAttributes(d.day, d.aggregate.count, d.aggregate.sum)),
      expiresAtSec,
    );
  const updateDay = (d: DayWrite) =>
    statements.update(pk, dayAttributes(d.day, d.aggregate.count, d.aggregate.sum), expiresAtSec, {
      text: `${quotedName(`n${d.day}`)} IS MISSING OR ${quotedName(`n${d.day}`)} < ?`,
      parameters: [{ N: String(d.aggregate.count) }],
    });
  const afterDay = () => {
    index += 1;
    if (index < days.length) return updateDay(days[index]);
    // Every day was already as complete: the item still lives on from this write.
    return expiryMoved ? undefined : statements.update(pk, [], expiresAtSec);
  };
  if (exists) settled.toRead.add(pk);
  return {
    next: exists ? updateDay(days[0]) : insertFrom(0),
    answer({ code, item }: Answer) {
      if (index === -1 && code === undefined) {
        settled.created.set(pk, { entries: {}, days: new Map(days.map((d) => [d.day, d.aggregate])) });
        return undefined;
      }
      settled.toRead.add(pk);
      if (isTooLarge(code)) {
        settled.full.add(pk);
        return undefined;
      }
      if (index === days.length) return undefined; // the expiry refresh, answered either way
      if (index === -1) return code === 'DuplicateItem' ? afterDay() : unexpected(code ?? '');
      if (reinserting) {
        reinserting = false;
        if (code === undefined) return undefined; // every day is in, and the expiry
        return code === 'DuplicateItem' ? updateDay(days[index]) : unexpected(code);
      }
      if (code === undefined) expiryMoved = true;
      else if (code !== 'ConditionalCheckFailed') unexpected(code);
      else if (!item) {
        // It vanished (TTL), with whatever days it took: all of them go again.
        reinserting = true;
        index = 0;
        return insertFrom(0);
      }
      return afterDay();
    },
  };
}

function emptySettled(): Settled {
  return { created: new Map(), toRead: new Set(), full: new Set() };
}

/** How the writes read: strongly consistent items, and which items exist (keys only). */
export interface StateReads {
  read(pks: readonly string[]): Promise<Map<string, StateItem>>;
  existing(pks: readonly string[]): Promise<Set<string>>;
}

/** Runs the writes, then reads back what they could not know; every written item is in `items`. */
async function settle(
  client: DynamoDBClient,
  writes: ItemWrites[],
  settled: Settled,
  reads: StateReads,
  lookups: number,
): Promise<WrittenItems> {
  const statements = await runStatementRounds(client, writes);
  const items = new Map(settled.created);
  const toRead = [...settled.toRead];
  const fresh = toRead.length > 0 ? await reads.read(toRead) : new Map<string, StateItem>();
  for (const pk of toRead) items.set(pk, fresh.get(pk) ?? { entries: {}, days: new Map() });
  // A keys-only, eventually consistent lookup costs half a read unit.
  return { items, full: [...settled.full], writes: statements, reads: lookups / 2 + toRead.length };
}

export function dynamoStateWrites(client: DynamoDBClient, table: string, reads: StateReads) {
  const statements = stateStatements(table);

  async function addEntries(writes: readonly EntriesWrite[], expiresAtSec: number): Promise<WrittenItems> {
    const settled = emptySettled();
    const existing = await reads.existing(writes.map((w) => w.pk));
    const items = writes.map((w) => entriesWrites(statements, w, existing.has(w.pk), expiresAtSec, settled));
    return settle(client, items, settled, reads, writes.length);
  }

  async function recordDays(
    writes: readonly DayWrite[],
    expiresAtSec: number,
    likelyExisting: ReadonlySet<string> = new Set(),
  ): Promise<WrittenItems> {
    const settled = emptySettled();
    const byItem = new Map<string, DayWrite[]>();
    for (const write of writes) byItem.set(write.pk, [...(byItem.get(write.pk) ?? []), write]);
    const unsure = [...byItem.keys()].filter((pk) => !likelyExisting.has(pk));
    const existing = await reads.existing(unsure);
    const items = [...byItem].map(([pk, days]) =>
      daysWrites(statements, pk, days, likelyExisting.has(pk) || existing.has(pk), expiresAtSec, settled),
    );
    return settle(client, items, settled, reads, unsure.length);
  }

  return { addEntries, recordDays };
}
