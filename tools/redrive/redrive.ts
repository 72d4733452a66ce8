/**
 * `npm run redrive`: lists what the failure queues hold and, with `apply`, replays it. A validator
 * failure is re-invoked with its original S3 event; an anomaly failure re-reads its shard range while
 * the stream still holds it, and otherwise says what was lost and how to find those rows. A message
 * is removed only once its replay succeeded, so running it again is safe (the functions are
 * idempotent: a file stored again changes nothing, an alert is sent once).
 */
import { lostBatchAdvice, stillInStream, type RedriveMessage } from './messages';

type Replayable = Exclude<RedriveMessage, { kind: 'unreadable' }>;

/** Where the failure queues are and how to replay into the pipeline: locally or on AWS. */
export interface RedriveTarget {
  /** Said first: which pipeline this is. */
  readonly description: string;
  list(): Promise<RedriveMessage[]>;
  /** Re-invokes the function with the original event; resolves to what came of it. */
  replayAsync(message: Extract<RedriveMessage, { kind: 'async' }>): Promise<string>;
  /** Re-reads the shard range and invokes the function with it; resolves to what came of it. */
  replayStream(message: Extract<RedriveMessage, { kind: 'stream' }>): Promise<string>;
  /** Deletes the message from its queue (after a successful replay only). */
  remove(message: Replayable): Promise<void>;
}

/** The stream no longer holds a batch's records (read from the stream itself, past its age check). */
export class RecordsLostError extends Error {
  override readonly name = 'RecordsLostError';
}

/**
 * The pipeline cannot be acted on at all (no credentials, access denied, the stack not deployed):
 * every further message would fail the same way, so the run stops (exit 2) instead of counting
 * each one as failed again.
 */
export class TargetUnavailableError extends Error {
  override readonly name = 'TargetUnavailableError';
}

export interface RedriveOptions {
  readonly apply: boolean;
  readonly say: (line: string) => void;
  readonly now?: () => number;
}

export interface RedriveSummary {
  readonly listed: number;
  readonly replayed: number;
  /** Replay attempted and failed again: the message stays in its queue. */
  readonly failed: number;
  /** Past the stream's retention, or unreadable: nothing to replay. */
  readonly lost: number;
}

/**
 * Exit codes (README "npm run redrive"): 0 nothing left to do (the queues are empty, or every
 * message was replayed); 1 messages remain (dry run: waiting to be replayed; `--apply`: failed
 * again or lost); 2 the command could not run (usage, setup, the pipeline unreachable).
 */
export function exitCodeOf(summary: RedriveSummary, apply: boolean): 0 | 1 {
  if (!apply) return summary.listed === 0 ? 0 : 1;
  return summary.failed + summary.lost === 0 ? 0 : 1;
}

function describe(m: RedriveMessage): string {
  if (m.kind === 'unreadable') return `message ${m.id}`;
  const what =
    m.kind === 'async'
      ? m.objectKeys.join(', ')
      : `shard ${m.batch.shardId} sequence ${m.batch.startSequenceNumber}..${m.batch.endSequenceNumber} (${m.batch.batchSize} records)`;
  return `${m.functionName} ${what} (${m.condition}: ${m.error})`;
}

async function replay(target: RedriveTarget, m: Replayable): Promise<string> {
  return m.kind === 'async' ? target.replayAsync(m) : target.replayStream(m);
}

/** Lists, and with `apply` replays, every message; one progress line each, then a summary. */
export async function runRedrive(target: RedriveTarget, options: RedriveOptions): Promise<RedriveSummary> {
  const now = options.now ?? Date.now;
  const say = options.say;
  say(`redrive: ${target.description}${options.apply ? '' : ' (dry run: add --apply to replay)'}`);
  const messages = await target.list();
  const counts = { listed: messages.length, replayed: 0, failed: 0, lost: 0 };
  for (const [i, m] of messages.entries()) {
    const prefix = `[${i + 1}/${messages.length}] ${describe(m)}`;
    if (m.kind === 'unreadable') {
      counts.lost++;
      say(`${prefix}: cannot be replayed: ${m.reason}`);
      continue;
    }
    if (m.kind === 'stream' && !stillInStream(m.batch, now())) {
      counts.lost++;
      say(`${prefix}: lost: ${lostBatchAdvice(m)}`);
      continue;
    }
    if (!options.apply) {
      say(`${prefix}: would replay`);
      continue;
    }
    try {
      const outcome = await replay(target, m);
      await target.remove(m);
      counts.replayed++;
      say(`${prefix}: replayed: ${outcome}`);
    } catch (error) {
      if (error instanceof TargetUnavailableError) throw error;
      if (error instanceof RecordsLostError && m.kind === 'stream') {
        counts.lost++;
        say(`${prefix}: lost: ${lostBatchAdvice(m)}`);
      } else {
        counts.failed++;
        say(`${prefix}: failed again, kept in the queue: ${(error as Error).message}`);
      }
    }
  }
  const waiting = options.apply ? '' : `, ${counts.listed - counts.lost} to replay`;
  say(
    `redrive: ${counts.listed} message(s)${waiting}; replayed ${counts.replayed}, failed again ${counts.failed}, lost ${counts.lost}.`,
  );
  return counts;
}
