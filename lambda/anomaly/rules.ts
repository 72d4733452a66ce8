/**
 * The per-transaction rules. Pure: each looks at one stored transaction and the thresholds and
 * returns one anomaly per (rule, transaction) that trips. The rules over windows of time
 * (windowed.ts) and over a card's history (profile.ts) read the detector's state instead.
 */
import { anomalyFor, type Anomaly, type InsertedTransaction } from './anomaly';
import type { AnomalyThresholds } from './thresholds';
import { displayAmount } from './transaction';

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

export const RULES: readonly Rule[] = [highAmountRule, roundAmountRule, highRiskCountryRule];

/** Every per-transaction rule over one batch's INSERTs (the windowed ones are in windowed.ts). */
export const evaluateRules = (batch: readonly InsertedTransaction[], limits: AnomalyThresholds): Anomaly[] =>
  RULES.flatMap((rule) => rule(batch, limits));
