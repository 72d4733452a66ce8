/**
 * The samples a merchant uploads on `npm start`, in order, with what each must show. The clean
 * file is uploaded a second time at the end: a re-upload changes nothing and raises no alert.
 * Pure: the plan and the judgement are unit-tested without servers.
 */
import type { LocalAlert } from './sns-sink';
import type { UploadStatusBody } from './merchant-client';

export interface SampleExpectation {
  status: UploadStatusBody['status'];
  /** `none`: no row rejected; `some`: at least one. */
  rejected?: 'none' | 'some';
  /** Every row already stored with the same content (a re-upload). */
  allUnchanged?: boolean;
  /** `none`, or the anomaly rules that must each raise at least one alert. */
  alerts?: 'none' | string[];
  /** The refusal code (status `refused`). */
  refusalCode?: string;
}

export interface SampleRun {
  file: string;
  label: string;
  expect: SampleExpectation;
}

export const REUPLOAD_SAMPLE = 'transactions-clean.csv';

const KNOWN: Record<string, SampleExpectation> = {
  'transactions-clean.csv': { status: 'completed', rejected: 'none', alerts: 'none' },
  'transactions-with-errors.csv': { status: 'completed', rejected: 'some', alerts: 'none' },
  'anomalies.csv': {
    status: 'completed',
    rejected: 'none',
    alerts: ['high-amount', 'round-amount', 'high-risk-country', 'velocity', 'card-testing', 'duplicate'],
  },
  'card-profile.csv': { status: 'completed', rejected: 'none', alerts: ['unusual-amount'] },
  'with-cvv.csv': { status: 'refused', refusalCode: 'SENSITIVE_DATA', alerts: 'none' },
};

/** Samples in a stable order (known ones first, as listed above), then the re-upload. */
export function planSamples(files: readonly string[]): SampleRun[] {
  const csv = files.filter((f) => f.endsWith('.csv'));
  const known = Object.keys(KNOWN).filter((f) => csv.includes(f));
  const others = csv.filter((f) => !(f in KNOWN)).sort();
  const runs: SampleRun[] = [...known, ...others].map((file) => ({
    file,
    label: file,
    // A sample we know nothing about must at least be processed, not fail.
    expect: KNOWN[file] ?? { status: 'completed' },
  }));
  if (csv.includes(REUPLOAD_SAMPLE)) {
    runs.push({
      file: REUPLOAD_SAMPLE,
      label: `${REUPLOAD_SAMPLE} (uploaded again)`,
      expect: { status: 'completed', rejected: 'none', allUnchanged: true, alerts: 'none' },
    });
  }
  return runs;
}

/** What differs from the expectation; empty when the sample behaved as expected. */
export function judgeSample(
  expect: SampleExpectation,
  status: UploadStatusBody,
  alerts: readonly LocalAlert[],
): string[] {
  const problems: string[] = [];
  const counts = status.counts ?? {};
  if (status.status !== expect.status) problems.push(`status is ${status.status}, expected ${expect.status}`);
  if (expect.rejected === 'none' && (counts.rejected ?? 0) > 0)
    problems.push(`${counts.rejected} rows rejected, expected none`);
  if (expect.rejected === 'some' && !((counts.rejected ?? 0) > 0))
    problems.push('no row rejected, expected some');
  if (expect.allUnchanged && !(counts.unchanged === counts.rows && (counts.stored ?? 0) === 0)) {
    problems.push(
      `expected every row unchanged, got ${counts.stored ?? 0} stored and ${counts.unchanged ?? 0} unchanged`,
    );
  }
  if (expect.refusalCode && status.refusal?.code !== expect.refusalCode) {
    problems.push(`refusal code is ${status.refusal?.code ?? 'none'}, expected ${expect.refusalCode}`);
  }
  if (expect.alerts === 'none' && alerts.length > 0) problems.push(`${alerts.length} alerts, expected none`);
  if (Array.isArray(expect.alerts)) {
    const rules = new Set(alerts.map((a) => a.attributes.rule));
    const missing = expect.alerts.filter((rule) => !rules.has(rule));
    if (missing.length > 0) problems.push(`no alert for rule(s) ${missing.join(', ')}`);
  }
  return problems;
}
