/**
 * The README's alarm table is the operators' reference: each row must say what stack/alarms.ts
 * really configures (metric, statistic, period, threshold), and every alarm must have a row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineAlarms, type AlarmSpec } from '../../stack/alarms';
import { stackNames } from '../../stack/naming';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The table rows between the alarms markers, as cells. */
function documentedRows(): string[][] {
  const section = README.split('<!-- alarms:begin')[1]?.split('<!-- alarms:end -->')[0];
  if (!section) throw new Error('README.md has no alarms:begin … alarms:end section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** The first four cells of a spec's row, as the README writes them. */
function expectedCells(spec: AlarmSpec): string[] {
  const [first] = spec.metrics;
  const periods = spec.evaluationPeriods === 1 ? '1 period' : `${spec.evaluationPeriods} periods`;
  return [
    `\`${spec.name}\``,
    spec.metrics.map((m) => `${m.namespace} ${m.metricName}`).join(' + '),
    `${first.statistic}, ${spec.periodSeconds} s`,
    `> ${spec.threshold} in ${periods}`,
  ];
}

describe("the README's alarm table", () => {
  const specs = pipelineAlarms(stackNames('<s>'), { apiStage: 'v1' });
  const rows = documentedRows();

  it('has one row per alarm, in the same order', () => {
    expect(rows.map((r) => r[0])).toEqual(specs.map((s) => `\`${s.name}\``));
  });

  it.each(specs.map((s) => [s.name, s] as const))(
    'documents %s as configured, with a reason',
    (_name, spec) => {
      const row = rows.find((r) => r[0] === `\`${spec.name}\``)!;
      expect(row.slice(0, 4)).toEqual(expectedCells(spec));
      expect(row[4].length).toBeGreaterThan(20);
    },
  );
});
