/**
 * The load model: K files of N rows arriving together, from what this machine measured and the
 * stack's settings, to when the last file is stored and when its last alert is sent. Pure and
 * unit-tested, like sla.ts, whose single-file model it extends to many files at once.
 *
 * Model (a fluid simulation in steps of `stepSeconds`; every rate is an upper bound AWS documents):
 * - Validator instances: files start in arrival order on `validatorInstances` reserved executions;
 *   the rest wait (S3 invokes asynchronously, and Lambda keeps throttled events queued).
 * - Per file: a cold start (module init + 1 s), the checking pass (CPU only), then the storing pass,
 *   whose rate is the lower of its CPU (core + write client per row, at the memory's share of a
 *   vCPU: 512/1769 at 512 MB) and its share of the table.
 * - Table: all storing files share `tableWriteUnitsPerSecond` (one unit per insert of an item under
 *   1 KB); a new on-demand table serves 4,000/s, a warmed one what its warm throughput says.
 * - Stream shards: about one per table partition, and a partition serves 1,000 writes/s or 3,000
 *   reads/s, so `ceil(max(writes/1000, reads/3000))` shards for a table warmed (or grown) to that.
 *   Lambda reads each shard with one invocation at a time, and the anomaly function's reserved
 *   executions cap how many run at once: min(shards, anomaly instances) read in parallel.
 * - Detector: its rate is the lower of its CPU (µs per transaction at its memory's vCPU share, per
 *   parallel invocation) and its state table (reads and writes per transaction against that
 *   table's warm reads and warm writes, each: sla.ts, tableRowsPerSecond). Records queue on the
 *   stream while it is behind; the last alert is sent once the backlog after the last stored row
 *   is worked off, plus one batching window.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
 */
import { FULL_VCPU_MB, tableRowsPerSecond } from './sla';

export interface LoadInputs {
  files: number;
  rowsPerFile: number;
  /** Measured here on one full core. */
  coreMicrosPerRow: number;
  checkMicrosPerRow: number;
  writeClientMicrosPerRow: number;
  validatorMemoryMb: number;
  validatorInstances: number;
  /** Module init of the validator (ms); a cold start adds 1 s for the first byte from S3. */
  initMs: number;
  tableWriteUnitsPerSecond: number;
  tableReadUnitsPerSecond: number;
  detector: {
    cpuMicrosPerTransaction: number;
    stateReadsPerTransaction: number;
    stateWritesPerTransaction: number;
    memoryMb: number;
    instances: number;
    batchingWindowSeconds: number;
    stateWriteUnitsPerSecond: number;
    stateReadUnitsPerSecond: number;
  };
  /** @default 0.1 */
  stepSeconds?: number;
}

export interface LoadProjection {
  /** When the last file's last row is stored (s from arrival). */
  storedSeconds: number;
  /** When the last alert for the last stored row is sent. */
  processedSeconds: number;
  /** How long the last file to start waited for an instance. */
  longestWaitSeconds: number;
  /** The longest any one file ran (cold start to stored): must stay under the function timeout. */
  longestRunSeconds: number;
  /** What bounds the storing: the validators' CPU or the shared table. */
  storingBound: 'cpu' | 'table';
  streamShards: number;
  shardsReadAtOnce: number;
  detectorRowsPerSecond: number;
  detectorBound: 'cpu' | 'state-table';
  /** Rows waiting on the stream when the last row was stored. */
  backlogAtStoredRows: number;
}

/** Shards of a table's stream: about one per partition, a partition serving 1,000 writes/s or 3,000 reads/s. */
export function streamShards(writeUnitsPerSecond: number, readUnitsPerSecond: number): number {
  return Math.max(1, Math.ceil(writeUnitsPerSecond / 1000), Math.ceil(readUnitsPerSecond / 3000));
}

/** The detector's sustained rate (transactions/s) and what bounds it. */
export function detectorRate(
  d: LoadInputs['detector'],
  shardsReadAtOnce: number,
): { rowsPerSecond: number; bound: 'cpu' | 'state-table' } {
  const share = Math.min(1, d.memoryMb / FULL_VCPU_MB);
  const cpu = (shardsReadAtOnce * share * 1e6) / d.cpuMicrosPerTransaction;
  const table = tableRowsPerSecond(d.stateWritesPerTransaction, d.stateReadsPerTransaction, {
    writeUnitsPerSecond: d.stateWriteUnitsPerSecond,
    readUnitsPerSecond: d.stateReadUnitsPerSecond,
    warmed: true, // the stack always warms the state table (stack/config.ts)
  });
  return cpu <= table ? { rowsPerSecond: cpu, bound: 'cpu' } : { rowsPerSecond: table, bound: 'state-table' };
}

interface FileState {
  startedAt?: number;
  /** Seconds of cold start and checking pass still to run. */
  preparing: number;
  rowsLeft: number;
  storedAt?: number;
}

/** The fluid simulation; see the module comment for the model. */
export function projectLoad(inputs: LoadInputs): LoadProjection {
  const dt = inputs.stepSeconds ?? 0.1;
  const share = Math.min(1, inputs.validatorMemoryMb / FULL_VCPU_MB);
  const fixed = inputs.initMs / 1000 + 1;
  const checkSeconds = (inputs.rowsPerFile * inputs.checkMicrosPerRow) / 1e6 / share;
  const cpuRowsPerSecond = (share * 1e6) / (inputs.coreMicrosPerRow + inputs.writeClientMicrosPerRow);
  const shards = streamShards(inputs.tableWriteUnitsPerSecond, inputs.tableReadUnitsPerSecond);
  const shardsReadAtOnce = Math.min(shards, inputs.detector.instances);
  const detector = detectorRate(inputs.detector, shardsReadAtOnce);

  const files: FileState[] = Array.from({ length: inputs.files }, () => ({
    preparing: fixed + checkSeconds,
    rowsLeft: inputs.rowsPerFile,
  }));
  let t = 0;
  let backlog = 0;
  let tableBoundSteps = 0;
  let storingSteps = 0;
  const limit = 1e6; // steps: a model that cannot finish is a bug, not a long wait
  for (let step = 0; files.some((f) => f.storedAt === undefined); step++) {
    if (step > limit) throw new RangeError('The load model did not finish: check its rates.');
    const running = files.filter((f) => f.startedAt !== undefined && f.storedAt === undefined);
    for (const f of files) {
      if (running.length >= inputs.validatorInstances) break;
      if (f.startedAt === undefined) {
        f.startedAt = t;
        running.push(f);
      }
    }
    const storing = running.filter((f) => f.preparing <= 0);
    const tableShare = storing.length > 0 ? inputs.tableWriteUnitsPerSecond / storing.length : 0;
    const perFileRate = Math.min(cpuRowsPerSecond, tableShare);
    if (storing.length > 0) {
      storingSteps++;
      if (tableShare < cpuRowsPerSecond) tableBoundSteps++;
    }
    let written = 0;
    for (const f of running) {
      if (f.preparing > 0) {
        f.preparing -= dt;
        continue;
      }
      const rows = Math.min(f.rowsLeft, perFileRate * dt);
      f.rowsLeft -= rows;
      written += rows;
      if (f.rowsLeft <= 1e-9) f.storedAt = t + dt;
    }
    backlog = Math.max(0, backlog + written - detector.rowsPerSecond * dt);
    t += dt;
  }
  const storedSeconds = Math.max(...files.map((f) => f.storedAt ?? 0));
  const processedSeconds =
    storedSeconds + backlog / detector.rowsPerSecond + inputs.detector.batchingWindowSeconds;
  return {
    storedSeconds,
    processedSeconds,
    longestWaitSeconds: Math.max(...files.map((f) => f.startedAt ?? 0)),
    longestRunSeconds: Math.max(...files.map((f) => (f.storedAt ?? 0) - (f.startedAt ?? 0))),
    storingBound: tableBoundSteps * 2 >= storingSteps ? 'table' : 'cpu',
    streamShards: shards,
    shardsReadAtOnce,
    detectorRowsPerSecond: detector.rowsPerSecond,
    detectorBound: detector.bound,
    backlogAtStoredRows: backlog,
  };
}

/** The scenarios the bench reports, with their ids (`sla-<files>x<rows>-s`) and goals. */
export const LOAD_SCENARIOS: readonly {
  files: number;
  rowsPerFile: number;
  id: string;
  goalSeconds?: number;
}[] = [
  { files: 1, rowsPerFile: 1_000_000, id: 'sla-1x1m-s', goalSeconds: 150 },
  { files: 20, rowsPerFile: 200_000, id: 'sla-20x200k-s', goalSeconds: 300 },
  { files: 100, rowsPerFile: 10_000, id: 'sla-100x10k-s' },
  { files: 10, rowsPerFile: 1_000_000, id: 'sla-10x1m-s' },
];
