/**
 * The detector's port to its durable state. Every operation is on one item and linearizable
 * (DynamoDB: a single-item write, or a strongly consistent read), which is what makes two racing
 * batches see each other: each first writes what it brings, then reads. Of two racers, the one
 * whose read comes last sees the other's write (README, "Anomaly detection", says why).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
 */
import type { DayAggregate } from '../profile';

/** Any state item, read as what the detector needs from it. */
export interface StateItem {
  /** Transaction entries (entries.ts), attribute name -> value. */
  readonly entries: Readonly<Record<string, string>>;
  /** Profile items: day -> count and sum. */
  readonly days: ReadonlyMap<number, DayAggregate>;
  /** Alert items (once.ts). */
  readonly alert?: AlertRecord;
}

export type AlertStatus = 'pending' | 'sent' | 'released';

export interface AlertRecord {
  readonly status: AlertStatus;
  readonly token: string;
  readonly claimedAtMs: number;
}

export type ClaimResult =
  { readonly claimed: true } | { readonly claimed: false; readonly current: AlertRecord };

/** Entries for one item (card-day or merchant bucket). */
export interface EntriesWrite {
  readonly pk: string;
  readonly entries: Readonly<Record<string, string>>;
}

/** One day's aggregate for a profile item. */
export interface DayWrite {
  readonly pk: string;
  readonly day: number;
  readonly aggregate: DayAggregate;
}

/** What a batch of writes left: every written item as its own last write left it. */
export interface WrittenItems {
  readonly items: ReadonlyMap<string, StateItem>;
  /** Items already at DynamoDB's 400 KB: they keep what they have (and are in `items` as read). */
  readonly full: readonly string[];
  /**
   * Statements DynamoDB answered (a failed condition costs a write unit too), and read units (items
   * under 4 KB): 1 per item read strongly consistent (a full one), 1/2 per item looked up by key only.
   */
  readonly writes: number;
  readonly reads: number;
}

export interface StateStore {
  /**
   * Adds each item's entries (a no-op for those already there) and returns each item as its own
   * write left it (linearizable, like UpdateItem's ALL_NEW): as inserted when this call created it,
   * else as the UPDATE returned it.
   */
  addEntries(writes: readonly EntriesWrite[], expiresAtSec: number): Promise<WrittenItems>;
  /**
   * Records each day's aggregate unless its item already holds one at least as large (a day only
   * grows, so the larger count is the more complete), and returns the items as they are afterwards.
   */
  recordDays(
    writes: readonly DayWrite[],
    expiresAtSec: number,
    /** Items the caller has reason to think exist: not looked up (a wrong guess costs a statement). */
    likelyExisting?: ReadonlySet<string>,
  ): Promise<WrittenItems>;
  /** Strongly consistent reads; absent items are absent from the map. */
  read(pks: readonly string[]): Promise<Map<string, StateItem>>;
  /**
   * Claims an alert key: succeeds when it is new, released, or pending since before `staleBeforeMs`
   * (its claimant is gone: the lease is the function's timeout); otherwise says what is there.
   */
  claimAlert(
    pk: string,
    claim: { token: string; nowMs: number; staleBeforeMs: number; expiresAtSec: number },
  ): Promise<ClaimResult>;
  /** Marks a claimed alert sent, or releases it so a retry can claim it; only while `token` holds it. */
  finishAlert(pk: string, token: string, status: 'sent' | 'released'): Promise<void>;
}

export const EMPTY_ITEM: StateItem = { entries: {}, days: new Map() };
