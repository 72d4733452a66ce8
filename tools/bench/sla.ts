/**
 * The SLA projection for AWS: how long one 1,000,000-row file takes in Lambda, from what this
 * machine measured, with the model stated. Pure, so the arithmetic is unit-tested.
 *
 * Model (each stage streams into the next, so the slowest stage bounds the whole):
 * - CPU: Lambda gives a function CPU in proportion to memory, one full vCPU at 1,769 MB
 *   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html), so at 512 MB the
 *   validator runs at 512/1769 of the single-core rate measured here. The storing pass spends CPU
 *   twice per row: in the core (parse, validate, protect) and in the SDK client that writes it
 *   (measured against a stub DynamoDB, tools/bench/write-cost.ts).
 * - Writes: one write request unit per conditional insert of an item under 1 KB; a new on-demand
 *   table sustains up to 4,000 writes/s and instantly serves up to double a previous peak
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html).
 *   A new file reads nothing: only keys that already exist are read back.
 * - Storing pass: one batch is written while the next is parsed (lambda/validator/core/pipeline.ts),
 *   so it takes as long as the slower of CPU and writes.
 * - Checking pass: the validator reads the file twice, and the first pass (decode, parse, header
 *   and row count, so that a refusal on the last line stores nothing) ends before the storing pass
 *   starts. It is measured on its own (tools/bench/validator-core.ts).
 * - Fixed: a cold start and the first byte from S3 (the measured module init plus 1 s).
 * - Timeout: the validator stops taking rows STOP_MARGIN_MS before the function's timeout.
 */
export interface SlaInputs {
  rows: number;
  /** Rows/s of the validator core measured here on one full core. */
  measuredCoreRowsPerSecond: number;
  /** Rows/s of the validator's checking pass measured here on one full core. */
  measuredCheckRowsPerSecond: number;
  /** Client CPU the sink spends per written row, measured here on one full core (µs). */
  writeClientMicrosPerRow: number;
  memoryMb: number;
  /** Write request units per second the table sustains. @default 4000 */
  writeUnitsPerSecond?: number;
  /** Measured module init of the validator (ms). */
  initMs: number;
  slaSeconds: number;
  functionTimeoutSeconds: number;
  /** How long before the timeout the validator stops taking rows. */
  stopMarginSeconds: number;
}

export interface SlaProjection {
  /** The core's CPU time for one pass over the file. */
  coreSeconds: number;
  /** CPU time of the storing pass: the core plus the write client. */
  cpuSeconds: number;
  /** The first, checking pass over the file, before anything is written. */
  checkingPassSeconds: number;
  writeSeconds: number;
  fixedSeconds: number;
  totalSeconds: number;
  bound: 'cpu' | 'writes';
  withinSla: boolean;
  withinTimeout: boolean;
}

export const FULL_VCPU_MB = 1769;

export function projectSla(inputs: SlaInputs): SlaProjection {
  const cpuShare = Math.min(1, inputs.memoryMb / FULL_VCPU_MB);
  const coreSeconds = inputs.rows / (inputs.measuredCoreRowsPerSecond * cpuShare);
  const cpuSeconds = coreSeconds + (inputs.rows * inputs.writeClientMicrosPerRow) / 1e6 / cpuShare;
  const writeSeconds = inputs.rows / (inputs.writeUnitsPerSecond ?? 4000);
  const fixedSeconds = inputs.initMs / 1000 + 1;
  const bound = cpuSeconds > writeSeconds ? 'cpu' : 'writes';
  const checkingPassSeconds = inputs.rows / (inputs.measuredCheckRowsPerSecond * cpuShare);
  const totalSeconds = checkingPassSeconds + Math.max(cpuSeconds, writeSeconds) + fixedSeconds;
  return {
    coreSeconds,
    cpuSeconds,
    checkingPassSeconds,
    writeSeconds,
    fixedSeconds,
    totalSeconds,
    bound,
    withinSla: totalSeconds <= inputs.slaSeconds,
    withinTimeout: totalSeconds <= inputs.functionTimeoutSeconds - inputs.stopMarginSeconds,
  };
}
