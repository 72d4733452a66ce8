/**
 * Turns episodes into e-mails. Pure. A windowed or profile episode is one e-mail naming its
 * transactions; per-transaction and tamper episodes of one rule and merchant found together share
 * an e-mail, so a bad file raises a handful of e-mails, not one per row. Each e-mail lists at most
 * MAX_LISTED_PER_ALERT transactions. SNS e-mail subjects must be ASCII, without line breaks, at
 * most 100 characters: https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { RULE_TITLE, type RuleId, type Severity, type TransactionSummary } from './anomaly';
import type { Episode } from './episodes';
import { holdsCardNumber, redactCardNumbers } from '../shared/card';
import { MERCHANT_ID_PATTERN } from '../shared/contract';
import { groupBy } from './windowed';

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
  /** The episodes this e-mail is about (their keys are recorded once it is sent). */
  readonly episodes: readonly Episode[];
  readonly transactionCount: number;
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium'];

function asciiLine(text: string): string {
  return text.replace(/[^\x20-\x7E]/g, '?');
}

export function formatSubject(severity: Severity, rule: RuleId, merchantId: string, count: number): string {
  const what = `${count} transaction${count === 1 ? '' : 's'}`;
  const full = `[${severity.toUpperCase()}] ${rule} - ${RULE_TITLE[rule]} - ${merchantId} (${what})`;
  const short = `[${severity.toUpperCase()}] ${rule} - ${merchantId} (${what})`;
  const subject = asciiLine(full.length <= MAX_SUBJECT_LENGTH ? full : short);
  return subject.length <= MAX_SUBJECT_LENGTH ? subject : `${subject.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

function describe(txn: TransactionSummary, index: number, why?: string, details?: readonly string[]): string {
  const amount = txn.amount === undefined ? '(unknown)' : `${txn.amount} ${txn.currency ?? ''}`.trim();
  return [
    `${index + 1}. Transaction ${txn.transactionId}`,
    `   Time:     ${txn.timestamp}`,
    `   Merchant: ${txn.merchantId}`,
    `   Card:     ${txn.maskedCard}`,
    `   Amount:   ${amount}`,
    ...(txn.uploadId ? [`   Upload:   ${txn.uploadId}`] : []),
    ...(why ? [`   Why:      ${why}`] : []),
    ...(details ?? []).map((detail) => `     - ${detail}`),
  ].join('\n');
}

/** The merchant id as stored, or a placeholder when it is not one (it goes to subjects and attributes). */
function safeMerchantId(merchantId: string): string {
  return MERCHANT_ID_PATTERN.test(merchantId) && !holdsCardNumber(merchantId)
    ? merchantId
    : '(invalid merchant id)';
}

/** One e-mail for episodes sharing a rule and a merchant (one windowed episode, or several per-transaction ones). */
export function formatAlert(episodes: readonly Episode[]): AlertMessage {
  if (episodes.length === 0) throw new RangeError('An alert needs at least one episode.');
  const { rule, severity } = episodes[0];
  // A tampered image can carry anything as its merchant: only a well-formed merchant id is shown.
  const merchantId = safeMerchantId(episodes[0].merchantId);
  const single = episodes.length === 1 && !episodes[0].groupable;
  const listed = single
    ? episodes[0].transactions.slice(0, MAX_LISTED_PER_ALERT).map((txn, i) => describe(txn, i))
    : episodes
        .slice(0, MAX_LISTED_PER_ALERT)
        .map((episode, i) => describe(episode.transactions[0], i, episode.reason, episode.details));
  const total = single ? episodes[0].transactionCount : episodes.length;
  const header = [
    `Severity: ${severity.toUpperCase()}`,
    `Rule:     ${rule} (${RULE_TITLE[rule]})`,
    `Merchant: ${merchantId}`,
    ...(single ? [`Why:      ${episodes[0].reason}`] : []),
    `Flagged:  ${total} transaction${total === 1 ? '' : 's'}` +
      (total > listed.length ? ` (the first ${listed.length} are listed)` : ''),
    '',
  ];
  const footer =
    total > listed.length
      ? ['', `... and ${total - listed.length} more, not listed. Query the table for the full set.`]
      : [];
  const body = [...header, listed.join('\n\n'), ...footer, '', 'Card numbers are masked.'].join('\n');
  return {
    rule,
    severity,
    merchantId,
    subject: formatSubject(severity, rule, merchantId, total),
    // Defence in depth: the table never holds a PAN, but a tampered field could carry one.
    body: redactCardNumbers(body),
    attributes: { severity, rule, merchant: merchantId },
    episodes,
    transactionCount: total,
  };
}

/** E-mails for a batch's episodes, most severe first. */
export function buildAlerts(episodes: readonly Episode[]): AlertMessage[] {
  const grouped = groupBy(
    episodes.filter((episode) => episode.groupable),
    (episode) => `${episode.rule}\u0000${episode.merchantId}`,
  );
  return [
    ...[...grouped.values()].map(formatAlert),
    ...episodes.filter((episode) => !episode.groupable).map((episode) => formatAlert([episode])),
  ].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}
