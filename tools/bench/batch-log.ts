/**
 * The anomaly function's own account of its work: one JSON line per stream batch, 'Stream batch
 * evaluated', with the transactions it evaluated and the state reads and writes it made
 * (lambda/anomaly/handler.ts). Summed here, the way a CloudWatch Logs Insights query would sum
 * them on AWS, so the bench measures what the function reports rather than re-deriving it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';

export const BATCH_LOG_MESSAGE = 'Stream batch evaluated';

export interface BatchLogTotals {
  batches: number;
  transactions: number;
  alertsSent: number;
  stateReads: number;
  stateWrites: number;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Pure: sums the batch lines of a log; other lines (EMF metrics, warnings, runtime text) are skipped. */
export function sumBatchLog(text: string): BatchLogTotals {
  const totals: BatchLogTotals = {
    batches: 0,
    transactions: 0,
    alertsSent: 0,
    stateReads: 0,
    stateWrites: 0,
  };
  for (const line of text.split('\n')) {
    if (!line.includes(BATCH_LOG_MESSAGE)) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line cut by a crash, or text that merely quotes the message
    }
    if (entry.message !== BATCH_LOG_MESSAGE) continue;
    totals.batches += 1;
    totals.transactions += count(entry.transactions);
    totals.alertsSent += count(entry.alertsSent);
    totals.stateReads += count(entry.stateReads);
    totals.stateWrites += count(entry.stateWrites);
  }
  return totals;
}

/** Per transaction, or undefined when the log saw none (a division by zero is no figure). */
export function perTransaction(totals: BatchLogTotals): { reads: number; writes: number } | undefined {
  if (totals.transactions === 0) return undefined;
  return { reads: totals.stateReads / totals.transactions, writes: totals.stateWrites / totals.transactions };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads a function's log once it has stopped growing: a worker's stdout reaches the log file
 * asynchronously, so the last batch's line can land just after the batch is acknowledged.
 */
export async function readSettledLog(
  file: string,
  { quietMs = 400, timeoutMs = 10_000 } = {},
): Promise<string> {
  const sizeOf = () => (existsSync(file) ? statSync(file).size : -1);
  const deadline = Date.now() + timeoutMs;
  let size = sizeOf();
  while (Date.now() < deadline) {
    await sleep(quietMs);
    const next = sizeOf();
    if (next === size) break;
    size = next;
  }
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
