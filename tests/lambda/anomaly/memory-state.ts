/**
 * The state port in memory, with the semantics the DynamoDB adapter has: each operation on one item
 * is atomic, and a batch of writes returns each item as its own write left it. An optional `pause` runs before and after every
 * operation, so tests can interleave racing batches in any order they like.
 */
import type { DayAggregate } from '../../../lambda/anomaly/profile';
import type { AlertRecord, ClaimResult, StateItem, StateStore } from '../../../lambda/anomaly/state/store';

interface MutableItem {
  entries: Record<string, string>;
  days: Map<number, DayAggregate>;
  alert?: AlertRecord;
}

export interface MemoryStateStore extends StateStore {
  readonly items: Map<string, MutableItem>;
  readonly calls: { writes: number; reads: number };
}

function snapshot(item: MutableItem | undefined): StateItem {
  return item
    ? { entries: { ...item.entries }, days: new Map(item.days), alert: item.alert && { ...item.alert } }
    : { entries: {}, days: new Map() };
}

export function memoryStateStore(pause: () => Promise<void> = async () => undefined): MemoryStateStore {
  const items = new Map<string, MutableItem>();
  const calls = { writes: 0, reads: 0 };
  const itemOf = (pk: string) => {
    let item = items.get(pk);
    if (!item) items.set(pk, (item = { entries: {}, days: new Map() }));
    return item;
  };
  return {
    items,
    calls,
    async addEntries(writes) {
      const items = new Map<string, StateItem>();
      for (const { pk, entries } of writes) {
        await pause();
        calls.writes += 1;
        const item = itemOf(pk);
        Object.assign(item.entries, entries);
        items.set(pk, snapshot(item));
        await pause();
      }
      return { items, full: [], writes: writes.length, reads: 0 };
    },
    async recordDays(writes) {
      const items = new Map<string, StateItem>();
      for (const { pk, day, aggregate } of writes) {
        await pause();
        calls.writes += 1;
        const item = itemOf(pk);
        const current = item.days.get(day);
        if (!current || current.count < aggregate.count) item.days.set(day, aggregate);
        items.set(pk, snapshot(item));
        await pause();
      }
      return { items, full: [], writes: writes.length, reads: 0 };
    },
    async read(pks) {
      const out = new Map<string, StateItem>();
      for (const pk of pks) {
        await pause();
        calls.reads += 1;
        if (items.has(pk)) out.set(pk, snapshot(items.get(pk)));
      }
      return out;
    },
    async claimAlert(pk, claim): Promise<ClaimResult> {
      await pause();
      calls.writes += 1;
      const item = itemOf(pk);
      const current = item.alert;
      const free =
        !current ||
        current.status === 'released' ||
        (current.status === 'pending' && current.claimedAtMs < claim.staleBeforeMs);
      if (free) item.alert = { status: 'pending', token: claim.token, claimedAtMs: claim.nowMs };
      await pause();
      return free ? { claimed: true } : { claimed: false, current: { ...current! } };
    },
    async finishAlert(pk, token, status) {
      await pause();
      calls.writes += 1;
      const item = itemOf(pk);
      if (item.alert?.token === token) item.alert = { ...item.alert, status };
    },
  };
}
