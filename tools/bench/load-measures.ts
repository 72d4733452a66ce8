/**
 * The load model's rows and figures for `npm run bench`: one row per scenario of LOAD_SCENARIOS,
 * stored and processed (stored, then its alerts sent), against the SLA.
 */
import { figure, shown, type Measure } from './figures';
import { LOAD_SCENARIOS, projectLoad, type LoadInputs, type LoadProjection } from './load';

export interface LoadRun {
  readonly files: number;
  readonly rowsPerFile: number;
  readonly id: string;
  readonly goalSeconds?: number;
  readonly projection: LoadProjection;
}

/** Every scenario through the model, with the machine's measures and the stack's settings. */
export function runLoadScenarios(inputs: Omit<LoadInputs, 'files' | 'rowsPerFile'>): LoadRun[] {
  return LOAD_SCENARIOS.map((s) => ({ ...s, projection: projectLoad({ ...inputs, ...s }) }));
}

function label(run: LoadRun): string {
  const rows = run.rowsPerFile >= 1e6 ? `${run.rowsPerFile / 1e6}M` : `${run.rowsPerFile / 1000}k`;
  return `${run.files} x ${rows}`;
}

export function loadMeasures(runs: readonly LoadRun[], slaSeconds: number, warmWrites: number): Measure[] {
  return runs.map((run) => {
    const p = run.projection;
    const goal = run.goalSeconds ?? slaSeconds;
    const stored = figure(`${run.id.replace(/-s$/, '')}-stored-s`, p.storedSeconds, 's', {
      goal: `< ${goal} s`,
    });
    const processed = figure(run.id, p.processedSeconds, 's', { goal: `< ${goal} s` });
    const verdict = (s: number) => (s <= goal ? 'met' : 'MISSED');
    return {
      row: [
        `Load model on AWS, ${label(run)} rows at once (table warmed to ${warmWrites.toLocaleString('en-US')} writes/s)`,
        `stored ${shown(stored)} s (${p.storingBound}-bound; last file waited ${Math.round(p.longestWaitSeconds)} s, ` +
          `longest run ${Math.round(p.longestRunSeconds)} s); processed ${shown(processed)} s (detector ` +
          `${Math.round(p.detectorRowsPerSecond).toLocaleString('en-US')} rows/s on ${p.shardsReadAtOnce} of ` +
          `${p.streamShards} shards, ${p.detectorBound}-bound)`,
        `< ${goal} s: stored ${verdict(p.storedSeconds)}, processed ${verdict(p.processedSeconds)}`,
      ],
      figures: [stored, processed],
    };
  });
}

/** How the load rows were made, and what the scenarios that miss would need. */
export function loadNote(runs: readonly LoadRun[], warmWrites: number): string {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const d = runs[0]?.projection;
  return (
    `Load model (tools/bench/load.ts, unit-tested): K files arriving at once on 10 reserved validator instances ` +
    `(the rest wait), each a cold start, its checking pass and its storing pass at its memory's vCPU share, all ` +
    `sharing the transactions table warmed to ${n(warmWrites)} writes/s (config tableWarmWritesPerSecond); the ` +
    `stream has about one shard per table partition (${d?.streamShards ?? '?'} here: a partition serves 1,000 ` +
    `writes/s), and the anomaly function's 10 reserved instances read at most 10 shards at once ` +
    `(${d?.shardsReadAtOnce ?? '?'} here), each at its vCPU share and the CPU per transaction measured in the ` +
    `replay: ${n(d?.detectorRowsPerSecond ?? 0)} rows/s. Processed = stored plus the stream backlog worked off ` +
    `plus one batching window. A scenario whose stored time misses the SLA is bound by the transactions table ` +
    `(more warm throughput, up to the 40,000 writes/s quota, or a quota increase); one whose processed time ` +
    `alone misses it is bound by the detector, which would need more rows/s (less CPU per transaction, more ` +
    `shards read at once, or more state table throughput): README, "Table write capacity".`
  );
}
