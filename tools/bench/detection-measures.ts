/**
 * Table rows of the end-to-end run, the detector's measures and the SLA projection, each built from
 * its figures (figures.ts), with the notes that state their models.
 */
import { PROFILE_PERIOD_DAYS } from '../../lambda/anomaly/state/buckets';
import { figure, shown, type Measure } from './figures';
import type { PipelineBench } from './pipeline';
import { FULL_VCPU_MB, type ProcessedProjection, type SlaProjection } from './sla';

/** rows / the validator's own run: the rate at which it puts records on the stream. */
export function validatorRowsPerSecond(e: PipelineBench): number {
  return e.rows / e.validatorSeconds;
}

export function pipelineMeasures(e: PipelineBench): Measure[] {
  const rows = figure('e2e-rows', e.rows, 'rows');
  const rate = figure('e2e-upload-to-stored-rows-per-second', e.rowsPerSecond, 'rows/s', {
    goal: 'measured locally (DynamoDB Local is not AWS)',
  });
  const toStored = figure('e2e-upload-to-stored-seconds', e.secondsToStored, 's', { digits: 1 });
  const ran = figure('e2e-validator-seconds', e.validatorSeconds, 's', { digits: 1 });
  const stored = figure('e2e-stored-rows', e.stored, 'rows');
  const window = `includes up to the ${e.batchingWindowSeconds} s batching window`;
  const measures: Measure[] = [
    {
      row: [
        `end to end through DynamoDB Local, ${shown(rows)} rows: upload to stored`,
        `${shown(rate)} rows/s (${shown(toStored)} s, of which the validator ran ${shown(ran)} s; ${shown(stored)} stored)`,
        'measured locally (DynamoDB Local is not AWS)',
      ],
      figures: [rows, rate, toStored, ran, stored],
    },
  ];
  if (e.secondsToFirstAlert !== undefined) {
    const first = figure('upload-to-first-alert-seconds', e.secondsToFirstAlert, 's', {
      digits: 1,
      goal: window,
    });
    measures.push({
      row: ['end to end: upload to first alert (the first row)', `${shown(first)} s`, window],
      figures: [first],
    });
  }
  if (e.secondsToLastAlert !== undefined && e.missingLastAlerts.length === 0) {
    const last = figure('upload-to-last-alert-seconds', e.secondsToLastAlert, 's', {
      digits: 1,
      goal: window,
    });
    const lag = figure('detector-lag-after-stored-seconds', e.secondsToLastAlert - e.secondsToStored, 's', {
      digits: 1,
    });
    measures.push({
      row: [
        'end to end: upload to last alert (velocity burst and high amount in the last rows)',
        `${shown(last)} s (${shown(lag)} s after the upload was stored)`,
        window,
      ],
      figures: [last, lag],
    });
  }
  return [...measures, ...detectorMeasures(e)];
}

function detectorMeasures(e: PipelineBench): Measure[] {
  const goalRatio = '>= 1 (the detector keeps up)';
  const capacity = figure('detector-capacity-rows-per-second', e.replay.rowsPerSecond, 'rows/s');
  const validator = figure('validator-rows-per-second', validatorRowsPerSecond(e), 'rows/s');
  const ratio = figure(
    'detector-vs-validator-ratio',
    e.replay.rowsPerSecond / validatorRowsPerSecond(e),
    'ratio',
    {
      digits: 2,
      goal: goalRatio,
    },
  );
  const inRun = figure(
    'detector-e2e-rows-per-second',
    e.detector.transactions / e.secondsToDetected,
    'rows/s',
  );
  const goalState = '<= 2';
  // Read units: strongly consistent reads count 1, key-only lookups 1/2 (state/store.ts).
  const goalReads = '<= 3';
  const reads = figure(
    'state-reads-per-transaction',
    e.detector.stateReadsPerTransaction,
    'read units/transaction',
    {
      digits: 2,
      goal: goalReads,
    },
  );
  const writes = figure(
    'state-writes-per-transaction',
    e.detector.stateWritesPerTransaction,
    'writes/transaction',
    {
      digits: 2,
      goal: goalState,
    },
  );
  const replayReads = figure(
    'replay-state-reads-per-transaction',
    e.replay.stateReadsPerTransaction,
    'read units/transaction',
    {
      digits: 2,
      goal: goalReads,
    },
  );
  const replayWrites = figure(
    'replay-state-writes-per-transaction',
    e.replay.stateWritesPerTransaction,
    'writes/transaction',
    { digits: 2, goal: goalState },
  );
  const cpu = figure('detector-cpu-per-transaction-us', e.replayAlone.cpuMicrosPerTransaction, 'µs', {
    goal: 'feeds the SLA projection',
  });
  const crowded = figure(
    'detector-cpu-per-transaction-all-shards-us',
    e.replay.cpuMicrosPerTransaction,
    'µs',
  );
  const main = figure(
    'replay-main-thread-cpu-per-transaction-us',
    e.replayAlone.mainThreadMicrosPerTransaction,
    'µs',
  );
  return [
    {
      row: [
        `detector capacity vs validator, through DynamoDB Local (${e.shards} shards, batches of ${e.batchSize})`,
        `${shown(capacity)} vs ${shown(validator)} rows/s (ratio ${shown(ratio)}); ` +
          `${shown(inRun)} rows/s in the end-to-end run, where its input caps it`,
        `ratio ${goalRatio}`,
      ],
      figures: [capacity, validator, ratio, inRun],
    },
    {
      row: [
        'detector state read units / writes per transaction (its batch log lines)',
        `${shown(reads)} / ${shown(writes)} end to end; ${shown(replayReads)} / ${shown(replayWrites)} in full batches`,
        `${goalReads} / ${goalState}`,
      ],
      figures: [reads, writes, replayReads, replayWrites],
    },
    {
      row: [
        'detector CPU per transaction (replay, one execution environment at a time)',
        `${shown(cpu)} µs (${shown(crowded)} µs with ${e.shards} shards at once on this machine's cores; ` +
          `${shown(main)} µs on the main thread: the local stand-ins, not counted)`,
        'feeds the SLA projection',
      ],
      figures: [cpu, crowded, main],
    },
  ];
}

export interface SlaContext {
  rows: number;
  memoryMb: number;
  anomalyMemoryMb: number;
  slaSeconds: number;
  stopAtSeconds: number;
  /** Stream shards the detector reads at once on AWS (the load model's, not the local run's). */
  awsShards: number;
  /** The detector state table's warm throughput (stack/config.ts, stateTableWarmThroughput). */
  stateWriteUnitsPerSecond: number;
  stateReadUnitsPerSecond: number;
}

export function slaMeasures(p: SlaProjection, processed: ProcessedProjection, c: SlaContext): Measure[] {
  const verdict = (met: boolean) => (met ? ' (met)' : ' (MISSED)');
  const rows = figure('sla-rows', c.rows, 'rows');
  const stored = figure('sla-stored-seconds', p.totalSeconds, 's', { goal: `< ${c.stopAtSeconds} s` });
  const total = figure('sla-projection-seconds', processed.processedSeconds, 's', {
    goal: `< ${c.slaSeconds}`,
  });
  const d = processed.detector;
  const rate = figure('sla-detector-rows-per-second', d.rowsPerSecond, 'rows/s');
  const arrival = figure('sla-stream-arrival-rows-per-second', d.arrivalRowsPerSecond, 'rows/s');
  const lag = figure('sla-detector-lag-seconds', d.lagSeconds, 's');
  return [
    {
      row: [
        `SLA projection on AWS, ${shown(rows)} rows at ${c.memoryMb} MB: stored`,
        `${shown(stored)} s (bound by ${p.bound})`,
        `< ${c.stopAtSeconds} s, where the validator stops${verdict(p.withinTimeout)}`,
      ],
      figures: [rows, stored],
    },
    {
      row: [
        'SLA projection on AWS: processed (stored, then its alerts sent)',
        `${shown(total)} s: the detector takes ${shown(rate)} rows/s (bound by its ${d.bound}) of the ` +
          `${shown(arrival)} rows/s stored, and ends ${shown(lag)} s after the last row is stored`,
        `< ${c.slaSeconds} s SLA${verdict(processed.withinSla)}`,
      ],
      figures: [total, rate, arrival, lag],
    },
  ];
}

export function detectorNotes(e: PipelineBench, processed: ProcessedProjection, c: SlaContext): string[] {
  const d = processed.detector;
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  return [
    `Detector vs validator: the ratio divides the detector's capacity by the validator's own rate (rows / its run, ` +
      `the rate at which it puts records on the stream). In the end-to-end run the detector can go no faster than ` +
      `that input, so its rate there (transactions / upload to the last batch evaluated) says nothing of its ` +
      `headroom. Its capacity is measured once the file is stored: the same stream records, read back first, are ` +
      `fed again through the real anomaly bundle to a fresh state table on the same DynamoDB Local, in full ` +
      `batches of ${e.batchSize}, ${e.shards} shards concurrently, each in its own warm execution environment ` +
      `(tools/bench/detector-replay.ts). The validator is idle then, so that capacity is what the detector has ` +
      `alone; in the end-to-end run both share this machine's 2 cores and DynamoDB Local, and its lag after ` +
      `the upload was stored is the check that it kept up there too.`,
    `State reads and writes: sums of stateReads (read units), stateWrites (statements) and transactions over the ` +
      `function's 'Stream batch evaluated' log lines (one per batch), end to end and in the replay's full batches. ` +
      `The generated file uses 10,000 cards for ${n(e.rows)} rows, so a batch rarely holds one card twice: one ` +
      `card-day write and one profile write per transaction (and a merchant-bucket write for the few small ` +
      `payments; an item that exists is UPDATEd and returns itself, so nothing is read back). The reads: a ` +
      `key-only lookup of each item before it is written (1/2 unit each; a profile whose card-day existed is ` +
      `not looked up), the card's profile period around the day ` +
      `other than its own (the profile days before and after a day span at most two ${PROFILE_PERIOD_DAYS}-day ` +
      `periods: one read), and the neighbouring card-day for transactions within a window of midnight (the file ` +
      `starts at 00:00 UTC).`,
    `SLA projection, processed: a file is processed when it is stored and its alerts are sent, so the projection ` +
      `adds the detector's lag after the last row is stored (tools/bench/sla.ts, projectDetector). The detector ` +
      `reads the stream while the storing pass writes it (${n(d.arrivalRowsPerSecond)} rows/s), one invocation ` +
      `per shard at a time (${c.awsShards} shards read at once: a shard per partition of the warmed table, at ` +
      `most one per reserved instance, as the load model below; parallelization factor 1). Its rate is the ` +
      `lower of CPU = shards x ${c.anomalyMemoryMb}/${FULL_VCPU_MB} vCPU / ${n(e.replayAlone.cpuMicrosPerTransaction)} ` +
      `µs per transaction (measured in the replay on one shard, one execution environment at a time as each ` +
      `Lambda instance has its own vCPU share: the CPU of every thread of the bench process but the main one, ` +
      `which runs the local S3, SNS and stream stand-ins; the runtime's helper threads, GC included, count. With ` +
      `${e.shards} shards at once the same work took ${n(e.replay.cpuMicrosPerTransaction)} µs: 4 environments and ` +
      `DynamoDB Local contend for this machine's cores) = ` +
      `${n(d.cpuRowsPerSecond)} rows/s, and the state table = min(${n(c.stateWriteUnitsPerSecond)} / writes, ` +
      `${n(c.stateReadUnitsPerSecond)} / reads) per second (its warm throughput: twice the transactions table's ` +
      `writes, three times as many reads, within 40,000 each (stack/config.ts, stateTableWarmThroughput); a ` +
      `warmed table serves its warm reads and its warm writes each, as AWS states them (tools/bench/sla.ts, ` +
      `tableRowsPerSecond); the larger per-transaction counts of the two runs above; one unit per write ` +
      `under 1 KB, per strongly consistent read under 4 KB, half a unit per key-only lookup) = ` +
      `${n(d.stateTableRowsPerSecond)} rows/s. If it keeps up, the last records wait up to the ` +
      `${e.batchingWindowSeconds} s batching window and take one batch (${d.batchSeconds.toFixed(2)} s); ` +
      `otherwise it ends when its backlog is worked off (rows / its rate). Not modelled: DynamoDB's ` +
      `round-trip latency per batch (DynamoDB Local says nothing of AWS's) and the anomaly function's cold start.`,
  ];
}
