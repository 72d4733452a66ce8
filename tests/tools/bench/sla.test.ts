import {
  tableRowsPerSecond,
  FULL_VCPU_MB,
  projectDetector,
  projectProcessed,
  projectSla,
  type DetectorInputs,
  type SlaInputs,
} from '../../../tools/bench/sla';

const BASE: SlaInputs = {
  rows: 1_000_000,
  measuredCoreRowsPerSecond: 200_000,
  measuredCheckRowsPerSecond: 400_000,
  writeClientMicrosPerRow: 40,
  memoryMb: 512,
  initMs: 400,
  slaSeconds: 300,
  functionTimeoutSeconds: 290,
  stopMarginSeconds: 10,
};

describe('the SLA projection', () => {
  test('CPU time scales the measured core rate and write-client cost by the memory share of a vCPU', () => {
    const p = projectSla(BASE);
    const share = 512 / FULL_VCPU_MB;
    expect(p.coreSeconds).toBeCloseTo(1_000_000 / (200_000 * share), 6);
    expect(p.cpuSeconds).toBeCloseTo(p.coreSeconds + (1_000_000 * 40e-6) / share, 6);
  });

  test("a new on-demand table's 4,000 writes/s bound the storing pass of a 1M-row file at 250 s", () => {
    const p = projectSla(BASE);
    expect(p.writeSeconds).toBe(250);
    expect(p.bound).toBe('writes');
    // The checking pass runs first, in full, at its measured rate: its time adds to the storing pass.
    expect(p.checkingPassSeconds).toBeCloseTo(1_000_000 / (400_000 * (512 / FULL_VCPU_MB)), 6);
    expect(p.totalSeconds).toBeCloseTo(p.checkingPassSeconds + 250 + 0.4 + 1, 6);
    expect(p).toMatchObject({ withinSla: true, withinTimeout: true });
  });

  test('the time the validator keeps before its timeout counts against the timeout, not the SLA', () => {
    const p = projectSla({ ...BASE, measuredCheckRowsPerSecond: 100_000, stopMarginSeconds: 30 });
    expect(p.totalSeconds).toBeGreaterThan(290 - 30);
    expect(p.totalSeconds).toBeLessThan(290);
    expect(p.bound).toBe('writes');
    expect(p).toMatchObject({ withinSla: true, withinTimeout: false });
  });

  test('a costly write client (one request per row) makes the CPU the bound and misses the SLA', () => {
    const p = projectSla({ ...BASE, writeClientMicrosPerRow: 500 });
    expect(p.bound).toBe('cpu');
    expect(p.cpuSeconds).toBeGreaterThan(1_000);
    expect(p).toMatchObject({ withinSla: false, withinTimeout: false });
  });

  test('a slow core makes the CPU the bound and can miss the SLA', () => {
    const p = projectSla({ ...BASE, measuredCoreRowsPerSecond: 10_000 });
    expect(p.bound).toBe('cpu');
    expect(p).toMatchObject({ withinSla: false, withinTimeout: false });
  });

  test('more memory never gives more than one full vCPU to this single-threaded core', () => {
    expect(projectSla({ ...BASE, memoryMb: 10_240 }).coreSeconds).toBeCloseTo(1_000_000 / 200_000, 6);
  });
});

const DETECTOR: DetectorInputs = {
  cpuMicrosPerTransaction: 500,
  stateReadsPerTransaction: 1,
  stateWritesPerTransaction: 2,
  memoryMb: 512,
  shards: 4,
  batchSize: 100,
  batchingWindowSeconds: 5,
};

describe("the detector's projection", () => {
  test('its CPU rate is one memory share of a vCPU per shard over its CPU per transaction', () => {
    const d = projectDetector(1_000_000, 250, { ...DETECTOR, cpuMicrosPerTransaction: 2000 });
    expect(d.cpuRowsPerSecond).toBeCloseTo((4 * (512 / FULL_VCPU_MB) * 1e6) / 2000, 6);
    expect(d.bound).toBe('cpu');
    expect(d.rowsPerSecond).toBe(d.cpuRowsPerSecond);
  });

  test("its state table's reads and writes share a new on-demand table's throughput linearly", () => {
    const d = projectDetector(1_000_000, 250, { ...DETECTOR, cpuMicrosPerTransaction: 1 });
    // 2 writes of 4,000/s and 1 read of 12,000/s per transaction: 1 / (1/2000 + 1/12000).
    expect(d.stateTableRowsPerSecond).toBeCloseTo(1 / (2 / 4000 + 1 / 12_000), 6);
    expect(d.bound).toBe('state-table');
    expect(d.keepsUp).toBe(false); // 1,714 rows/s behind the 4,000 rows/s the validator stores
  });

  test('a warmed state table serves its warm writes and its warm reads each, not shared', () => {
    const warmed = {
      ...DETECTOR,
      cpuMicrosPerTransaction: 1,
      writeUnitsPerSecond: 32_000,
      readUnitsPerSecond: 40_000,
    };
    expect(projectDetector(1_000_000, 250, warmed).stateTableRowsPerSecond).toBeCloseTo(16_000, 6);
    const readHeavy = { ...warmed, stateReadsPerTransaction: 4 };
    expect(projectDetector(1_000_000, 250, readHeavy).stateTableRowsPerSecond).toBeCloseTo(10_000, 6);
  });

  test('tableRowsPerSecond shares a new table linearly and a warmed one per limit', () => {
    const table = { writeUnitsPerSecond: 4000, readUnitsPerSecond: 12_000 };
    expect(tableRowsPerSecond(2, 1, { ...table, warmed: false })).toBeCloseTo(1 / (2 / 4000 + 1 / 12_000), 6);
    expect(tableRowsPerSecond(2, 1, { ...table, warmed: true })).toBe(2000);
    expect(tableRowsPerSecond(0, 0, { ...table, warmed: true })).toBe(Number.POSITIVE_INFINITY);
  });

  test('when it keeps up, it ends one batching window and one batch after the last row is stored', () => {
    const d = projectDetector(100_000, 100, {
      ...DETECTOR,
      cpuMicrosPerTransaction: 100,
      writeUnitsPerSecond: 1e9,
      readUnitsPerSecond: 1e9,
    });
    expect(d.arrivalRowsPerSecond).toBe(1000);
    expect(d.keepsUp).toBe(true);
    expect(d.batchSeconds).toBeCloseTo((100 * 4) / d.rowsPerSecond, 9);
    expect(d.lagSeconds).toBeCloseTo(5 + d.batchSeconds, 9);
  });

  test('when it falls behind, it ends when the backlog is worked off, without waiting for the window', () => {
    const d = projectDetector(1_000_000, 250, DETECTOR);
    expect(d.keepsUp).toBe(false);
    expect(d.lagSeconds).toBeCloseTo(1_000_000 / d.rowsPerSecond - 250, 6);
  });

  test('a file is processed when stored and alerted: the lag adds to the stored time, and can miss the SLA', () => {
    const sla = projectSla(BASE);
    const slow = projectProcessed(sla, BASE, DETECTOR);
    expect(slow.processedSeconds).toBeCloseTo(sla.totalSeconds + slow.detector.lagSeconds, 9);
    expect(sla.withinSla).toBe(true);
    expect(slow.withinSla).toBe(false);
    // The detector follows the storing pass: its arrival rate is the slower of CPU and writes.
    expect(slow.detector.arrivalRowsPerSecond).toBeCloseTo(1_000_000 / 250, 9);

    const fast = projectProcessed(sla, BASE, {
      ...DETECTOR,
      cpuMicrosPerTransaction: 10,
      writeUnitsPerSecond: 40_000,
      readUnitsPerSecond: 120_000,
    });
    expect(fast.detector.keepsUp).toBe(true);
    expect(fast.processedSeconds).toBeLessThan(sla.totalSeconds + 6);
    expect(fast.withinSla).toBe(true);
  });
});
