/**
 * End to end through DynamoDB Local: one generated file uploaded as a merchant would (POST /upload,
 * PUT, GET /status until completed) through the local pipeline with the stack's own settings
 * (batch size, batching window, write concurrency, 4 stream shards). Measures rows/s from the
 * upload to every row stored, the time from the upload to the file's first and last alerts (the
 * file carries alerting patterns at both ends, e2e-file.ts), the detector's state reads and writes
 * per transaction from its own batch log lines, and then its capacity and its CPU per transaction
 * alone (detector-replay.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalDefinitions } from '../local/definitions';
import { uploadAndWait } from '../local/merchant-client';
import { STATE_FILES, startLocalPipeline, type PipelineEvent } from '../local/pipeline';
import { DEFAULT_SHARD_COUNT } from '../local/stream-shards';
import { perTransaction, readSettledLog, sumBatchLog } from './batch-log';
import { replayDetector, type DetectorReplay } from './detector-replay';
import { FIRST_PATTERN_PREFIX, LAST_PATTERN_PREFIX, PATTERN_ROWS, e2eFileBody } from './e2e-file';
import { generateFile } from './validator-core';

export interface PipelineBench {
  rows: number;
  stored: number;
  secondsToStored: number;
  /** The validator's own run (its manifest's duration); the rest is the upload, events and polling. */
  validatorSeconds: number;
  rowsPerSecond: number;
  /** Upload start to the first alert naming the file's first row. */
  secondsToFirstAlert?: number;
  /** Upload start to the last alert of the file (the patterns in its last rows). */
  secondsToLastAlert?: number;
  /** Rules of the last rows' patterns whose alert never came. */
  missingLastAlerts: string[];
  /** Upload start to the last stream batch evaluated: the detector's rate here is capped by its input. */
  secondsToDetected: number;
  /** From the detector's batch log lines. */
  detector: {
    transactions: number;
    batches: number;
    stateReadsPerTransaction: number;
    stateWritesPerTransaction: number;
  };
  /** The replay on the local run's shards at once: the detector's capacity on this machine. */
  replay: DetectorReplay;
  /**
   * The same replay on one shard: one execution environment at a time, as each Lambda instance runs
   * on its own share of a vCPU. Its CPU per transaction feeds the projections; with every shard at
   * once, 4 environments and DynamoDB Local share this machine's 2 cores, and each transaction's
   * CPU time grows with the contention (the bench shows both).
   */
  replayAlone: DetectorReplay;
  batchingWindowSeconds: number;
  batchSize: number;
  shards: number;
}

/** The rules the last rows must trip (e2e-file.ts). */
const LAST_RULES = ['velocity', 'high-amount'];

interface AlertTimes {
  first?: number;
  last?: number;
  lastRules: Set<string>;
}

/** Records when the file's first and last alerts arrive; `recording` stops it before the replay. */
function alertRecorder(times: AlertTimes, recording: () => boolean) {
  return function onEvent(event: PipelineEvent): void {
    if (event.kind !== 'alert' || !recording()) return;
    const at = performance.now();
    if (event.alert.message.includes(FIRST_PATTERN_PREFIX)) times.first ??= at;
    if (event.alert.message.includes(LAST_PATTERN_PREFIX)) {
      times.last = at;
      times.lastRules.add(event.alert.attributes.rule ?? '');
    }
  };
}

export async function benchPipeline(definitions: LocalDefinitions, rows: number): Promise<PipelineBench> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  const times: AlertTimes = { lastRules: new Set() };
  let recording = true;
  let lastBatchAt = 0;
  const onAlert = alertRecorder(times, () => recording);
  const stateDir = join(dir, 'state');
  const pipeline = await startLocalPipeline({
    definitions,
    stateDir,
    streamShardCount: DEFAULT_SHARD_COUNT,
    onEvent: (event) => {
      onAlert(event);
      if (event.kind === 'stream-batch' && recording) lastBatchAt = performance.now();
    },
  });
  try {
    const generated = join(dir, 'generated.csv');
    const startMs = Date.UTC(2024, 0, 1); // generateFile's first timestamp
    await generateFile(generated, rows - PATTERN_ROWS);
    const body = e2eFileBody(await readFile(generated, 'utf8'), startMs);
    const key = pipeline.keys.find((k) => k.merchantId === 'merchant-a') ?? pipeline.keys[0];
    const started = performance.now();
    const status = await uploadAndWait(pipeline.apiUrl, key.value, body, {
      pollMs: 100,
      timeoutMs: 15 * 60_000,
    });
    const secondsToStored = (performance.now() - started) / 1000;
    if (status.status !== 'completed')
      throw new Error(`the benchmark file was ${status.status}, not completed`);
    await pipeline.settle();
    recording = false;
    const totals = sumBatchLog(await readSettledLog(join(stateDir, STATE_FILES.logs, 'anomaly.log')));
    const per = perTransaction(totals);
    if (!per) throw new Error('the anomaly function logged no evaluated batch');
    const since = (at: number | undefined) => (at === undefined ? undefined : (at - started) / 1000);
    const replay = await replayDetector(definitions, pipeline, dir, DEFAULT_SHARD_COUNT);
    const replayAlone = await replayDetector(definitions, pipeline, dir, 1);
    return {
      rows: status.counts.rows,
      stored: status.counts.stored,
      secondsToStored,
      validatorSeconds: (status.durationMs ?? 0) / 1000,
      rowsPerSecond: status.counts.rows / secondsToStored,
      secondsToFirstAlert: since(times.first),
      secondsToLastAlert: since(times.last),
      missingLastAlerts: LAST_RULES.filter((rule) => !times.lastRules.has(rule)),
      secondsToDetected: (lastBatchAt - started) / 1000,
      detector: {
        transactions: totals.transactions,
        batches: totals.batches,
        stateReadsPerTransaction: per.reads,
        stateWritesPerTransaction: per.writes,
      },
      replay,
      replayAlone,
      batchingWindowSeconds: definitions.streamMapping.batchingWindowSeconds,
      batchSize: definitions.streamMapping.batchSize,
      shards: DEFAULT_SHARD_COUNT,
    };
  } finally {
    await pipeline.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
