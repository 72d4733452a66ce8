import type { DynamoDBRecord } from 'aws-lambda';
import { classifyResponse, deliverBatch, type MappingSemantics } from '../../../tools/local/stream-batches';

const NOW = 1_800_000_000_000;
const record = (seq: number, ageSeconds = 0): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: String(seq), ApproximateCreationDateTime: NOW / 1000 - ageSeconds },
});
const batch = (...seqs: number[]) => seqs.map((s) => record(s));
const seqs = (records: DynamoDBRecord[]) => records.map((r) => Number(r.dynamodb!.SequenceNumber));
const failures = (...ids: unknown[]) => ({
  batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })),
});

const SEMANTICS: MappingSemantics = {
  bisectOnError: true,
  maximumRetryAttempts: 3,
  maximumRecordAgeSeconds: 3600,
  reportBatchItemFailures: true,
};

/** A scripted function: answers each invocation in turn and records what it received. */
const scripted = (...answers: ((records: DynamoDBRecord[]) => unknown)[]) => {
  const calls: number[][] = [];
  const invoke = async (records: DynamoDBRecord[]) => {
    calls.push(seqs(records));
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    return answer(records);
  };
  return { calls, invoke };
};
const fail = () => {
  throw Object.assign(new Error('boom'), { errorType: 'Error', errorMessage: 'boom' });
};

describe('classifyResponse (Lambda partial batch response rules)', () => {
  test.each([
    ['null', null],
    ['an empty object', {}],
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
  ])('%s is a complete success', (_name, response) => {
    expect(classifyResponse(batch(1, 2), response, true)).toEqual({ kind: 'success' });
  });

  test('the checkpoint is the lowest reported sequence number', () => {
    expect(classifyResponse(batch(10, 20, 30), failures('30', '20'), true)).toEqual({
      kind: 'partial',
      checkpoint: 1,
    });
  });

  test.each([[''], [null], ['99']])('itemIdentifier %p makes the whole batch a failure', (id) => {
    expect(classifyResponse(batch(10, 20), failures(id), true).kind).toBe('error');
  });

  test('without ReportBatchItemFailures the response is ignored', () => {
    expect(classifyResponse(batch(10, 20), failures('20'), false)).toEqual({ kind: 'success' });
  });
});

describe('deliverBatch (event source mapping semantics)', () => {
  test('a successful batch is invoked once', async () => {
    const fn = scripted(() => null);
    expect(await deliverBatch(batch(1, 2, 3), SEMANTICS, fn.invoke, () => NOW)).toEqual({
      invocations: 1,
      dropped: [],
    });
  });

  test('a partial failure re-sends the records from the checkpoint on, not the ones before', async () => {
    const fn = scripted(
      () => failures('3'),
      () => null,
    );
    await deliverBatch(batch(1, 2, 3, 4), SEMANTICS, fn.invoke, () => NOW);
    expect(fn.calls).toEqual([
      [1, 2, 3, 4],
      [3, 4],
    ]);
  });

  test('a function error bisects the batch, and only the failing half is retried until dropped', async () => {
    const fn = scripted((records) => (seqs(records).includes(4) ? fail() : null));
    const report = await deliverBatch(batch(1, 2, 3, 4), SEMANTICS, fn.invoke, () => NOW);
    expect(fn.calls.slice(0, 4)).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3]]);
    // [4] alone: first try plus maximumRetryAttempts retries, then the failure destination.
    expect(fn.calls.filter((c) => c.length === 1 && c[0] === 4)).toHaveLength(
      SEMANTICS.maximumRetryAttempts + 1,
    );
    expect(report.dropped).toEqual([
      expect.objectContaining({ condition: 'RetryAttemptsExhausted', attempts: 4, records: [record(4)] }),
    ]);
  });

  test('without bisect a failing batch is retried whole, a bounded number of times', async () => {
    const fn = scripted(fail);
    const report = await deliverBatch(
      batch(1, 2),
      { ...SEMANTICS, bisectOnError: false },
      fn.invoke,
      () => NOW,
    );
    expect(fn.calls).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(report.dropped[0]).toEqual(
      expect.objectContaining({ condition: 'RetryAttemptsExhausted', attempts: 4 }),
    );
  });

  test('records older than the maximum record age are dropped instead of retried', async () => {
    const fn = scripted(fail);
    const old = [record(1, 7200)];
    const report = await deliverBatch(old, SEMANTICS, fn.invoke, () => NOW);
    expect(fn.calls).toHaveLength(1);
    expect(report.dropped[0].condition).toBe('EventAgeExceeded');
  });

  test('records are delivered in sequence order whatever order they came in', async () => {
    const fn = scripted(() => null);
    await deliverBatch(batch(30, 100, 4), SEMANTICS, fn.invoke, () => NOW);
    expect(fn.calls).toEqual([[4, 30, 100]]);
  });
});
