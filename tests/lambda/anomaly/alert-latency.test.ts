/** The SLA as far as the alerts: seconds from a file's creation to each alert its rows found. */
import { secondsSinceUploads } from '../../../lambda/anomaly/detector';
import type { BatchTransaction } from '../../../lambda/anomaly/evaluate';

const entry = (sequenceNumber: string, uploadedAt?: string) =>
  ({ sequenceNumber, transaction: { uploadedAt } }) as unknown as BatchTransaction;

describe('secondsSinceUploads', () => {
  const now = Date.parse('2026-03-01T10:05:00.000Z');
  const inserted = [
    entry('1', '2026-03-01T10:00:00.000Z'),
    entry('2', '2026-03-01T10:03:00.000Z'),
    entry('3'), // stored before uploaded_at was recorded
  ];

  it('times each sent alert from the newest file among the rows that found it', () => {
    expect(secondsSinceUploads(inserted, [['1'], ['1', '2']], now)).toEqual([300, 120]);
  });

  it('gives no figure to an alert no timed row found (tamper, or older rows)', () => {
    expect(secondsSinceUploads(inserted, [['record:9'], ['3']], now)).toEqual([]);
  });

  it('never reports a negative latency when clocks differ', () => {
    expect(secondsSinceUploads([entry('1', '2026-03-01T10:05:00.250Z')], [['1']], now)).toEqual([0]);
  });
});
