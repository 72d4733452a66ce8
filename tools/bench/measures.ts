/**
 * Table rows of the validator's and the functions' measures, each built from its figures
 * (figures.ts), so the Markdown table and the JSON say the same numbers. The end-to-end, detector
 * and SLA rows are in detection-measures.ts, the gate's in gate.ts.
 */
import { figure, shown, type Measure } from './figures';
import type { FunctionBench } from './functions';
import type { ValidatorCoreBench } from './validator-core';
import type { WriteCostBench } from './write-cost';

export function coreMeasures(b: ValidatorCoreBench): Measure[] {
  const rows = figure('validator-core-file-rows', b.rows, 'rows');
  const core = figure('validator-core-rows-per-second', b.core.rowsPerSecond, 'rows/s');
  const bare = figure('csv-parse-rows-per-second', b.csvParse.rowsPerSecond, 'rows/s');
  const ratio = figure('validator-core-ratio', b.ratio, 'ratio', { digits: 2, goal: '>= 0.5' });
  const check = figure('validator-check-pass-rows-per-second', b.checkPass.rowsPerSecond, 'rows/s', {
    goal: 'feeds the SLA projection',
  });
  const rss = figure('validator-peak-rss-mb', b.peakRssMb, 'MB', { goal: '< 200 MB' });
  return [
    {
      row: [
        `validator core vs bare csv-parse, ${shown(rows)} generated rows`,
        `${shown(core)} vs ${shown(bare)} rows/s (ratio ${shown(ratio)})`,
        'ratio >= 0.5',
      ],
      figures: [rows, core, bare, ratio],
    },
    {
      row: [
        'validator checking pass (decode, parse, header, row count), same file',
        `${shown(check)} rows/s`,
        'feeds the SLA projection',
      ],
      figures: [check],
    },
    {
      row: ['validator core and csv-parse runs: peak RSS of their process', `${shown(rss)} MB`, '< 200 MB'],
      figures: [rss],
    },
  ];
}

export function writeCostMeasures(w: WriteCostBench): Measure[] {
  const goal = '<= 15 µs (batches)';
  const rows = figure('write-client-rows', w.rows, 'rows');
  // One decimal: the goal is 15 µs, and a whole number would round 15.4 down to it.
  const batched = figure('write-client-us-per-row', w.sinkMicrosPerRow, 'µs', { goal, digits: 1 });
  const sdkPath = figure('write-client-sdk-path-us-per-row', w.sdkPathMicrosPerRow, 'µs', { digits: 1 });
  const single = figure('write-client-cpu-per-row-putitem-us', w.putItemMicrosPerRow, 'µs');
  const times = figure(
    'write-client-putitem-vs-batched-ratio',
    w.putItemMicrosPerRow / w.sinkMicrosPerRow,
    'ratio',
  );
  return [
    {
      row: [
        `validator writes: client CPU per row, ${shown(rows)} rows to a stub DynamoDB`,
        `${shown(batched)} µs in conditional INSERT batches of 25 (${shown(sdkPath)} µs for the same batches ` +
          `on the SDK's full path) vs ${shown(single)} µs with one conditional PutItem per row (${shown(times)}x)`,
        `${goal}; the SLA below holds only for batches`,
      ],
      figures: [rows, batched, sdkPath, single, times],
    },
  ];
}

export function functionMeasures(functions: readonly FunctionBench[]): Measure[] {
  return functions.flatMap((f): Measure[] => {
    // Goals in the figures' own unit, so `met` in the JSON compares like with like.
    const size = figure(`${f.purpose}-bundle-kb`, f.bundleBytes / 1024, 'KB', {
      goal: '< 256,000 KB unzipped (Lambda: 250 MB)',
    });
    const gzip = figure(`${f.purpose}-bundle-gzip-kb`, f.gzipBytes / 1024, 'KB', {
      goal: '< 51,200 KB zipped (Lambda: 50 MB)',
    });
    const init = figure(`${f.purpose}-init-ms`, f.initMs, 'ms');
    return [
      {
        row: [
          `${f.purpose} function: bundle size`,
          `${shown(size)} KB (${shown(gzip)} KB gzipped)`,
          '< 250 MB unzipped, < 50 MB zipped (Lambda limits)',
        ],
        figures: [size, gzip],
      },
      {
        row: [
          `${f.purpose} function: module init (cold-start proxy, median of 3)`,
          `${shown(init)} ms`,
          'for comparison',
        ],
        figures: [init],
      },
    ];
  });
}
