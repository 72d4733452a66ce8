import { pipelineMeasures, slaMeasures } from '../../../tools/bench/detection-measures';
import { checkMeasures, goalMet, type Measure } from '../../../tools/bench/figures';
import { gateMeasures, type GateBench } from '../../../tools/bench/gate';
import { coreMeasures, functionMeasures, writeCostMeasures } from '../../../tools/bench/measures';
import type { PipelineBench } from '../../../tools/bench/pipeline';
import { projectProcessed, projectSla } from '../../../tools/bench/sla';

const PIPELINE: PipelineBench = {
  rows: 20_000,
  stored: 19_801,
  secondsToStored: 26.24,
  validatorSeconds: 25.01,
  rowsPerSecond: 762.2,
  secondsToFirstAlert: 3.66,
  secondsToLastAlert: 33.07,
  missingLastAlerts: [],
  secondsToDetected: 32.5,
  detector: {
    transactions: 19_801,
    batches: 240,
    stateReadsPerTransaction: 2.031,
    stateWritesPerTransaction: 2.004,
  },
  replay: {
    transactions: 19_801,
    shards: 4,
    seconds: 20.1,
    rowsPerSecond: 985.1,
    cpuMicrosPerTransaction: 1_234.5,
    mainThreadMicrosPerTransaction: 98.7,
    stateReadsPerTransaction: 2.02,
    stateWritesPerTransaction: 2.0,
    alertsSent: 3,
    invocations: 200,
    droppedBatches: 0,
  },
  replayAlone: {
    transactions: 19_801,
    shards: 1,
    seconds: 26.3,
    rowsPerSecond: 752.9,
    cpuMicrosPerTransaction: 876.5,
    mainThreadMicrosPerTransaction: 45.6,
    stateReadsPerTransaction: 2.02,
    stateWritesPerTransaction: 2.0,
    alertsSent: 3,
    invocations: 200,
    droppedBatches: 0,
  },
  batchingWindowSeconds: 5,
  batchSize: 100,
  shards: 4,
};

const GATE: GateBench = {
  packStartPrecompiledMs: 1480,
  packStartTsNodeMs: 3860,
  realStack: { resources: 62, wallMs: 6050, exitCode: 0, phasesMs: { inputMs: 4170, analyzeMs: 660 } },
  generated: {
    resources: 5000,
    wallMs: 9460,
    analyzeMs: 7210,
    exitCode: 0,
    gateCpuMs: 4610,
    packCpuMs: 6550,
  },
};

function allMeasures(): Measure[] {
  const inputs = {
    rows: 1_000_000,
    measuredCoreRowsPerSecond: 163_810,
    measuredCheckRowsPerSecond: 258_381,
    writeClientMicrosPerRow: 39,
    memoryMb: 512,
    initMs: 180,
    slaSeconds: 300,
    functionTimeoutSeconds: 290,
    stopMarginSeconds: 10,
  };
  const sla = projectSla(inputs);
  const processed = projectProcessed(sla, inputs, {
    cpuMicrosPerTransaction: 1_234.5,
    stateReadsPerTransaction: 2.031,
    stateWritesPerTransaction: 2.004,
    memoryMb: 512,
    shards: 4,
    batchSize: 100,
    batchingWindowSeconds: 5,
  });
  const context = {
    rows: 1_000_000,
    memoryMb: 512,
    anomalyMemoryMb: 512,
    slaSeconds: 300,
    stopAtSeconds: 280,
    awsShards: 10,
    stateWriteUnitsPerSecond: 32_000,
    stateReadUnitsPerSecond: 32_000,
  };
  return [
    ...coreMeasures({
      rows: 1_000_000,
      fileBytes: 90_000_000,
      csvParse: { seconds: 3.6, rowsPerSecond: 278_346 },
      core: { seconds: 6.1, rowsPerSecond: 163_810, accepted: 990_000, rejected: 10_000 },
      checkPass: { seconds: 3.9, rowsPerSecond: 258_381 },
      ratio: 0.5885,
      peakRssMb: 139.2,
    }),
    ...writeCostMeasures({
      rows: 50_000,
      sinkMicrosPerRow: 39.4,
      sdkPathMicrosPerRow: 61.2,
      putItemMicrosPerRow: 721.3,
    }),
    ...functionMeasures([{ purpose: 'anomaly', bundleBytes: 789_000, gzipBytes: 226_000, initMs: 115.4 }]),
    ...pipelineMeasures(PIPELINE),
    ...slaMeasures(sla, processed, context),
    ...gateMeasures(GATE),
  ];
}

describe('the bench table', () => {
  test('every row shows each of its figures, and no id is used twice', () => {
    expect(() => checkMeasures(allMeasures())).not.toThrow();
  });

  test('the detection figures the issue asks for are all there', () => {
    const ids = allMeasures().flatMap((m) => m.figures.map((f) => f.id));
    expect(ids).toEqual(
      expect.arrayContaining([
        'validator-core-ratio',
        'detector-vs-validator-ratio',
        'detector-capacity-rows-per-second',
        'validator-rows-per-second',
        'state-reads-per-transaction',
        'state-writes-per-transaction',
        'upload-to-first-alert-seconds',
        'upload-to-last-alert-seconds',
        'sla-stored-seconds',
        'sla-projection-seconds',
        'sla-detector-lag-seconds',
      ]),
    );
  });

  test("the detector's ratio is its capacity over the validator's own rate, not its capped rate in the run", () => {
    const ratio = allMeasures()
      .flatMap((m) => m.figures)
      .find((f) => f.id === 'detector-vs-validator-ratio');
    expect(ratio?.value).toBeCloseTo(985.1 / (20_000 / 25.01), 2);
  });

  test("the detector's CPU per transaction is the one-environment replay's; the crowded replay's is shown beside it", () => {
    const figures = allMeasures().flatMap((m) => m.figures);
    expect(figures.find((f) => f.id === 'detector-cpu-per-transaction-us')?.value).toBe(877); // whole µs
    expect(figures.find((f) => f.id === 'detector-cpu-per-transaction-all-shards-us')?.value).toBe(1235);
  });

  test("a bundle's goals are in the figure's own unit, so the JSON's met compares like with like", () => {
    const figures = allMeasures().flatMap((m) => m.figures);
    const met = (id: string) => {
      const f = figures.find((candidate) => candidate.id === id)!;
      return goalMet(f.value, f.goal);
    };
    // 789,000 bytes are far under Lambda's 50 MB: a goal in MB against a value in KB would say not.
    expect(met('anomaly-bundle-kb')).toBe(true);
    expect(met('anomaly-bundle-gzip-kb')).toBe(true);
  });

  test('the write client keeps a decimal, so a figure just over its 15 µs goal is not rounded onto it', () => {
    const writes = allMeasures()
      .flatMap((m) => m.figures)
      .find((f) => f.id === 'write-client-us-per-row');
    expect(writes?.value).toBe(39.4);
  });

  test('a missing last alert leaves no last-alert figure (the run reports it as a failure)', () => {
    const ids = pipelineMeasures({ ...PIPELINE, missingLastAlerts: ['velocity'] }).flatMap((m) =>
      m.figures.map((f) => f.id),
    );
    expect(ids).not.toContain('upload-to-last-alert-seconds');
  });

  test('the SLA row says MISSED when the processed time is over the SLA', () => {
    const rows = allMeasures().map((m) => m.row);
    const processed = rows.find((r) => r[0].includes('processed'));
    // 4 shards x 512/1769 vCPU at 1,234.5 µs per transaction: 938 rows/s behind 4,000 stored.
    expect(processed?.[2]).toBe('< 300 s SLA (MISSED)');
  });
});
