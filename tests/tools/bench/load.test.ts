/** The load model's arithmetic, on inputs whose answers are known by hand. */
import { detectorRate, projectLoad, streamShards, type LoadInputs } from '../../../tools/bench/load';

/** At 1,769 MB a function gets one full vCPU, so per-row costs apply as measured. */
const FULL = 1769;

const base: LoadInputs = {
  files: 1,
  rowsPerFile: 100_000,
  coreMicrosPerRow: 5,
  checkMicrosPerRow: 1,
  writeClientMicrosPerRow: 5,
  validatorMemoryMb: FULL,
  validatorInstances: 10,
  initMs: 0,
  tableWriteUnitsPerSecond: 4000,
  tableReadUnitsPerSecond: 12_000,
  detector: {
    cpuMicrosPerTransaction: 100,
    stateReadsPerTransaction: 0,
    stateWritesPerTransaction: 0,
    memoryMb: FULL,
    instances: 10,
    batchingWindowSeconds: 1,
    stateWriteUnitsPerSecond: 4000,
    stateReadUnitsPerSecond: 12_000,
  },
  stepSeconds: 0.01,
};

describe('the load model', () => {
  it('one file on a new table: cold start, checking pass, then the table bounds the storing', () => {
    // 1 s cold start + 0.1 s checking pass + 100,000 rows / 4,000 writes/s = 26.1 s.
    const p = projectLoad(base);
    expect(p.storedSeconds).toBeCloseTo(26.1, 1);
    expect(p.storingBound).toBe('table');
    expect(p.longestWaitSeconds).toBe(0);
  });

  it('is bound by the CPU when the table is warmed past it, at the memory share of a vCPU', () => {
    // At 512 MB: 10 µs/row / (512/1769) -> 28,902 rows/s... of CPU, so 100,000 rows take 3.46 s.
    const p = projectLoad({ ...base, validatorMemoryMb: 512, tableWriteUnitsPerSecond: 40_000 });
    expect(p.storingBound).toBe('cpu');
    const share = 512 / FULL;
    expect(p.storedSeconds).toBeCloseTo(1 + 0.1 / share + (100_000 * 10e-6) / share, 1);
  });

  it('shares the table between files stored at once', () => {
    const p = projectLoad({ ...base, files: 4 });
    expect(p.storedSeconds).toBeCloseTo(1.1 + 400_000 / 4000, 0);
  });

  it('queues files beyond the reserved instances until one finishes', () => {
    const p = projectLoad({ ...base, files: 3, validatorInstances: 2, tableWriteUnitsPerSecond: 1e9 });
    // Each file runs 1.1 s + 1 s of CPU; the third starts when the first two end.
    expect(p.longestWaitSeconds).toBeCloseTo(2.1, 1);
    expect(p.storedSeconds).toBeCloseTo(4.2, 1);
  });

  it('counts a shard per partition and reads at most the anomaly instances at once', () => {
    expect(streamShards(4000, 12_000)).toBe(4);
    expect(streamShards(16_000, 12_000)).toBe(16);
    expect(streamShards(1000, 30_000)).toBe(10);
    expect(projectLoad({ ...base, tableWriteUnitsPerSecond: 16_000 })).toMatchObject({
      streamShards: 16,
      shardsReadAtOnce: 10,
    });
  });

  it('rates the detector by its CPU per shard read at once, or by its state table', () => {
    expect(detectorRate(base.detector, 4)).toEqual({ rowsPerSecond: 40_000, bound: 'cpu' });
    const heavy = { ...base.detector, stateWritesPerTransaction: 2, stateReadsPerTransaction: 1 };
    // The warmed table serves 4,000 writes/s and 12,000 reads/s each: the writes bound it, 2,000 rows/s.
    expect(detectorRate(heavy, 4)).toEqual({ rowsPerSecond: 2000, bound: 'state-table' });
    const readHeavy = { ...heavy, stateReadsPerTransaction: 8 };
    expect(detectorRate(readHeavy, 4)).toEqual({ rowsPerSecond: 1500, bound: 'state-table' });
  });

  it('sends the last alert once the backlog is worked off: the slower detector sets the end', () => {
    // The detector does 1,000 rows/s on one shard (1 ms per row); the table stores 4,000/s.
    const slow = { ...base, detector: { ...base.detector, cpuMicrosPerTransaction: 1000, instances: 1 } };
    const p = projectLoad(slow);
    expect(p.detectorRowsPerSecond).toBeCloseTo(1000, 6);
    expect(p.backlogAtStoredRows).toBeGreaterThan(0);
    // Rows arrive from 1.1 s on; the detector needs 100 s for all of them, then one window.
    expect(p.processedSeconds).toBeCloseTo(1.1 + 100 + 1, 0);
  });

  it('ends one window after the last row when the detector keeps up', () => {
    const p = projectLoad(base);
    expect(p.backlogAtStoredRows).toBeCloseTo(0, 6);
    expect(p.processedSeconds).toBeCloseTo(p.storedSeconds + 1, 6);
  });
});
