/**
 * One stored transaction as the state table records it: an attribute per transaction, named after
 * the transaction (so writing it again is a no-op: re-delivered records, retries and re-uploads
 * change nothing) and holding only what the rules and the alert text need. Pure.
 * The value is `|`-separated: merchant ids and transaction ids cannot hold `|` (contract.ts).
 */
import { createHash } from 'node:crypto';
import type { StoredTransaction } from '../transaction';

/** A transaction as the windowed and profile rules see it, from the batch or from state. */
export interface Member {
  /** The entry's attribute name: stable for one stored transaction. */
  readonly id: string;
  readonly epochMs: number;
  readonly amount: string;
  readonly amountValue: number;
  readonly currency: string;
  readonly merchantId: string;
  readonly transactionId: string;
  readonly cardHash: string;
  readonly cardLast4: string;
}

/** Attribute-name prefix of entries; other attributes of an item are its bookkeeping. */
export const ENTRY_PREFIX = 'tx';

/** A short, stable name for the stored transaction (its table key, and its merchant). */
export function entryId(txn: Pick<StoredTransaction, 'merchantId' | 'transactionId' | 'timestamp'>): string {
  const digest = createHash('sha256')
    .update(`${txn.merchantId}|${txn.transactionId}|${txn.timestamp}`)
    .digest('base64url');
  return `${ENTRY_PREFIX}${digest.slice(0, 16)}`;
}

export function memberOf(txn: StoredTransaction): Member {
  return {
    id: entryId(txn),
    epochMs: txn.epochMs,
    amount: txn.amount,
    amountValue: txn.amountValue,
    currency: txn.currency,
    merchantId: txn.merchantId,
    transactionId: txn.transactionId,
    cardHash: txn.cardHash,
    cardLast4: txn.cardLast4,
  };
}

/** The value stored for a member: everything but what the item's key already says. */
export function encodeEntry(member: Member): string {
  return [
    member.epochMs,
    member.amount,
    member.currency,
    member.merchantId,
    member.transactionId,
    member.cardHash,
    member.cardLast4,
  ].join('|');
}

/** A stored entry back to a member; undefined when it is not one of ours (it is then ignored). */
export function decodeEntry(id: string, value: string): Member | undefined {
  const parts = value.split('|');
  if (parts.length !== 7) return undefined;
  const [epoch, amount, currency, merchantId, transactionId, cardHash, cardLast4] = parts;
  const epochMs = Number(epoch);
  const amountValue = Number(amount);
  if (!Number.isFinite(epochMs) || !Number.isFinite(amountValue)) return undefined;
  return { id, epochMs, amount, amountValue, currency, merchantId, transactionId, cardHash, cardLast4 };
}

/** Members of a state item's entries (attribute name -> encoded value). */
export function membersOf(entries: Readonly<Record<string, string>>): Member[] {
  const members: Member[] = [];
  for (const [id, value] of Object.entries(entries)) {
    const member = decodeEntry(id, value);
    if (member) members.push(member);
  }
  return members;
}
