/**
 * Turns anomalies into e-mails. Pure. One message per (rule, merchant) in a batch, listing at
 * most MAX_LISTED_PER_ALERT transactions, so a bad file raises a handful of e-mails, not one per
 * row. SNS e-mail subjects must be ASCII, without line breaks, at most 100 characters:
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { RULE_TITLE, type Anomaly, type RuleId, type Severity } from './anomaly';
import { holdsCardNumber, redactPans } from '../shared/card';
import { MERCHANT_ID_PATTERN } from '../shared/contract';
import { groupBy } from './windows';

export const MAX_LISTED_PER_ALERT = 20;
export const MAX_SUBJECT_LENGTH = 100;

export interface AlertMessage {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly merchantId: string;
  readonly subject: string;
  readonly body: string;
  /** SNS message attributes, for subscription filter policies. */
  readonly attributes: { readonly severity: string; readonly rule: string; readonly merchant: string };
  /** The stream records whose anomalies this message carries (they fail together if it cannot be sent). */
  readonly sequenceNumbers: readonly string[];
  readonly anomalyCount: number;
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium'];

const asciiLine = (text: string): string => text.replace(/[^\x20-\x7E]/g, '?');

export const formatSubject = (
  severity: Severity,
  rule: RuleId,
  merchantId: string,
  count: number,
): string => {
  const what = `${count} transaction${count === 1 ? '' : 's'}`;
  const full = `[${severity.toUpperCase()}] ${rule} - ${RULE_TITLE[rule]} - ${merchantId} (${what})`;
  const short = `[${severity.toUpperCase()}] ${rule} - ${merchantId} (${what})`;
  const subject = asciiLine(full.length <= MAX_SUBJECT_LENGTH ? full : short);
  return subject.length <= MAX_SUBJECT_LENGTH ? subject : `${subject.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
};

const describe = (anomaly: Anomaly, index: number): string => {
  const txn = anomaly.transaction;
  const amount = txn.amount === undefined ? '(unknown)' : `${txn.amount} ${txn.currency ?? ''}`.trim();
  const lines = [
    `${index + 1}. Transaction ${txn.transactionId}`,
    `   Time:     ${txn.timestamp}`,
    `   Merchant: ${txn.merchantId}`,
    `   Card:     ${txn.maskedCard}`,
    `   Amount:   ${amount}`,
    ...(txn.uploadId ? [`   Upload:   ${txn.uploadId}`] : []),
    `   Why:      ${anomaly.reason}`,
    ...(anomaly.details ?? []).map((detail) => `     - ${detail}`),
  ];
  return lines.join('\n');
};

/** The merchant id as stored, or a placeholder when it is not one (it goes to subjects and attributes). */
const safeMerchantId = (merchantId: string): string =>
  MERCHANT_ID_PATTERN.test(merchantId) && !holdsCardNumber(merchantId) ? merchantId : '(invalid merchant id)';

/** One e-mail for anomalies sharing a rule and a merchant. */
export const formatAlert = (group: readonly Anomaly[]): AlertMessage => {
  if (group.length === 0) throw new RangeError('An alert needs at least one anomaly.');
  const { rule, severity } = group[0];
  // A tampered image can carry anything as its merchant: only a well-formed merchant id is shown.
  const merchantId = safeMerchantId(group[0].merchantId);
  const listed = group.slice(0, MAX_LISTED_PER_ALERT);
  const header = [
    `Severity: ${severity.toUpperCase()}`,
    `Rule:     ${rule} (${RULE_TITLE[rule]})`,
    `Merchant: ${merchantId}`,
    `Flagged:  ${group.length} transaction${group.length === 1 ? '' : 's'} in one batch of stored records` +
      (group.length > listed.length ? ` (the first ${listed.length} are listed)` : ''),
    '',
  ];
  const footer =
    group.length > listed.length
      ? ['', `... and ${group.length - listed.length} more, not listed. Query the table for the full set.`]
      : [];
  const body = [...header, listed.map(describe).join('\n\n'), ...footer, '', 'Card numbers are masked.'].join(
    '\n',
  );
  return {
    rule,
    severity,
    merchantId,
    subject: formatSubject(severity, rule, merchantId, group.length),
    // Defence in depth: the table never holds a PAN, but a tampered field could carry one.
    body: redactPans(body),
    attributes: { severity, rule, merchant: merchantId },
    sequenceNumbers: [...new Set(group.map((anomaly) => anomaly.sequenceNumber))],
    anomalyCount: group.length,
  };
};

/** Groups a batch's anomalies by (rule, merchant), most severe first. */
export const buildAlerts = (anomalies: readonly Anomaly[]): AlertMessage[] =>
  [...groupBy(anomalies, (anomaly) => `${anomaly.rule}\u0000${anomaly.merchantId}`).values()]
    .map(formatAlert)
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
