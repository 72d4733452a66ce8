import type { RedriveMessage } from '../../../tools/redrive/messages';
import {
  exitCodeOf,
  RecordsLostError,
  runRedrive,
  TargetUnavailableError,
  type RedriveTarget,
} from '../../../tools/redrive/redrive';

const NOW = Date.parse('2026-11-29T12:00:00.000Z');
const file = (id: string, key: string): RedriveMessage => ({
  kind: 'async',
  id,
  functionName: 'lambda-validator-dev',
  condition: 'RetriesExhausted',
  error: 'Error: boom',
  event: { Records: [] },
  objectKeys: [key],
});
const batch = (id: string, firstArrival: string): RedriveMessage => ({
  kind: 'stream',
  id,
  functionName: 'lambda-anomaly-dev',
  condition: 'RetryAttemptsExhausted',
  error: 'Error: boom',
  batch: {
    shardId: 's#v1',
    startSequenceNumber: '1',
    endSequenceNumber: '9',
    approximateArrivalOfFirstRecord: firstArrival,
    approximateArrivalOfLastRecord: firstArrival,
    batchSize: 2,
    streamArn: 'arn:stream',
  },
});

/** A queue in memory whose replays succeed unless told otherwise. */
function fakeTarget(messages: RedriveMessage[], fail: Record<string, Error> = {}) {
  const queue = [...messages];
  const replayed: string[] = [];
  const replay = async (m: RedriveMessage) => {
    if (fail[m.id]) throw fail[m.id];
    replayed.push(m.id);
    return 'done';
  };
  const target: RedriveTarget = {
    description: 'a fake pipeline',
    list: async () => [...queue],
    replayAsync: replay,
    replayStream: replay,
    remove: async (m) => {
      queue.splice(queue.indexOf(m), 1);
    },
  };
  return { target, queue, replayed };
}

async function run(target: RedriveTarget, apply: boolean) {
  const lines: string[] = [];
  const summary = await runRedrive(target, { apply, say: (l) => lines.push(l), now: () => NOW });
  return { lines, summary, code: exitCodeOf(summary, apply) };
}

describe('npm run redrive', () => {
  const recent = '2026-11-29T11:00:00.000Z';
  const old = '2026-11-28T11:59:00.000Z';

  it('by default only lists, one line per message, and exits 1 while messages wait', async () => {
    const { target, queue, replayed } = fakeTarget([file('a', 'uploads/m/up-1.csv'), batch('b', recent)]);
    const { lines, code } = await run(target, false);
    expect(lines).toEqual([
      'redrive: a fake pipeline (dry run: add --apply to replay)',
      '[1/2] lambda-validator-dev uploads/m/up-1.csv (RetriesExhausted: Error: boom): would replay',
      '[2/2] lambda-anomaly-dev shard s#v1 sequence 1..9 (2 records) (RetryAttemptsExhausted: Error: boom): would replay',
      'redrive: 2 message(s), 2 to replay; replayed 0, failed again 0, lost 0.',
    ]);
    expect(replayed).toEqual([]);
    expect(queue).toHaveLength(2);
    expect(code).toBe(1);
  });

  it('exits 0 when the queues are empty', async () => {
    expect((await run(fakeTarget([]).target, false)).code).toBe(0);
  });

  it('with --apply replays each message and removes it from its queue, then exits 0', async () => {
    const { target, queue, replayed } = fakeTarget([file('a', 'uploads/m/up-1.csv'), batch('b', recent)]);
    const { lines, code } = await run(target, true);
    expect(replayed).toEqual(['a', 'b']);
    expect(queue).toEqual([]);
    expect(lines[1]).toMatch(/^\[1\/2\] .*: replayed: done$/);
    expect(lines.at(-1)).toBe('redrive: 2 message(s); replayed 2, failed again 0, lost 0.');
    expect(code).toBe(0);
  });

  it('keeps a message whose replay fails again, says why, and exits 1', async () => {
    const { target, queue } = fakeTarget([file('a', 'uploads/m/up-1.csv')], { a: new Error('still broken') });
    const { lines, code } = await run(target, true);
    expect(lines[1]).toMatch(/: failed again, kept in the queue: still broken$/);
    expect(queue).toHaveLength(1);
    expect(code).toBe(1);
  });

  it('does not replay a batch older than the stream keeps records: it says what was lost', async () => {
    const { target, replayed } = fakeTarget([batch('b', old)]);
    const { lines, code } = await run(target, true);
    expect(replayed).toEqual([]);
    expect(lines[1]).toMatch(/: lost: the stream no longer holds 2 record\(s\) of shard s#v1/);
    expect(code).toBe(1);
  });

  it('reports a batch as lost when the stream itself no longer has its records', async () => {
    const { target, queue } = fakeTarget([batch('b', recent)], { b: new RecordsLostError('trimmed') });
    const { lines, summary } = await run(target, true);
    expect(summary).toEqual({ listed: 1, replayed: 0, failed: 0, lost: 1 });
    expect(lines[1]).toMatch(/: lost: /);
    expect(queue).toHaveLength(1);
  });

  it('stops at once when the pipeline cannot be acted on at all, rather than failing every message', async () => {
    const denied = new TargetUnavailableError('access denied');
    const { target, replayed, queue } = fakeTarget(
      [file('a', 'uploads/m/up-1.csv'), file('b', 'uploads/m/up-2.csv')],
      { a: denied },
    );
    await expect(run(target, true)).rejects.toBe(denied);
    expect(replayed).toEqual([]);
    expect(queue).toHaveLength(2);
  });
});
