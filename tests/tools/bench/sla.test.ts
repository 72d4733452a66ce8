import { FULL_VCPU_MB, projectSla, type SlaInputs } from '../../../tools/bench/sla';

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
