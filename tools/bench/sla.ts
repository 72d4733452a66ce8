/**
 * The SLA projection for AWS: how long one 1,000,000-row file takes in Lambda, from what this
 * machine measured, with the model stated. Pure, so the arithmetic is unit-tested.
 *
 * Model (each stage streams into the next, so the slowest stage bounds the whole):
 * - CPU: Lambda gives a function CPU in proportion to memory, one full vCPU at 1,769 MB
 *   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html), so at 512 MB the
 *   validator core runs at 512/1769 of the single-core rate measured here.
 * - Writes: one write request unit per item under 1 KB; a new on-demand table sustains up to 4,000
 *   writes/s and 12,000 reads/s, and instantly serves up to double a previous peak
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html).
 *   The validator reads each key once (strongly consistent BatchGetItem, the conflict check) and
 *   writes each new row once.
 * - Checking pass: the validator reads the file twice, and the first pass (parse and validate
 *   every row, so that a refusal on the last line stores nothing) ends before the storing pass
 *   starts. It costs at most what the core costs per row, so it is counted at the CPU figure.
 * - Fixed: a cold start and the first byte from S3 (the measured module init plus 1 s).
 */
export interface SlaInputs {
  rows: number;
  /** Rows/s of the validator core measured here on one full core. */
  measuredCoreRowsPerSecond: number;
  memoryMb: number;
  /** Write request units per second the table sustains. @default 4000 */
  writeUnitsPerSecond?: number;
  /** Read request units per second the table sustains. @default 12000 */
  readUnitsPerSecond?: number;
  /** Measured module init of the validator (ms). */
  initMs: number;
  slaSeconds: number;
  functionTimeoutSeconds: number;
}

export interface SlaProjection {
  cpuSeconds: number;
  /** The first, checking pass over the file, before anything is written. */
  checkingPassSeconds: number;
  writeSeconds: number;
  readSeconds: number;
  fixedSeconds: number;
  totalSeconds: number;
  bound: 'cpu' | 'writes' | 'reads';
  withinSla: boolean;
  withinTimeout: boolean;
}

export const FULL_VCPU_MB = 1769;

export function projectSla(inputs: SlaInputs): SlaProjection {
  const cpuShare = Math.min(1, inputs.memoryMb / FULL_VCPU_MB);
  const cpuSeconds = inputs.rows / (inputs.measuredCoreRowsPerSecond * cpuShare);
  const writeSeconds = inputs.rows / (inputs.writeUnitsPerSecond ?? 4000);
  // The conflict check reads with ConsistentRead: one read unit per item up to 4 KB.
  const readSeconds = inputs.rows / (inputs.readUnitsPerSecond ?? 12000);
  const fixedSeconds = inputs.initMs / 1000 + 1;
  const stages = { cpu: cpuSeconds, writes: writeSeconds, reads: readSeconds };
  const bound = (Object.keys(stages) as (keyof typeof stages)[]).reduce((a, b) =>
    stages[a] >= stages[b] ? a : b,
  );
  const checkingPassSeconds = cpuSeconds;
  const totalSeconds = checkingPassSeconds + stages[bound] + fixedSeconds;
  return {
    cpuSeconds,
    checkingPassSeconds,
    writeSeconds,
    readSeconds,
    fixedSeconds,
    totalSeconds,
    bound,
    withinSla: totalSeconds <= inputs.slaSeconds,
    withinTimeout: totalSeconds <= inputs.functionTimeoutSeconds,
  };
}
