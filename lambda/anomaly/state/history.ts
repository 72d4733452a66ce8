/**
 * What one batch writes to, and reads from, the detector state before any rule runs:
 * 1. its transactions into their card-day items, and its small payments into their merchant
 *    buckets, all in a few batched requests (each item comes back as its own write left it);
 * 2. each touched card-day's count and sum into the card's profile item (same);
 * 3. then, strongly consistent, the neighbouring card-days and merchant buckets a window can reach,
 *    and the card's other profile period around each day;
 * 4. then the card-days after each touched day that its profile change reaches (late arrivals).
 * Writes always come before reads: of two batches racing on a card, the later reader sees both.
 */
import { isSmallPayment } from '../windowed';
import type { AnomalyThresholds } from '../thresholds';
import { aggregateOf, laterDaysWithin } from '../profile';
import {
  DAY_MS,
  cardDayKey,
  expiryAfter,
  dayOf,
  merchantBucketKey,
  merchantBucketMs,
  neighbourBuckets,
  periodOf,
  periodsAround,
  profileKey,
} from './buckets';
import { encodeEntry, membersOf, type Member } from './entries';
import { EMPTY_ITEM, type StateItem, type StateStore, type WrittenItems } from './store';

/** Everything the batch's rules may look at, by item key. */
export type VisibleState = ReadonlyMap<string, StateItem>;

function entriesOf(members: readonly Member[]): Record<string, string> {
  return Object.fromEntries(members.map((member) => [member.id, encodeEntry(member)]));
}

function cardWindowMs(limits: AnomalyThresholds): number {
  return (
    Math.max(limits.velocityWindowSeconds, limits.cardTestingWindowSeconds, limits.duplicateWindowSeconds) *
    1000
  );
}

export interface StateCounts {
  /** Write statements answered (store.ts, WrittenItems). */
  writes: number;
  /** Read units: 1 per item read strongly consistent, 1/2 per key-only lookup. */
  reads: number;
  /** Items too full to take this batch's entries (README, "Detector state", capacity). */
  full: number;
}

/** Appends to the list under `key`, creating it. */
function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Takes a batch of writes' answer into what the rules see, and into the counts. */
function takeWritten(written: WrittenItems, visible: Map<string, StateItem>, counts: StateCounts): void {
  for (const [pk, item] of written.items) visible.set(pk, item);
  counts.writes += written.writes;
  counts.reads += written.reads;
  counts.full += written.full.length;
}

export async function recordAndRead(
  store: StateStore,
  batch: readonly Member[],
  limits: AnomalyThresholds,
  nowMs: number,
  counts: StateCounts = { writes: 0, reads: 0, full: 0 },
): Promise<VisibleState> {
  const expiresAtSec = expiryAfter(nowMs, limits.stateRetentionDays);
  const visible = new Map<string, StateItem>();
  const bucketMs = merchantBucketMs(limits.cardTestingWindowSeconds);

  // 1. Entries: one statement per touched item (INSERT or UPDATE, as a key-only lookup finds it).
  const byItem = new Map<string, Member[]>();
  for (const member of batch) {
    addTo(byItem, cardDayKey(member.cardHash, dayOf(member.epochMs)), member);
    if (isSmallPayment(member, limits)) {
      addTo(byItem, merchantBucketKey(member.merchantId, Math.floor(member.epochMs / bucketMs)), member);
    }
  }
  // An item already at DynamoDB's 400 KB keeps what it has and is read instead, so one saturated
  // card-day or merchant bucket degrades its own windows, not the batch's other rules.
  const entries = [...byItem].map(([pk, members]) => ({ pk, entries: entriesOf(members) }));
  takeWritten(await store.addEntries(entries, expiresAtSec), visible, counts);

  // 2. Profiles: each touched card-day's aggregate, as complete as this batch saw it.
  const cardDays = new Map<string, { cardHash: string; day: number }>();
  for (const member of batch) {
    const day = dayOf(member.epochMs);
    cardDays.set(cardDayKey(member.cardHash, day), { cardHash: member.cardHash, day });
  }
  const days = [...cardDays].map(([cardDayPk, { cardHash, day }]) => ({
    pk: profileKey(cardHash, periodOf(day)),
    day,
    aggregate: aggregateOf(membersOf(visible.get(cardDayPk)?.entries ?? {})),
  }));
  // A card-day that held more than this batch brought was written before, and so was its card's
  // profile (every card-day write is followed by one): no need to look that profile up.
  const likelyExisting = new Set<string>();
  for (const [cardDayPk, { cardHash, day }] of cardDays) {
    const held = Object.keys(visible.get(cardDayPk)?.entries ?? {}).length;
    if (held > (byItem.get(cardDayPk)?.length ?? 0)) likelyExisting.add(profileKey(cardHash, periodOf(day)));
  }
  takeWritten(await store.recordDays(days, expiresAtSec, likelyExisting), visible, counts);

  // 3. Neighbours and the other profile periods, read afresh once every write above is done: a
  //    snapshot returned by one of our writes may predate another of our writes, and only a read
  //    after our own write is sure to see a racer that missed it. Own items are current as written.
  const windowMs = cardWindowMs(limits);
  const wanted = new Set<string>();
  for (const member of batch) {
    for (const day of neighbourBuckets(member.epochMs, windowMs, DAY_MS))
      wanted.add(cardDayKey(member.cardHash, day));
    if (isSmallPayment(member, limits)) {
      const ctMs = limits.cardTestingWindowSeconds * 1000;
      for (const b of neighbourBuckets(member.epochMs, ctMs, bucketMs))
        wanted.add(merchantBucketKey(member.merchantId, b));
    }
  }
  for (const { cardHash, day } of cardDays.values()) {
    for (const period of periodsAround(day, limits.profileDays)) {
      if (period !== periodOf(day)) wanted.add(profileKey(cardHash, period));
    }
  }
  await readFresh(store, visible, wanted, counts);

  // 4. Later days whose profile this batch's days belong to.
  const later = new Set<string>();
  for (const { cardHash, day } of cardDays.values()) {
    for (const d of laterDaysWithin(
      cardDaysOf(visible, cardHash, day, limits.profileDays),
      day,
      limits.profileDays,
    )) {
      later.add(cardDayKey(cardHash, d));
    }
  }
  await readFresh(store, visible, later, counts);
  return visible;
}

/** Strongly consistent reads of `wanted`, replacing any snapshot held: a read now is as new as any. */
async function readFresh(
  store: StateStore,
  visible: Map<string, StateItem>,
  wanted: ReadonlySet<string>,
  counts: StateCounts,
): Promise<void> {
  if (wanted.size === 0) return;
  const items = await store.read([...wanted]);
  counts.reads += wanted.size;
  for (const pk of wanted) visible.set(pk, items.get(pk) ?? EMPTY_ITEM);
}

/** A card's day aggregates from the profile periods around `day` that are visible. */
export function cardDaysOf(visible: VisibleState, cardHash: string, day: number, days: number) {
  const merged = new Map<number, { count: number; sum: number }>();
  for (const period of periodsAround(day, days)) {
    for (const [d, aggregate] of visible.get(profileKey(cardHash, period))?.days ?? [])
      merged.set(d, aggregate);
  }
  return merged;
}

/** The members of a card visible on the given days. */
export function cardMembers(visible: VisibleState, cardHash: string, days: Iterable<number>): Member[] {
  const members: Member[] = [];
  for (const day of days) members.push(...membersOf(visible.get(cardDayKey(cardHash, day))?.entries ?? {}));
  return members;
}
