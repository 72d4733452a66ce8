/**
 * The file's SLA latency: seconds from its S3 event time (when S3 finished creating the object) to
 * now, when its final manifest is written. Retries keep the original event, so they count too.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html (eventTime)
 */
export function secondsSinceEvent(eventTime: string | undefined, nowMs: number): number | undefined {
  const created = eventTime === undefined ? Number.NaN : Date.parse(eventTime);
  // A hand-made event without a time gets no figure rather than a made-up one.
  if (Number.isNaN(created)) return undefined;
  // Lambda's and S3's clocks may differ by a few milliseconds; a latency is never negative.
  return Math.max(0, nowMs - created) / 1000;
}
