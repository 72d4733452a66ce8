import {
  benchJson,
  checkMeasures,
  figure,
  goalMet,
  shown,
  unshownFigures,
  type Measure,
  type RunMetadata,
} from '../../../tools/bench/figures';

const RUN: RunMetadata = {
  commit: 'abc1234',
  dirty: false,
  date: '2026-01-02T03:04:05.000Z',
  machine: {
    description: 'AMD EPYC (2 logical cores), 23.5 GiB RAM, linux 6, Node v20',
    cpu: 'AMD EPYC',
    logicalCores: 2,
    memoryGiB: 23.5,
    platform: 'linux',
    release: '6',
    node: 'v20',
  },
  options: { rows: 1_000_000, e2eRows: 20_000, skipGate: false },
};

function ratioMeasure(ratioText: string): Measure {
  const core = figure('validator-core-rows-per-second', 163_810.4, 'rows/s');
  const ratio = figure('validator-core-ratio', 0.5885, 'ratio', { digits: 2, goal: '>= 0.5' });
  return {
    row: ['validator core vs bare csv-parse', `${shown(core)} rows/s (ratio ${ratioText})`, 'ratio >= 0.5'],
    figures: [core, ratio],
  };
}

describe('bench figures', () => {
  test('a figure carries the value rounded as its row shows it, with grouping in the table only', () => {
    const f = figure('detector-capacity-rows-per-second', 1234.56, 'rows/s');
    expect(f.value).toBe(1235);
    expect(shown(f)).toBe('1,235');
    const s = figure('upload-to-last-alert-seconds', 12.349, 's', { digits: 1, goal: 'for comparison' });
    expect(s).toMatchObject({ value: 12.3, unit: 's', goal: 'for comparison' });
    expect(shown(s)).toBe('12.3');
    expect(shown(figure('state-reads-per-transaction', 2, 'reads/transaction', { digits: 2 }))).toBe('2.00');
  });

  test('an id that is not kebab-case, or a value that is not a number, is refused', () => {
    expect(() => figure('detectorRatio', 1, 'ratio')).toThrow(/kebab-case/);
    expect(() => figure('detector--ratio', 1, 'ratio')).toThrow(/kebab-case/);
    expect(() => figure('detector-ratio', Number.NaN, 'ratio')).toThrow(/finite/);
    expect(() => figure('detector-ratio', Number.POSITIVE_INFINITY, 'ratio')).toThrow(/finite/);
  });

  test('a row that shows another number than its figure is caught, digit for digit', () => {
    expect(unshownFigures(ratioMeasure('0.59'))).toEqual([]);
    expect(unshownFigures(ratioMeasure('0.58')).map((f) => f.id)).toEqual(['validator-core-ratio']);
    // Part of a longer number is not the number.
    expect(unshownFigures(ratioMeasure('10.59')).map((f) => f.id)).toEqual(['validator-core-ratio']);
    expect(unshownFigures(ratioMeasure('0.591')).map((f) => f.id)).toEqual(['validator-core-ratio']);
    expect(() => checkMeasures([ratioMeasure('0.6')])).toThrow(/does not show validator-core-ratio = 0.59/);
  });

  test('an id used twice in one run is refused', () => {
    expect(() => checkMeasures([ratioMeasure('0.59'), ratioMeasure('0.59')])).toThrow(/used twice/);
  });

  test('the JSON has the run metadata, every figure in table order with its row, and the failures', () => {
    const rss = figure('validator-peak-rss-mb', 139.4, 'MB', { goal: '< 200' });
    const measures: Measure[] = [
      ratioMeasure('0.59'),
      { row: ['peak RSS', `${shown(rss)} MB`, '< 200 MB'], figures: [rss] },
      { row: ['gate', 'could not run: no pack', ''], figures: [] },
    ];
    const json = benchJson(measures, RUN, ['gate: no pack']);
    expect(json.schema).toBe(1);
    expect(json.run).toEqual(RUN);
    expect(json).toMatchObject({ commit: 'abc1234', machine: RUN.machine });
    expect(json.figures).toEqual([
      {
        id: 'validator-core-rows-per-second',
        value: 163_810,
        unit: 'rows/s',
        goal: null,
        met: null,
        measure: 'validator core vs bare csv-parse',
      },
      {
        id: 'validator-core-ratio',
        value: 0.59,
        unit: 'ratio',
        goal: '>= 0.5',
        met: true,
        measure: 'validator core vs bare csv-parse',
      },
      { id: 'validator-peak-rss-mb', value: 139, unit: 'MB', goal: '< 200', met: true, measure: 'peak RSS' },
    ]);
    expect(json.failures).toEqual(['gate: no pack']);
    // It survives a round trip through JSON unchanged (no undefined, no NaN).
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test("a goal's bound decides met, on the value as shown; a goal in words decides nothing", () => {
    expect(goalMet(15, '<= 15 µs (batches)')).toBe(true);
    expect(goalMet(15.1, '<= 15 µs (batches)')).toBe(false);
    expect(goalMet(300, '< 300 s')).toBe(false);
    expect(goalMet(261, '< 300 s')).toBe(true);
    expect(goalMet(1.53, '>= 1 (the detector keeps up)')).toBe(true);
    expect(goalMet(0.48, '>= 0.5')).toBe(false);
    expect(goalMet(5.1, '> 5')).toBe(true);
    expect(goalMet(12_001, '< 12,000 rows')).toBe(false);
    expect(goalMet(3, 'feeds the SLA projection')).toBeNull();
    expect(goalMet(3, null)).toBeNull();
  });

  test('the JSON is refused when a row and its figures disagree', () => {
    expect(() => benchJson([ratioMeasure('0.60')], RUN)).toThrow(/does not show/);
  });
});
