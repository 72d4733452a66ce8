import { perTransaction, sumBatchLog } from '../../../tools/bench/batch-log';

function batchLine(fields: Record<string, unknown>): string {
  return JSON.stringify({
    level: 'INFO',
    message: 'Stream batch evaluated',
    timestamp: '2026-11-29T07:00:00.000Z',
    service: 'anomaly',
    ...fields,
  });
}

describe("the anomaly function's batch log", () => {
  test('sums transactions, alerts, state reads and writes over the batch lines only', () => {
    const log = [
      batchLine({ transactions: 100, alertsSent: 1, stateReads: 210, stateWrites: 200 }),
      '{"_aws":{"CloudWatchMetrics":[]},"StateReads":210}', // EMF metrics line
      JSON.stringify({ level: 'WARN', message: 'Stream record will be retried', transactions: 5 }),
      'Task timed out after 60.00 seconds',
      batchLine({ transactions: 40, alertsSent: 0, stateReads: 80, stateWrites: 81 }),
      '{"level":"INFO","message":"Stream batch evaluated","transactions":3', // cut by a crash
      '',
    ].join('\n');
    expect(sumBatchLog(log)).toEqual({
      batches: 2,
      transactions: 140,
      alertsSent: 1,
      stateReads: 290,
      stateWrites: 281,
    });
    expect(perTransaction(sumBatchLog(log))).toEqual({ reads: 290 / 140, writes: 281 / 140 });
  });

  test('a batch line without counts adds a batch and nothing else', () => {
    expect(sumBatchLog(batchLine({ records: 0 }))).toMatchObject({ batches: 1, transactions: 0 });
  });

  test('no transaction is no figure, not a division by zero', () => {
    expect(perTransaction(sumBatchLog(''))).toBeUndefined();
  });
});
