import {
  consoleTable,
  machineDescription,
  markdownReport,
  runMetadata,
  type Row,
} from '../../../tools/bench/report';

const ROWS: Row[] = [
  ['validator core vs bare csv-parse', '200,000 vs 300,000 rows/s (ratio 0.67)', 'ratio >= 0.5'],
  ['a | b', '1 s', '< 2 s'],
];

describe('the benchmark report', () => {
  test('the Markdown has the machine, one row per measure, and escaped pipes', () => {
    const md = markdownReport(ROWS, ['a note'], new Date('2026-01-02T03:04:05Z'));
    expect(md).toContain('2026-01-02T03:04:05.000Z');
    expect(md).toContain(machineDescription());
    expect(md).toContain(
      '| validator core vs bare csv-parse | 200,000 vs 300,000 rows/s (ratio 0.67) | ratio >= 0.5 |',
    );
    expect(md).toContain('| a \\| b | 1 s | < 2 s |');
    expect(md).toContain('- a note');
  });

  test('the console table aligns its columns', () => {
    const lines = consoleTable(ROWS).split('\n');
    expect(lines).toHaveLength(4);
    const resultColumn = lines[0].indexOf('Result');
    expect(lines[2].indexOf('200,000')).toBe(resultColumn);
    expect(lines[3].indexOf('1 s')).toBe(resultColumn);
  });

  test("the JSON's run metadata names the commit, the date, the machine and the options", () => {
    const run = runMetadata(new Date('2026-01-02T03:04:05Z'), { rows: 1000, skipGate: true });
    expect(run.date).toBe('2026-01-02T03:04:05.000Z');
    expect(run.commit).toMatch(/^([0-9a-f]{7,}|unknown)$/);
    expect(typeof run.dirty).toBe('boolean');
    expect(run.machine.description).toBe(machineDescription());
    expect(run.machine.logicalCores).toBeGreaterThan(0);
    expect(run.options).toEqual({ rows: 1000, skipGate: true });
  });
});
