/**
 * The rules over a whole set of transactions at once: what the detector must alert, whatever
 * the files, batches, shards and arrival order were. The reference for the property tests.
 */
import { episodeOfAnomaly } from '../../../lambda/anomaly/episodes';
import { toBatchTransaction } from '../../../lambda/anomaly/evaluate';
import { aggregateOf, unusualAmount } from '../../../lambda/anomaly/profile';
import { evaluateRules } from '../../../lambda/anomaly/rules';
import { dayOf } from '../../../lambda/anomaly/state/buckets';
import type { Member } from '../../../lambda/anomaly/state/entries';
import type { AnomalyThresholds } from '../../../lambda/anomaly/thresholds';
import type { StoredTransaction } from '../../../lambda/anomaly/transaction';
import { crowdedEpisodes, groupBy, timeOrdered, windowSpecs } from '../../../lambda/anomaly/windowed';

/** Episode keys by rule family: per-transaction and windowed rules, and the profile rule. */
export interface Expected {
  readonly exact: Set<string>;
  readonly profile: Set<string>;
}

export function wholeHistory(
  transactions: readonly StoredTransaction[],
  limits: AnomalyThresholds,
): Expected {
  const batch = transactions.map((transaction, i) =>
    toBatchTransaction({ sequenceNumber: String(i), transaction }),
  );
  const members = batch.map((entry) => entry.member);
  const exact = new Set<string>();
  for (const anomaly of evaluateRules(batch, limits)) {
    exact.add(episodeOfAnomaly(anomaly, `txn:${batch[Number(anomaly.sequenceNumber)].member.id}`).key);
  }
  const allIds = new Set(members.map((member) => member.id));
  for (const spec of windowSpecs(limits)) {
    for (const [subject, group] of groupBy(members.filter(spec.applies), spec.subjectOf)) {
      for (const episode of crowdedEpisodes(spec, subject, timeOrdered(group), allIds)) {
        exact.add(`${spec.rule}|${subject}|w${episode.slot}`);
      }
    }
  }
  const profile = new Set<string>();
  for (const cardMembers of groupBy(members, (member) => member.cardHash).values()) {
    const days = new Map<number, ReturnType<typeof aggregateOf>>();
    for (const [day, dayMembers] of groupBy(cardMembers, (m: Member) => String(dayOf(m.epochMs)))) {
      days.set(Number(day), aggregateOf(timeOrdered(dayMembers)));
    }
    for (const member of cardMembers) {
      const day = dayOf(member.epochMs);
      const earlier = cardMembers.filter((m) => dayOf(m.epochMs) === day && m.epochMs < member.epochMs);
      if (unusualAmount(member, day, days, aggregateOf(earlier), limits)) {
        profile.add(`unusual-amount|txn:${member.id}`);
      }
    }
  }
  return { exact, profile };
}
