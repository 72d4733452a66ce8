import { secondsSinceEvent } from '../../../lambda/validator/sla';

describe("a file's SLA latency", () => {
  const now = Date.parse('2026-11-29T10:05:30.250Z');

  it('is the seconds from the S3 event time to now, with milliseconds', () => {
    expect(secondsSinceEvent('2026-11-29T10:00:00.000Z', now)).toBe(330.25);
  });

  it('is never negative when the clocks of S3 and Lambda differ slightly', () => {
    expect(secondsSinceEvent('2026-11-29T10:05:30.300Z', now)).toBe(0);
  });

  it('is not made up when the event has no usable time', () => {
    expect(secondsSinceEvent(undefined, now)).toBeUndefined();
    expect(secondsSinceEvent('yesterday', now)).toBeUndefined();
  });
});
