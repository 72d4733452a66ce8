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
 * - Detection (projectDetector): a file is processed when it is stored AND its alerts are sent. The
 *   detector reads the stream while the storing pass writes it, one invocation per shard at a time.
 *   Its rate is the lower of its CPU (the CPU it spent per transaction here, each shard's invocation
 *   getting the memory share of a vCPU) and its state table (the state reads and writes it reported
 *   per transaction against its throughput: tableRowsPerSecond; one unit per write of an item under
 *   1 KB and per strongly consistent read under 4 KB). If it keeps up, the last records wait up to
 *   the batching window and then take one batch's time; if not, it ends when its backlog is worked off.
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

/** What the detector's projection is made of: measured here, or the stack's settings. */
export interface DetectorInputs {
  /** CPU the detector spent per transaction here (all threads, µs), on full cores. */
  cpuMicrosPerTransaction: number;
  /** State reads and writes per transaction, from the function's own batch log lines. */
  stateReadsPerTransaction: number;
  stateWritesPerTransaction: number;
  /** The anomaly function's memory (its vCPU share). */
  memoryMb: number;
  /** Stream shards, each processed by one invocation at a time (parallelization factor 1). */
  shards: number;
  batchSize: number;
  batchingWindowSeconds: number;
  /**
   * The state table's warm throughput (stack/config.ts, stateTableWarmThroughput). Omitted: a new
   * on-demand table's 4,000 writes or 12,000 reads.
   */
  writeUnitsPerSecond?: number;
  readUnitsPerSecond?: number;
}

/**
 * Transactions/s a table serves at `writes` write units and `reads` read units per transaction.
 * - A new on-demand table: its initial 4,000 writes/s or 12,000 reads/s, "or any linear
 *   combination of the two" (on-demand-capacity-mode.html).
 * - A warmed table: its warm writes/s and its warm reads/s, each. AWS states them as two limits ("a
 *   warm throughput of 30,000 read units per second and 10,000 write units per second"), as it does
 *   a partition's ("1,000 write units per second and 3,000 read units per second").
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
export function tableRowsPerSecond(
  writes: number,
  reads: number,
  table: { writeUnitsPerSecond: number; readUnitsPerSecond: number; warmed: boolean },
): number {
  const w = writes / table.writeUnitsPerSecond;
  const r = reads / table.readUnitsPerSecond;
  const seconds = table.warmed ? Math.max(w, r) : w + r;
  return seconds > 0 ? 1 / seconds : Number.POSITIVE_INFINITY;
}

export interface DetectorProjection {
  cpuRowsPerSecond: number;
  stateTableRowsPerSecond: number;
  rowsPerSecond: number;
  bound: 'cpu' | 'state-table';
  /** Rows/s at which the storing pass puts records on the stream. */
  arrivalRowsPerSecond: number;
  keepsUp: boolean;
  /** One batch on one shard at the detector's rate. */
  batchSeconds: number;
  /** From the last row stored to the last alert sent. */
  lagSeconds: number;
}

/**
 * The detector on AWS, given the storing pass it follows (rows written over `storingSeconds`).
 * Pure: every input is measured by the bench or read from the stack.
 */
export function projectDetector(rows: number, storingSeconds: number, d: DetectorInputs): DetectorProjection {
  const cpuShare = Math.min(1, d.memoryMb / FULL_VCPU_MB);
  const cpuRowsPerSecond = (d.shards * cpuShare * 1e6) / d.cpuMicrosPerTransaction;
  const stateTableRowsPerSecond = tableRowsPerSecond(
    d.stateWritesPerTransaction,
    d.stateReadsPerTransaction,
    {
      writeUnitsPerSecond: d.writeUnitsPerSecond ?? 4000,
      readUnitsPerSecond: d.readUnitsPerSecond ?? 12_000,
      warmed: d.writeUnitsPerSecond !== undefined || d.readUnitsPerSecond !== undefined,
    },
  );
  const rowsPerSecond = Math.min(cpuRowsPerSecond, stateTableRowsPerSecond);
  const arrivalRowsPerSecond = rows / storingSeconds;
  const batchSeconds = (d.batchSize * d.shards) / rowsPerSecond;
  // Kept up: the last record is on the stream at storingSeconds, waits up to the window, then its
  // batch runs. Behind: the backlog ends at rows / rate (its last batch included).
  const doneSeconds = Math.max(storingSeconds + d.batchingWindowSeconds + batchSeconds, rows / rowsPerSecond);
  return {
    cpuRowsPerSecond,
    stateTableRowsPerSecond,
    rowsPerSecond,
    bound: cpuRowsPerSecond < stateTableRowsPerSecond ? 'cpu' : 'state-table',
    arrivalRowsPerSecond,
    keepsUp: rowsPerSecond >= arrivalRowsPerSecond,
    batchSeconds,
    lagSeconds: doneSeconds - storingSeconds,
  };
}

export interface ProcessedProjection {
  /** Stored (the validator's projection) plus the detector's lag: stored AND alerted. */
  processedSeconds: number;
  withinSla: boolean;
  detector: DetectorProjection;
}

/** When a file is processed: its last row stored, then its last alert sent. */
export function projectProcessed(
  sla: SlaProjection,
  inputs: Pick<SlaInputs, 'rows' | 'slaSeconds'>,
  d: DetectorInputs,
): ProcessedProjection {
  const detector = projectDetector(inputs.rows, Math.max(sla.cpuSeconds, sla.writeSeconds), d);
  const processedSeconds = sla.totalSeconds + detector.lagSeconds;
  return { processedSeconds, withinSla: processedSeconds <= inputs.slaSeconds, detector };
}
