/**
 * The anomaly rules. Pure: they see the INSERTs of one stream batch (the event source mapping
 * batches up to 100 records with a batching window, so the rows of one file arrive together)
 * and the thresholds, and return one anomaly per (rule, transaction) that trips. Windowed rules
 * therefore see only the transactions of the same batch; that bound is documented in the README.
 */
import { anomalyFor, type Anomaly, type InsertedTransaction } from './anomaly';
import type { AnomalyThresholds } from './thresholds';
import { displayAmount, maskCard } from './transaction';
import { flagCrowdedWindows, groupBy } from './windows';

type Rule = (batch: readonly InsertedTransaction[], limits: AnomalyThresholds) => Anomaly[];

const money = (entry: InsertedTransaction): string =>
  `${displayAmount(entry.transaction.amount)} ${entry.transaction.currency}`;

/** True when the exact decimal is a whole multiple of 100 (e.g. "5000", "5000.00"; not "5000.50"). */
export const isRoundAmount = (amount: string): boolean => {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return false;
  const [, whole, fraction = ''] = match;
  return /^0*$/.test(fraction) && BigInt(whole) % 100n === 0n && BigInt(whole) > 0n;
};

export const highAmountRule: Rule = (batch, limits) =>
  batch
    .filter((entry) => entry.transaction.amountValue > limits.amountThreshold)
    .map((entry) =>
      anomalyFor(
        'high-amount',
        entry,
        `Amount ${money(entry)} is over the threshold of ${limits.amountThreshold}.`,
      ),
    );

export const roundAmountRule: Rule = (batch, limits) =>
  batch
    .filter(
      (entry) =>
        entry.transaction.amountValue >= limits.roundAmountThreshold &&
        isRoundAmount(entry.transaction.amount),
    )
    .map((entry) =>
      anomalyFor(
        'round-amount',
        entry,
        `Amount ${money(entry)} is a whole multiple of 100 at or over the threshold of ${limits.roundAmountThreshold}.`,
      ),
    );

export const highRiskCountryRule: Rule = (batch, limits) =>
  batch
    .filter(
      (entry) => entry.transaction.country && limits.highRiskCountries.includes(entry.transaction.country),
    )
    .map((entry) =>
      anomalyFor(
        'high-risk-country',
        entry,
        `Country ${entry.transaction.country} is on the high-risk list (${limits.highRiskCountries.join(', ')}).`,
      ),
    );

const timed = (entry: InsertedTransaction) => ({ entry, epochMs: entry.transaction.epochMs });

export const velocityRule: Rule = (batch, limits) => {
  const anomalies: Anomaly[] = [];
  for (const cardEntries of groupBy(batch, (entry) => entry.transaction.cardHash).values()) {
    const flagged = flagCrowdedWindows(
      cardEntries.map(timed),
      limits.velocityWindowSeconds * 1000,
      limits.velocityMaxCount,
      (item) => item.entry.sequenceNumber,
    );
    for (const [{ entry }, count] of flagged) {
      const card = maskCard(entry.transaction.cardLast4);
      anomalies.push(
        anomalyFor(
          'velocity',
          entry,
          `Card ${card} was used ${count} times within ${limits.velocityWindowSeconds} s (the limit is ${limits.velocityMaxCount}).`,
        ),
      );
    }
  }
  return anomalies;
};

/** Small probes: many on one card, or many distinct cards at one merchant, in a short burst. */
export const cardTestingRule: Rule = (batch, limits) => {
  const small = batch.filter((entry) => entry.transaction.amountValue <= limits.cardTestingSmallAmount);
  const windowMs = limits.cardTestingWindowSeconds * 1000;
  const reasons = new Map<InsertedTransaction, string>();
  for (const cardEntries of groupBy(small, (entry) => entry.transaction.cardHash).values()) {
    const flagged = flagCrowdedWindows(
      cardEntries.map(timed),
      windowMs,
      limits.cardTestingMaxSmallPerCard,
      (item) => item.entry.sequenceNumber,
    );
    for (const [{ entry }, count] of flagged) {
      reasons.set(
        entry,
        `Card ${maskCard(entry.transaction.cardLast4)} made ${count} payments of at most ${limits.cardTestingSmallAmount} within ${limits.cardTestingWindowSeconds} s (the limit is ${limits.cardTestingMaxSmallPerCard}).`,
      );
    }
  }
  for (const merchantEntries of groupBy(small, (entry) => entry.transaction.merchantId).values()) {
    const flagged = flagCrowdedWindows(
      merchantEntries.map(timed),
      windowMs,
      limits.cardTestingMaxCardsPerMerchant,
      (item) => item.entry.transaction.cardHash,
    );
    for (const [{ entry }, cards] of flagged) {
      if (reasons.has(entry)) continue;
      reasons.set(
        entry,
        `${cards} distinct cards made payments of at most ${limits.cardTestingSmallAmount} at merchant ${entry.transaction.merchantId} within ${limits.cardTestingWindowSeconds} s (the limit is ${limits.cardTestingMaxCardsPerMerchant}).`,
      );
    }
  }
  return [...reasons].map(([entry, reason]) => anomalyFor('card-testing', entry, reason));
};

/** A later transaction with the same card, amount and merchant as an earlier one in the window. */
export const duplicateRule: Rule = (batch, limits) => {
  const anomalies: Anomaly[] = [];
  const sameCharge = (entry: InsertedTransaction) =>
    [
      entry.transaction.cardHash,
      entry.transaction.merchantId,
      entry.transaction.amountValue,
      entry.transaction.currency,
    ].join('|');
  for (const charges of groupBy(batch, sameCharge).values()) {
    const sorted = [...charges].sort((a, b) => a.transaction.epochMs - b.transaction.epochMs);
    for (let i = 1; i < sorted.length; i += 1) {
      const current = sorted[i];
      const original = sorted
        .slice(0, i)
        .find(
          (earlier) =>
            current.transaction.epochMs - earlier.transaction.epochMs <= limits.duplicateWindowSeconds * 1000,
        );
      if (!original) continue;
      anomalies.push(
        anomalyFor(
          'duplicate',
          current,
          `Same card, amount and merchant as transaction ${original.transaction.transactionId} at ${original.transaction.timestamp} (within ${limits.duplicateWindowSeconds} s).`,
        ),
      );
    }
  }
  return anomalies;
};

export const RULES: readonly Rule[] = [
  highAmountRule,
  roundAmountRule,
  highRiskCountryRule,
  velocityRule,
  cardTestingRule,
  duplicateRule,
];

/** Every rule over one batch's INSERTs. */
export const evaluateRules = (batch: readonly InsertedTransaction[], limits: AnomalyThresholds): Anomaly[] =>
  RULES.flatMap((rule) => rule(batch, limits));
