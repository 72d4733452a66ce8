/**
 * The rules over one batch, given what the state shows (state/history.ts). Pure. Returns the
 * episodes this batch must make sure are alerted: per-transaction rules on its own transactions,
 * the windowed rules on every window that holds one of them, the profile rule on them, and the
 * profile rule again on later transactions whose profile their days belong to.
 */
import type { InsertedTransaction } from './anomaly';
import { episodeOfAnomaly, episodeOfProfile, episodeOfWindow, type Episode } from './episodes';
import { unusualAmount } from './profile';
import { evaluateRules } from './rules';
import { dayOf } from './state/buckets';
import { memberOf, membersOf, type Member } from './state/entries';
import { cardDaysOf, type VisibleState } from './state/history';
import type { AnomalyThresholds } from './thresholds';
import { episodesFor, groupBy, windowSpecs } from './windowed';

export interface BatchTransaction extends InsertedTransaction {
  readonly member: Member;
}

export function toBatchTransaction(inserted: InsertedTransaction): BatchTransaction {
  return { ...inserted, member: memberOf(inserted.transaction) };
}

interface VisibleMembers {
  readonly byCard: ReadonlyMap<string, Member[]>;
  readonly byMerchant: ReadonlyMap<string, Member[]>;
}

/** Members visible in state, by card and by merchant (every entry carries both); decoded once per batch. */
function visibleMembers(visible: VisibleState): VisibleMembers {
  const byCard = new Map<string, Member[]>();
  const byMerchant = new Map<string, Member[]>();
  for (const [pk, item] of visible) {
    const target = pk.startsWith('card#') ? byCard : pk.startsWith('merchant#') ? byMerchant : undefined;
    if (!target) continue;
    for (const member of membersOf(item.entries)) {
      const key = target === byCard ? member.cardHash : member.merchantId;
      const list = target.get(key);
      if (list) list.push(member);
      else target.set(key, [member]);
    }
  }
  return { byCard, byMerchant };
}

function windowedEpisodes(
  batch: readonly BatchTransaction[],
  { byCard, byMerchant }: VisibleMembers,
  limits: AnomalyThresholds,
) {
  const sequenceOf = new Map(batch.map((entry) => [entry.member.id, entry.sequenceNumber]));
  const episodes: Episode[] = [];
  for (const spec of windowSpecs(limits)) {
    const scopeOf = spec.scope === 'merchant' ? (m: Member) => m.merchantId : (m: Member) => m.cardHash;
    const source = spec.scope === 'merchant' ? byMerchant : byCard;
    for (const [scope, entries] of groupBy(batch, (entry) => scopeOf(entry.member))) {
      const selves = entries.map((entry) => entry.member);
      for (const found of episodesFor(spec, source.get(scope) ?? [], selves)) {
        const triggers = found.selves.flatMap((id) => sequenceOf.get(id) ?? []);
        episodes.push(episodeOfWindow(found, limits, triggers));
      }
    }
  }
  return episodes;
}

/**
 * Count and sum of a card's transactions earlier the same day, from the state: each card-day is
 * sorted once per batch (prefix sums), so every verdict is a binary search, not a scan.
 */
function earlierTodayIndex(byCard: VisibleMembers['byCard']) {
  const days = new Map<string, { times: number[]; sums: number[] }>();
  function sortedDay(cardHash: string, day: number) {
    const key = `${cardHash}#${day}`;
    let found = days.get(key);
    if (!found) {
      const sorted = (byCard.get(cardHash) ?? [])
        .filter((m) => dayOf(m.epochMs) === day)
        .sort((x, y) => x.epochMs - y.epochMs);
      const sums = [0];
      for (const m of sorted) sums.push(sums[sums.length - 1] + m.amountValue);
      found = { times: sorted.map((m) => m.epochMs), sums };
      days.set(key, found);
    }
    return found;
  }
  return function earlierToday(member: Member) {
    const { times, sums } = sortedDay(member.cardHash, dayOf(member.epochMs));
    let low = 0;
    let high = times.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (times[mid] < member.epochMs) low = mid + 1;
      else high = mid;
    }
    return { count: low, sum: sums[low] };
  };
}

function profileEpisodes(
  batch: readonly BatchTransaction[],
  visible: VisibleState,
  members: VisibleMembers,
  limits: AnomalyThresholds,
) {
  const episodes: Episode[] = [];
  const earlierToday = earlierTodayIndex(members.byCard);
  /** The profile verdict on `member`: the profile items' days before its own, and its own day before it. */
  function verdictOn(member: Member) {
    const day = dayOf(member.epochMs);
    const days = cardDaysOf(visible, member.cardHash, day, limits.profileDays);
    return unusualAmount(member, day, days, earlierToday(member), limits);
  }
  const byCardDay = groupBy(batch, (entry) => `${entry.member.cardHash}#${dayOf(entry.member.epochMs)}`);
  for (const entries of byCardDay.values()) {
    const { cardHash, epochMs } = entries[0].member;
    const day = dayOf(epochMs);
    const triggers = entries.map((entry) => entry.sequenceNumber);
    for (const { member, sequenceNumber } of entries) {
      const verdict = verdictOn(member);
      if (verdict) episodes.push(episodeOfProfile(member, verdict, limits, [sequenceNumber]));
    }
    // Later transactions whose profile holds these (the same day after them, and the days after):
    // evaluated again with what is known now.
    const first = Math.min(...entries.map((entry) => entry.member.epochMs));
    for (const later of members.byCard.get(cardHash) ?? []) {
      const laterDay = dayOf(later.epochMs);
      if (later.epochMs <= first || laterDay > day + limits.profileDays) continue;
      const verdict = verdictOn(later);
      if (verdict) episodes.push(episodeOfProfile(later, verdict, limits, triggers));
    }
  }
  return episodes;
}

/** Every episode the batch must see alerted, once per key (the first finding of a key wins). */
export function findEpisodes(
  batch: readonly BatchTransaction[],
  visible: VisibleState,
  limits: AnomalyThresholds,
): Episode[] {
  const idOf = new Map(batch.map((entry) => [entry.sequenceNumber, entry.member.id]));
  const perTransaction = evaluateRules(batch, limits).map((anomaly) =>
    episodeOfAnomaly(anomaly, `txn:${idOf.get(anomaly.sequenceNumber)}`),
  );
  const members = visibleMembers(visible);
  const all = [
    ...perTransaction,
    ...windowedEpisodes(batch, members, limits),
    ...profileEpisodes(batch, visible, members, limits),
  ];
  const byKey = new Map<string, Episode>();
  for (const episode of all) {
    const seen = byKey.get(episode.key);
    if (!seen) byKey.set(episode.key, episode);
    else byKey.set(episode.key, { ...seen, triggers: [...new Set([...seen.triggers, ...episode.triggers])] });
  }
  return [...byKey.values()];
}
