import type { UploadStatusBody } from '../../../tools/local/merchant-client';
import { judgeSample, planSamples, REUPLOAD_SAMPLE } from '../../../tools/local/samples';
import type { LocalAlert } from '../../../tools/local/sns-sink';

const status = (fields: Partial<UploadStatusBody>): UploadStatusBody => ({
  type: 'upload',
  uploadId: 'up-x',
  status: 'completed',
  counts: { rows: 2, stored: 2, unchanged: 0, rejected: 0 },
  ...fields,
});
const alert = (rule: string): LocalAlert => ({
  time: '',
  messageId: '',
  topicArn: '',
  message: '',
  attributes: { rule, severity: 'high' },
});

describe('the sample plan', () => {
  test('known samples first, other CSV files after, the clean file again at the end', () => {
    const plan = planSamples(['zz.csv', 'with-cvv.csv', 'README.md', REUPLOAD_SAMPLE, 'anomalies.csv']);
    expect(plan.map((r) => r.label)).toEqual([
      REUPLOAD_SAMPLE,
      'anomalies.csv',
      'with-cvv.csv',
      'zz.csv',
      `${REUPLOAD_SAMPLE} (uploaded again)`,
    ]);
    expect(plan[3].expect).toEqual({ status: 'completed' });
    expect(plan[4].expect).toMatchObject({ allUnchanged: true, alerts: 'none' });
  });

  test('no re-upload without the clean file', () => {
    expect(planSamples(['anomalies.csv']).map((r) => r.file)).toEqual(['anomalies.csv']);
  });
});

describe('judging a sample', () => {
  test('nothing to say when it behaved', () => {
    expect(judgeSample({ status: 'completed', rejected: 'none', alerts: 'none' }, status({}), [])).toEqual(
      [],
    );
  });

  test.each([
    [{ status: 'refused' as const }, status({}), [], /status is completed, expected refused/],
    [{ status: 'completed' as const, rejected: 'some' as const }, status({}), [], /no row rejected/],
    [
      { status: 'completed' as const, alerts: 'none' as const },
      status({}),
      [alert('velocity')],
      /1 alerts, expected none/,
    ],
    [
      { status: 'completed' as const, alerts: ['velocity', 'duplicate'] },
      status({}),
      [alert('velocity')],
      /duplicate/,
    ],
    [{ status: 'completed' as const, allUnchanged: true }, status({}), [], /every row unchanged/],
    [
      { status: 'refused' as const, refusalCode: 'SENSITIVE_DATA' },
      status({ status: 'refused' }),
      [],
      /refusal code/,
    ],
  ])('reports %p', (expectation, actual, alerts, problem) => {
    expect(judgeSample(expectation, actual, alerts).join('; ')).toMatch(problem);
  });
});
