/**
 * Each alert sent once. Before an e-mail is published, the key of every episode it carries is
 * claimed in the state table (a conditional write); once published, the claim is marked sent; if
 * publishing fails, it is released and the records that found it fail, so Lambda retries them.
 * - A key already sent: nothing more is sent (re-delivered records, bisected batches, retries,
 *   re-uploads, two shards that both see one pattern).
 * - A key claimed by another invocation that is still running: wait for its outcome; if it does not
 *   come in time, the records fail and are retried later.
 * - A key claimed by an invocation that died (its claim is older than the function can run): it is
 *   taken over and sent. If that invocation died after publishing but before marking, the alert
 *   goes out twice: the one duplicate this design allows, never a lost alert.
 */
import { randomUUID } from 'node:crypto';
import { runBounded } from '../shared/run-bounded';
import { buildAlerts, type AlertMessage } from './alerts';
import type { Episode } from './episodes';
import { alertKey, expiryAfter } from './state/buckets';
import type { StateStore } from './state/store';

/** Sends one alert; rejects when it was not accepted. */
export type AlertPublisher = (alert: AlertMessage) => Promise<void>;

export interface OnceOptions {
  readonly store: StateStore;
  readonly publish: AlertPublisher;
  /** Longer than one invocation can run: a claim older than this is its claimant's no more. */
  readonly leaseMs: number;
  readonly retentionDays: number;
  /** Milliseconds the invocation has left; waiting stops well before. */
  readonly remainingMs: () => number;
  readonly now?: () => number;
  readonly pollMs?: number;
  readonly token?: string;
}

export interface SendOutcome {
  readonly alertsSent: number;
  /** Per alert sent, the stream records that found it (its episodes' triggers). */
  readonly sentTriggers: readonly (readonly string[])[];
  readonly alertsFailed: number;
  /** Episodes already alerted (or being alerted) by someone else. */
  readonly alreadySent: number;
  /** Sequence number -> why it must be retried. */
  readonly failures: Map<string, string>;
}

/** Claims in flight at once: a bad file can find hundreds of per-transaction episodes. */
const CLAIM_CONCURRENCY = 16;
/** Stop waiting for another invocation's claim this long before our own time is up. */
const WAIT_MARGIN_MS = 10_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function sendOnce(episodes: readonly Episode[], options: OnceOptions): Promise<SendOutcome> {
  const { store } = options;
  const now = options.now ?? Date.now;
  const token = options.token ?? randomUUID();
  const pollMs = options.pollMs ?? 250;
  const failures = new Map<string, string>();
  const fail = (episode: Episode, reason: string) => {
    for (const sequenceNumber of episode.triggers)
      if (!failures.has(sequenceNumber)) failures.set(sequenceNumber, reason);
  };
  let alertsSent = 0;
  const sentTriggers: string[][] = [];
  let alertsFailed = 0;
  let alreadySent = 0;
  let waiting = [...episodes];

  // Send what we claim at once (never hold a claim while waiting for another's: two invocations
  // waiting on each other would both stall); what another invocation holds is looked at again
  // until it is sent, abandoned, or we run short of time.
  while (waiting.length > 0) {
    const claimed: Episode[] = [];
    const stillHeld: Episode[] = [];
    const expiresAtSec = expiryAfter(now(), options.retentionDays);
    await runBounded(
      waiting.map((episode) => async () => {
        const result = await store.claimAlert(alertKey(episode.key), {
          token,
          nowMs: now(),
          staleBeforeMs: now() - options.leaseMs,
          expiresAtSec,
        });
        if (result.claimed) claimed.push(episode);
        else if (result.current.status === 'sent') alreadySent += 1;
        else stillHeld.push(episode);
      }),
      CLAIM_CONCURRENCY,
    );
    const alerts = buildAlerts(claimed);
    const results = await Promise.allSettled(alerts.map((alert) => options.publish(alert)));
    await Promise.all(
      results.map(async (result, index) => {
        const alert = alerts[index];
        const status = result.status === 'fulfilled' ? 'sent' : 'released';
        await Promise.all(
          alert.episodes.map((episode) => store.finishAlert(alertKey(episode.key), token, status)),
        );
        if (result.status === 'fulfilled') {
          alertsSent += 1;
          sentTriggers.push(alert.episodes.flatMap((episode) => episode.triggers));
          return;
        }
        alertsFailed += 1;
        // A released claim must be retried by some record, or the alert would be lost.
        if (alert.episodes.some((episode) => episode.triggers.length === 0)) {
          throw new Error(
            `The ${alert.rule} alert was not sent and names no record to retry: ${errorText(result.reason)}`,
          );
        }
        for (const episode of alert.episodes) {
          fail(
            episode,
            `The ${alert.rule} alert for ${alert.merchantId} was not sent: ${errorText(result.reason)}`,
          );
        }
      }),
    );
    waiting = stillHeld;
    if (waiting.length === 0) break;
    if (options.remainingMs() < WAIT_MARGIN_MS + pollMs) {
      for (const episode of waiting) {
        fail(
          episode,
          `Another invocation is sending the ${episode.rule} alert for ${episode.merchantId}; retried later.`,
        );
      }
      break;
    }
    await sleep(pollMs);
  }
  return { alertsSent, sentTriggers, alertsFailed, alreadySent, failures };
}
