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

export interface StateStore {
  /** Adds entries (a no-op for those already there) and returns the item as it is after the write. */
  addEntries(pk: string, entries: Readonly<Record<string, string>>, expiresAtSec: number): Promise<StateItem>;
  /**
   * Records a day's aggregate unless the item already holds one at least as large (a day only grows,
   * so the larger count is the more complete), and returns the item as it is afterwards.
   */
  recordDay(pk: string, day: number, aggregate: DayAggregate, expiresAtSec: number): Promise<StateItem>;
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

/** An item outgrew DynamoDB's 400 KB: the README's capacity limits say which and when. */
export class StateItemFullError extends Error {
  override readonly name = 'StateItemFullError';
}
