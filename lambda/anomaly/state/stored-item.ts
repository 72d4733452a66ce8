/**
 * State items as DynamoDB holds them, read back into what the detector needs. Pure. The kinds of
 * item never share attribute names: entries start with ENTRY_PREFIX, profile days are `n<day>`
 * (count) and `s<day>` (sum), alert claims have their own three attributes.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DayAggregate } from '../profile';
import { ENTRY_PREFIX } from './entries';
import type { AlertRecord, AlertStatus, StateItem } from './store';

export type Item = Record<string, AttributeValue>;

const DAY_ATTRIBUTE = /^([ns])(-?\d+)$/;
export const ALERT = { status: 'alert_status', token: 'claim_token', claimedAt: 'claimed_at' } as const;

export function parseAlert(item: Item): AlertRecord | undefined {
  const status = item[ALERT.status]?.S as AlertStatus | undefined;
  if (!status) return undefined;
  return {
    status,
    token: item[ALERT.token]?.S ?? '',
    claimedAtMs: Number(item[ALERT.claimedAt]?.N ?? 0),
  };
}

/** Reads any state item; an absent one is empty. */
export function parseStateItem(item: Item | undefined): StateItem {
  const entries: Record<string, string> = {};
  const counts = new Map<number, number>();
  const sums = new Map<number, number>();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (name.startsWith(ENTRY_PREFIX) && value.S !== undefined) {
      entries[name] = value.S;
      continue;
    }
    const day = DAY_ATTRIBUTE.exec(name);
    if (day && value.N !== undefined) (day[1] === 'n' ? counts : sums).set(Number(day[2]), Number(value.N));
  }
  const days = new Map<number, DayAggregate>();
  for (const [day, count] of counts) days.set(day, { count, sum: sums.get(day) ?? 0 });
  return { entries, days, alert: item ? parseAlert(item) : undefined };
}
