/**
 * Where the detector keeps what it has seen, as item keys of the state table (one string key,
 * `pk`). Pure. Each kind of item is bucketed by event time so that no key is hot and every read is
 * bounded:
 * - `card#<hash>#d<day>`: the card's transactions on one UTC day (windowed card rules). A window
 *   of at most half a day around a transaction touches its day and at most one neighbour.
 * - `merchant#<id>#b<n>`: a merchant's small payments in one bucket of twice the card-testing
 *   window, so a window around a payment touches at most two buckets. Only small payments are
 *   recorded: a big file spreads over many buckets and writes only what the rule needs.
 * - `profile#<hash>#p<n>`: per-day counts and sums of a card over one period of PROFILE_PERIOD_DAYS
 *   days; the profile days before and after a day touch at most two periods.
 * - `alert#<episode key>`: the once-only record of an alert (once.ts).
 * DynamoDB serves about 1,000 writes/s per partition key; spreading by time keeps one merchant's
 * big file, or one busy card, off a single key:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */

export const DAY_MS = 86_400_000;
/**
 * 64 days: the 30 profile days before a day and the 30 after it (61 days) touch at most two
 * periods, so a card's profile is its own period, as written, and one read.
 */
export const PROFILE_PERIOD_DAYS = 64;

/** Whole UTC days since the epoch. */
export function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

export function cardDayKey(cardHash: string, day: number): string {
  return `card#${cardHash}#d${day}`;
}

export function merchantBucketMs(cardTestingWindowSeconds: number): number {
  return 2 * cardTestingWindowSeconds * 1000;
}

export function merchantBucketKey(merchantId: string, bucket: number): string {
  return `merchant#${merchantId}#b${bucket}`;
}

export function profileKey(cardHash: string, period: number): string {
  return `profile#${cardHash}#p${period}`;
}

export function periodOf(day: number): number {
  return Math.floor(day / PROFILE_PERIOD_DAYS);
}

/** The TTL (epoch seconds) of an item written at `nowMs`: retention counts from the last write. */
export function expiryAfter(nowMs: number, retentionDays: number): number {
  return Math.ceil(nowMs / 1000) + retentionDays * (DAY_MS / 1000);
}

export function alertKey(episodeKey: string): string {
  return `alert#${episodeKey}`;
}

/**
 * The buckets (of `bucketMs`) that a window of `windowMs` on either side of `epochMs` touches,
 * other than the transaction's own. With bucketMs >= 2 * windowMs that is at most one.
 */
export function neighbourBuckets(epochMs: number, windowMs: number, bucketMs: number): number[] {
  const own = Math.floor(epochMs / bucketMs);
  const first = Math.floor((epochMs - windowMs) / bucketMs);
  const last = Math.floor((epochMs + windowMs) / bucketMs);
  const buckets: number[] = [];
  for (let b = first; b <= last; b += 1) if (b !== own) buckets.push(b);
  return buckets;
}

/** The profile periods that hold the `days` days before `day` and the `days` days after it. */
export function periodsAround(day: number, days: number): number[] {
  const first = periodOf(day - days);
  const last = periodOf(day + days);
  const periods: number[] = [];
  for (let p = first; p <= last; p += 1) periods.push(p);
  return periods;
}
