/**
 * The card-profile rule (unusual-amount): an amount at least `profileMultiplier` times the mean of
 * the card's earlier transactions (those of the `profileDays` UTC days before its own day, and those
 * of its own day before it), when there are at least `profileMinTransactions` of them. It is the "compromised card" scenario of the Fraud
 * Detection Handbook's simulator (Le Borgne et al., 2022, chapter 3.2), where amounts of a
 * compromised customer are multiplied by 5. Pure: the per-day counts and sums come from state.
 */
import type { AnomalyThresholds } from './thresholds';
import type { Member } from './state/entries';

export interface DayAggregate {
  readonly count: number;
  readonly sum: number;
}

/** A card's known days: UTC day number -> its count and sum. */
export type CardDays = ReadonlyMap<number, DayAggregate>;

export interface ProfileVerdict {
  readonly count: number;
  readonly mean: number;
}

export function aggregateOf(members: readonly Member[]): DayAggregate {
  let sum = 0;
  for (const member of members) sum += member.amountValue;
  return { count: members.length, sum };
}

/** The profile of `day`: the `days` whole days before it. */
export function profileBefore(cardDays: CardDays, day: number, days: number): ProfileVerdict {
  let count = 0;
  let sum = 0;
  for (let d = day - days; d < day; d += 1) {
    const aggregate = cardDays.get(d);
    if (!aggregate) continue;
    count += aggregate.count;
    sum += aggregate.sum;
  }
  return { count, mean: count === 0 ? 0 : sum / count };
}

/** The verdict when `member` is far above its card's profile, else undefined. */
export function unusualAmount(
  member: Member,
  day: number,
  cardDays: CardDays,
  earlierToday: DayAggregate,
  limits: AnomalyThresholds,
): ProfileVerdict | undefined {
  const before = profileBefore(cardDays, day, limits.profileDays);
  const count = before.count + earlierToday.count;
  if (count < limits.profileMinTransactions) return undefined;
  const mean = (before.mean * before.count + earlierToday.sum) / count;
  return member.amountValue >= limits.profileMultiplier * mean ? { count, mean } : undefined;
}

/**
 * Days after `day` whose profile includes `day` and that hold transactions: when an earlier day
 * grows (a late file, or a race), their transactions are evaluated again.
 */
export function laterDaysWithin(cardDays: CardDays, day: number, days: number): number[] {
  const later: number[] = [];
  for (const [d, aggregate] of cardDays) if (d > day && d <= day + days && aggregate.count > 0) later.push(d);
  return later.sort((a, b) => a - b);
}
