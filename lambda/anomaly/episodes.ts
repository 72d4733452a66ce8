/**
 * An episode is what one alert is about, named by a key that depends only on the transactions:
 * `rule|subject|window`. Per-transaction rules and the profile rule: the subject is the stored
 * transaction and the window is the transaction itself; windowed rules: the card, merchant or
 * charge and the window's slot (windowed.ts); tamper: the stream record of the change. The key is
 * what once.ts records before an alert is published, so each episode is alerted once. Pure.
 */
import { RULE_SEVERITY, type Anomaly, type RuleId, type Severity, type TransactionSummary } from './anomaly';
import type { Member } from './state/entries';
import { displayAmount, maskCard } from './transaction';
import type { WindowEpisode } from './windowed';
import type { ProfileVerdict } from './profile';
import type { AnomalyThresholds } from './thresholds';

export interface Episode {
  readonly key: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  /** The merchant the alert is filed under (SNS attribute and subject). */
  readonly merchantId: string;
  readonly reason: string;
  readonly details?: readonly string[];
  /** The transactions of the episode, safe to show (cards masked), in time order (maybe not all). */
  readonly transactions: readonly TransactionSummary[];
  /** How many transactions the episode holds in all. */
  readonly transactionCount: number;
  /** The stream records that fail, and are retried, when its alert cannot be sent. */
  readonly triggers: readonly string[];
  /** Per-transaction and tamper alerts of one rule and merchant share an e-mail. */
  readonly groupable: boolean;
}

export function summaryOfMember(member: Member): TransactionSummary {
  return {
    transactionId: member.transactionId,
    timestamp: new Date(member.epochMs).toISOString(),
    merchantId: member.merchantId,
    maskedCard: maskCard(member.cardLast4),
    amount: displayAmount(member.amount),
    currency: member.currency,
  };
}

/** A per-transaction or tamper anomaly (rules.ts, tamper.ts) as its episode. */
export function episodeOfAnomaly(anomaly: Anomaly, subject: string): Episode {
  return {
    key: `${anomaly.rule}|${subject}`,
    rule: anomaly.rule,
    severity: anomaly.severity,
    merchantId: anomaly.merchantId,
    reason: anomaly.reason,
    details: anomaly.details,
    transactions: [anomaly.transaction],
    transactionCount: 1,
    triggers: [anomaly.sequenceNumber],
    groupable: true,
  };
}

function windowReason(episode: WindowEpisode, limits: AnomalyThresholds, sample: Member): string {
  const card = maskCard(sample.cardLast4);
  const seconds = episode.spec.windowMs / 1000;
  const limit = episode.spec.limit;
  if (episode.spec.rule === 'velocity') {
    return `Card ${card} was used ${episode.count} times within ${seconds} s (the limit is ${limit}).`;
  }
  if (episode.spec.rule === 'duplicate') {
    return `Card ${card} was charged ${displayAmount(sample.amount)} ${sample.currency} at ${sample.merchantId} ${episode.count} times within ${seconds} s.`;
  }
  if (episode.spec.scope === 'merchant') {
    return `${episode.count} distinct cards made payments of at most ${limits.cardTestingSmallAmount} at merchant ${sample.merchantId} within ${seconds} s (the limit is ${limit}).`;
  }
  return `Card ${card} made ${episode.count} payments of at most ${limits.cardTestingSmallAmount} within ${seconds} s (the limit is ${limit}).`;
}

export function episodeOfWindow(
  episode: WindowEpisode,
  limits: AnomalyThresholds,
  triggers: readonly string[],
): Episode {
  const last = episode.members[episode.members.length - 1];
  return {
    key: `${episode.spec.rule}|${episode.subject}|w${episode.slot}`,
    rule: episode.spec.rule,
    severity: RULE_SEVERITY[episode.spec.rule],
    merchantId: last.merchantId,
    reason: windowReason(episode, limits, last),
    transactions: episode.members.map(summaryOfMember),
    transactionCount: episode.transactionCount,
    triggers,
    groupable: false,
  };
}

export function episodeOfProfile(
  member: Member,
  verdict: ProfileVerdict,
  limits: AnomalyThresholds,
  triggers: readonly string[],
): Episode {
  const mean = verdict.mean.toFixed(2);
  return {
    key: `unusual-amount|txn:${member.id}`,
    rule: 'unusual-amount',
    severity: RULE_SEVERITY['unusual-amount'],
    merchantId: member.merchantId,
    reason:
      `Amount ${displayAmount(member.amount)} ${member.currency} is at least ${limits.profileMultiplier} times the card's ` +
      `mean of ${mean} over its ${verdict.count} transactions in the ${limits.profileDays} days before.`,
    transactions: [summaryOfMember(member)],
    transactionCount: 1,
    triggers,
    groupable: true,
  };
}
