/**
 * The detector's two kinds of state writes, for a whole batch at once, as PartiQL statements sent
 * 25 to a request (statement-rounds.ts, state-statements.ts). A PartiQL INSERT only creates and an
 * UPDATE only changes an existing item, and a failed statement still costs a write unit, so the
 * items are first looked up (keys only, eventually consistent: half a read unit each, 100 per
 * request):
 * - a new item is INSERTed with everything the batch brings to it, and holds exactly that
 *   afterwards: an INSERT succeeds only when no one wrote the item before;
 * - an existing item is UPDATEd, and the UPDATE returns the item as it is after it.
 * Either way the item comes back as the write left it, linearizably, as UpdateItem's ALL_NEW did:
 * of two racers, the later writer sees the earlier one (README, "Anomaly detection").
 * A stale lookup only costs a statement: an INSERT onto an item a racer just created fails with
 * `DuplicateItem` and becomes an UPDATE; an UPDATE of an item that vanished meanwhile (TTL) fails
 * its condition without an old item, and everything goes again as an INSERT.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runStatementRounds, type Answer, type ItemWrites } from './statement-rounds';
import {
  insertedItem,
  quotedName,
  type Attributes,
  type StateStatements,
  stateStatements,
} from './state-statements';
import { parseStateItem, type Item } from './stored-item';
import type { DayWrite, EntriesWrite, StateItem, WrittenItems } from './store';

/** Entries per statement: keeps each far below PartiQL's 8 KB statement length. */
const ENTRIES_PER_STATEMENT = 100;

/** What one call's statements left, once they are all answered. */
interface Settled {
  /** Each item as the last of its statements left it. */
  readonly latest: Map<string, Item>;
  /** Items to read back: full ones, and any whose answer carried no item. */
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

/** An item at 400 KB takes nothing more; it is read back as it is. */
function markFull(settled: Settled, pk: string): undefined {
  settled.full.add(pk);
  settled.toRead.add(pk);
  return undefined;
}

/** Takes an answer's item as the item's latest state; without one, the item is read back. */
function keep(settled: Settled, pk: string, item: Item | undefined): void {
  if (item) {
    settled.latest.set(pk, item);
    settled.toRead.delete(pk);
  } else settled.toRead.add(pk);
}

/** One item's entries: INSERT the first chunk, UPDATE the rest (or all, when the item exists). */
function entriesWrites(
  statements: StateStatements,
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
  const send = () =>
    inserting
      ? statements.insert(write.pk, chunks[index], expiresAtSec)
      : statements.update(write.pk, chunks[index], expiresAtSec);
  return {
    next: send(),
    answer({ code, item }: Answer) {
      if (isTooLarge(code)) return markFull(settled, write.pk);
      if (code === undefined) {
        keep(settled, write.pk, inserting ? insertedItem(write.pk, chunks[index], expiresAtSec) : item);
        index += 1;
        inserting = false;
        return index < chunks.length ? send() : undefined;
      }
      if (code === 'DuplicateItem' && inserting) inserting = false;
      else if (code === 'ConditionalCheckFailed' && !inserting) {
        // It vanished (TTL), with whatever chunks it took: everything goes again, from the first.
        inserting = true;
        index = 0;
      } else unexpected(code);
      return send();
    },
  };
}

function dayAttributes(days: readonly DayWrite[]): Attributes {
  return days.flatMap((d) => [
    [`n${d.day}`, { N: String(d.aggregate.count) }],
    [`s${d.day}`, { N: String(d.aggregate.sum) }],
  ]);
}

/**
 * One profile item's days: INSERT them all; on an existing item, each day in turn unless the item
 * already holds it at least as large (a day only grows, so the larger count is the more complete);
 * a day already there still pushes the item's expiry forward.
 */
function daysWrites(
  statements: StateStatements,
  pk: string,
  days: readonly DayWrite[],
  exists: boolean,
  expiresAtSec: number,
  settled: Settled,
): ItemWrites {
  let index = exists ? 0 : -1; // -1: the INSERT of every day; then the day being updated; days.length: the expiry
  let expiryMoved = false;
  const insertAll = () => statements.insert(pk, dayAttributes(days), expiresAtSec);
  const updateDay = (d: DayWrite) =>
    statements.update(pk, dayAttributes([d]), expiresAtSec, {
      text: `${quotedName(`n${d.day}`)} IS MISSING OR ${quotedName(`n${d.day}`)} < ?`,
      parameters: [{ N: String(d.aggregate.count) }],
    });
  const afterDay = () => {
    index += 1;
    if (index < days.length) return updateDay(days[index]);
    // Every day was already as complete: the item still lives on from this write.
    return expiryMoved ? undefined : statements.update(pk, [], expiresAtSec);
  };
  return {
    next: exists ? updateDay(days[0]) : insertAll(),
    answer({ code, item }: Answer) {
      if (isTooLarge(code)) return markFull(settled, pk);
      if (index === -1) {
        if (code === undefined) {
          keep(settled, pk, insertedItem(pk, dayAttributes(days), expiresAtSec));
          return undefined;
        }
        if (code !== 'DuplicateItem') unexpected(code);
        return afterDay();
      }
      if (code === undefined) {
        keep(settled, pk, item);
        expiryMoved = true;
      } else if (code !== 'ConditionalCheckFailed') unexpected(code);
      else if (!item) {
        // It vanished (TTL), with whatever days it took: all of them go again.
        index = -1;
        return insertAll();
      } else keep(settled, pk, item); // that day was already as complete
      return index >= days.length ? undefined : afterDay();
    },
  };
}

/** How the writes read: strongly consistent items, and which items exist (keys only). */
export interface StateReads {
  read(pks: readonly string[]): Promise<Map<string, StateItem>>;
  existing(pks: readonly string[]): Promise<Set<string>>;
}

function emptySettled(): Settled {
  return { latest: new Map(), toRead: new Set(), full: new Set() };
}

/** Runs the writes, then reads back what their answers did not show; every written item is in `items`. */
async function settle(
  client: DynamoDBClient,
  writes: ItemWrites[],
  settled: Settled,
  reads: StateReads,
  lookups: number,
): Promise<WrittenItems> {
  const statements = await runStatementRounds(client, writes);
  const items = new Map<string, StateItem>();
  for (const [pk, item] of settled.latest) items.set(pk, parseStateItem(item));
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
