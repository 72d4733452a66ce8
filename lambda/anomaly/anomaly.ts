/**
 * What the detector finds, before it becomes an e-mail. Pure types and one constructor, so
 * the rules, tamper detection and alert formatting agree on a single shape.
 */
import { displayAmount, maskCard, type StoredTransaction } from './transaction';

export type Severity = 'critical' | 'high' | 'medium';

export type RuleId =
  | 'high-amount'
  | 'round-amount'
  | 'high-risk-country'
  | 'velocity'
  | 'card-testing'
  | 'duplicate'
  | 'unusual-amount'
  | 'tamper';

/** The transaction an alert is about, already safe to show: the card is masked. */
export interface TransactionSummary {
  readonly transactionId: string;
  readonly timestamp: string;
  readonly merchantId: string;
  readonly maskedCard: string;
  readonly amount?: string;
  readonly currency?: string;
  readonly uploadId?: string;
}

export interface Anomaly {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly merchantId: string;
  readonly transaction: TransactionSummary;
  /** One sentence: why this was flagged. */
  readonly reason: string;
  /** Extra lines (tamper: one per changed field, old versus new). */
  readonly details?: readonly string[];
  /** The stream record that produced it: it fails (and is retried) if this alert cannot be sent. */
  readonly sequenceNumber: string;
}

/** A stream INSERT the rules evaluate. */
export interface InsertedTransaction {
  readonly sequenceNumber: string;
  readonly transaction: StoredTransaction;
}

export const RULE_SEVERITY: Readonly<Record<RuleId, Severity>> = {
  'high-amount': 'high',
  'round-amount': 'medium',
  'high-risk-country': 'high',
  velocity: 'high',
  'card-testing': 'high',
  duplicate: 'medium',
  'unusual-amount': 'high',
  tamper: 'critical',
};

export const RULE_TITLE: Readonly<Record<RuleId, string>> = {
  'high-amount': 'amount over threshold',
  'round-amount': 'round amount over threshold',
  'high-risk-country': 'high-risk country',
  velocity: 'card used too often',
  'card-testing': 'possible card testing',
  duplicate: 'possible duplicate charge',
  'unusual-amount': "amount far above the card's profile",
  tamper: 'stored transaction changed or deleted',
};

export const summarise = (txn: StoredTransaction): TransactionSummary => ({
  transactionId: txn.transactionId,
  timestamp: txn.timestamp,
  merchantId: txn.merchantId,
  maskedCard: maskCard(txn.cardLast4),
  amount: displayAmount(txn.amount),
  currency: txn.currency,
  uploadId: txn.uploadId,
});

export const anomalyFor = (rule: RuleId, inserted: InsertedTransaction, reason: string): Anomaly => ({
  rule,
  severity: RULE_SEVERITY[rule],
  merchantId: inserted.transaction.merchantId,
  transaction: summarise(inserted.transaction),
  reason,
  sequenceNumber: inserted.sequenceNumber,
});
