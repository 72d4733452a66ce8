/**
 * `npm run bench`: one table, every row measured side by side in this run, written to
 * docs/benchmarks.md with the machine it ran on. Options: --rows N (validator core file, default
 * 1,000,000), --e2e-rows N (end-to-end file, default 20,000), --out FILE, --json FILE (every figure
 * with its id, value, unit and goal, and the run's metadata), --skip-gate.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import * as prettier from 'prettier';
import { readLocalDefinitions, type LocalDefinitions } from '../local/definitions';
import { LAMBDA_NODE_TARGET } from '../../stack/lambda-bundle';
import { DEFAULT_RESERVED_CONCURRENCY } from '../../stack/components/lambda-function';
import { DEFAULT_TABLE_WARM_WRITES, NEW_TABLE_READS, stateTableWarmThroughput } from '../../stack/config';
import { loadMeasures, loadNote, runLoadScenarios } from './load-measures';
import { streamShards } from './load';
import { STOP_MARGIN_MS } from '../../lambda/validator/deadline';
import { detectorNotes, pipelineMeasures, slaMeasures } from './detection-measures';
import { benchJson, checkMeasures, type Measure } from './figures';
import { benchFunctions, type FunctionBench } from './functions';
import { benchGate, gateMeasures } from './gate';
import { coreMeasures, functionMeasures, writeCostMeasures } from './measures';
import { benchPipeline, type PipelineBench } from './pipeline';
import { consoleTable, markdownReport, runMetadata } from './report';
import { slaNote } from './sla-note';
import { projectProcessed, projectSla } from './sla';
import type { ValidatorCoreBench } from './validator-core';
import { benchWriteCost, type WriteCostBench } from './write-cost';

const SLA_SECONDS = 300;
const SLA_ROWS = 1_000_000;

function say(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/**
 * In its own process, so its peak RSS is the validator core's alone, not this whole run's; and
 * bundled by esbuild, as the function runs in Lambda (through tsx every cross-module call goes
 * through an export getter, about 10% slower). csv-parse stays external: both sides of the
 * comparison run the very same csv-parse code.
 */
/**
 * V8 in Node 22+ sizes its young generation from the machine's memory: on this 24 GiB machine its
 * semi-spaces grow to several times what a 512 MB Lambda function gets, and the peak RSS with them
 * (198-239 MB on Node 24 against 137 MB on Node 20, for the same bundle and file). The child gets
 * the 16 MB semi-spaces of a small machine, so the figure is the function's, not this machine's.
 */
const LAMBDA_LIKE_HEAP_FLAGS = ['--max-semi-space-size=16'];

function benchValidatorCoreIsolated(rows: number): Promise<ValidatorCoreBench> {
  return new Promise((done, fail) => {
    const script = resolve(__dirname, '../../.bundle/bench/validator-core.js');
    buildSync({
      entryPoints: [resolve(__dirname, 'validator-core.ts')],
      bundle: true,
      platform: 'node',
      target: LAMBDA_NODE_TARGET,
      external: ['csv-parse'],
      outfile: script,
      logLevel: 'error',
    });
    execFile(
      process.execPath,
      [...LAMBDA_LIKE_HEAP_FLAGS, script, String(rows), '3'],
      { maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return fail(new Error(stderr.trim().split('\n').pop() ?? error.message));
        try {
          done(JSON.parse(stdout) as ValidatorCoreBench);
        } catch {
          fail(new Error(`unexpected output from ${script}: ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

/** Runs one part of the bench; a part that fails leaves a row saying so, and the run goes on. */
async function section(
  measures: Measure[],
  failures: string[],
  name: string,
  work: () => Promise<Measure[]>,
): Promise<void> {
  say(`${name}...`);
  try {
    const done = await work();
    checkMeasures([...measures, ...done]); // a row must show its figures, and ids are unique
    measures.push(...done);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    failures.push(`${name}: ${message}`);
    measures.push({ row: [name, `could not run: ${message}`, ''], figures: [] });
  }
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      'e2e-rows': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
      'skip-gate': { type: 'boolean' },
    },
  });
  const rows = Number(values.rows ?? SLA_ROWS);
  const e2eRows = Number(values['e2e-rows'] ?? 20_000);
  if (!Number.isInteger(rows) || rows < 1000 || !Number.isInteger(e2eRows) || e2eRows < 100) {
    throw new Error('--rows must be a whole number >= 1000 and --e2e-rows >= 100');
  }
  return { rows, e2eRows, out: values.out, json: values.json, skipGate: values['skip-gate'] === true };
}

async function main(): Promise<number> {
  const options = readOptions();
  const startedAt = new Date();
  const measures: Measure[] = [];
  const failures: string[] = [];
  const notes: string[] = [];

  // First, while nothing else runs in this process or its children.
  let core: ValidatorCoreBench | undefined;
  await section(measures, failures, 'validator core', async () =>
    coreMeasures((core = await benchValidatorCoreIsolated(options.rows))),
  );
  let writes: WriteCostBench | undefined;
  await section(measures, failures, 'write client cost', async () =>
    writeCostMeasures((writes = await benchWriteCost())),
  );

  say('synthesizing the stack for its definitions...');
  const { synthesize } = await import('../../gate/synth/synthesize');
  const definitions: LocalDefinitions = readLocalDefinitions(await synthesize());
  const validator = definitions.functions.validator;

  let functions: FunctionBench[] = [];
  await section(measures, failures, 'function bundles', async () =>
    functionMeasures((functions = await benchFunctions(Object.values(definitions.functions)))),
  );

  let e2e: PipelineBench | undefined;
  await section(measures, failures, 'end to end through DynamoDB Local', async () => {
    const e = (e2e = await benchPipeline(definitions, options.e2eRows));
    if (e.missingLastAlerts.length > 0)
      failures.push(`end to end: no alert for the last rows' ${e.missingLastAlerts.join(', ')} pattern`);
    for (const replay of [e.replay, e.replayAlone])
      if (replay.droppedBatches > 0)
        failures.push(
          `detector replay on ${replay.shards} shards: ${replay.droppedBatches} batches went to the failure destination`,
        );
    return pipelineMeasures(e);
  });

  await section(measures, failures, 'SLA projection', async () => {
    if (!core || !writes || !e2e)
      throw new Error('needs the validator core, write client and end-to-end measures');
    const stopMarginSeconds = STOP_MARGIN_MS / 1000;
    const inputs = {
      rows: SLA_ROWS,
      measuredCoreRowsPerSecond: core.core.rowsPerSecond,
      measuredCheckRowsPerSecond: core.checkPass.rowsPerSecond,
      writeClientMicrosPerRow: writes.sinkMicrosPerRow,
      memoryMb: validator.memoryMb,
      initMs: functions.find((f) => f.purpose === 'validator')?.initMs ?? 0,
      slaSeconds: SLA_SECONDS,
      functionTimeoutSeconds: validator.timeoutSeconds,
      stopMarginSeconds,
      // The table as the stack configures it (tableWarmWritesPerSecond's default), not a bare new one.
      writeUnitsPerSecond: DEFAULT_TABLE_WARM_WRITES,
    };
    const p = projectSla(inputs);
    // The larger of the two runs' state counts: full batches (as on AWS at this rate) and the e2e run's.
    const measuredDetector = {
      cpuMicrosPerTransaction: e2e.replayAlone.cpuMicrosPerTransaction,
      stateReadsPerTransaction: Math.max(
        e2e.replay.stateReadsPerTransaction,
        e2e.detector.stateReadsPerTransaction,
      ),
      stateWritesPerTransaction: Math.max(
        e2e.replay.stateWritesPerTransaction,
        e2e.detector.stateWritesPerTransaction,
      ),
      memoryMb: definitions.functions.anomaly.memoryMb,
      batchingWindowSeconds: e2e.batchingWindowSeconds,
    };
    const stateTable = stateTableWarmThroughput(DEFAULT_TABLE_WARM_WRITES);
    // As the load model reads them on AWS: a shard per table partition, at most one invocation per
    // reserved instance at once (the local run's 4 shards are this machine's, not AWS's).
    const awsShards = Math.min(
      streamShards(DEFAULT_TABLE_WARM_WRITES, NEW_TABLE_READS),
      DEFAULT_RESERVED_CONCURRENCY,
    );
    const processed = projectProcessed(p, inputs, {
      ...measuredDetector,
      writeUnitsPerSecond: stateTable.writeUnitsPerSecond,
      readUnitsPerSecond: stateTable.readUnitsPerSecond,
      shards: awsShards,
      batchSize: e2e.batchSize,
    });
    const context = {
      rows: SLA_ROWS,
      memoryMb: validator.memoryMb,
      anomalyMemoryMb: definitions.functions.anomaly.memoryMb,
      slaSeconds: SLA_SECONDS,
      stopAtSeconds: validator.timeoutSeconds - stopMarginSeconds,
      awsShards,
      stateWriteUnitsPerSecond: stateTable.writeUnitsPerSecond,
      stateReadUnitsPerSecond: stateTable.readUnitsPerSecond,
    };
    notes.push(
      slaNote(p, core, validator, stopMarginSeconds, DEFAULT_TABLE_WARM_WRITES),
      ...detectorNotes(e2e, processed, context),
    );
    const detector = {
      ...measuredDetector,
      instances: DEFAULT_RESERVED_CONCURRENCY,
      stateWriteUnitsPerSecond: stateTable.writeUnitsPerSecond,
      stateReadUnitsPerSecond: stateTable.readUnitsPerSecond,
    };
    const load = runLoadScenarios({
      coreMicrosPerRow: 1e6 / core.core.rowsPerSecond,
      checkMicrosPerRow: 1e6 / core.checkPass.rowsPerSecond,
      writeClientMicrosPerRow: writes.sinkMicrosPerRow,
      validatorMemoryMb: validator.memoryMb,
      validatorInstances: DEFAULT_RESERVED_CONCURRENCY,
      initMs: inputs.initMs,
      tableWriteUnitsPerSecond: DEFAULT_TABLE_WARM_WRITES,
      tableReadUnitsPerSecond: NEW_TABLE_READS,
      detector,
    });
    notes.push(loadNote(load, DEFAULT_TABLE_WARM_WRITES));
    return [
      ...slaMeasures(p, processed, context),
      ...loadMeasures(load, SLA_SECONDS, DEFAULT_TABLE_WARM_WRITES),
    ];
  });

  if (!options.skipGate)
    await section(measures, failures, 'gate', async () => gateMeasures(await benchGate()));

  notes.push(
    'Validator core: parse, validate, protect and batch, with a sink that discards, against bare csv-parse on the same ' +
      'generated file, alternated and best-of-3, in a process of their own (tools/bench/validator-core.ts, bundled by ' +
      "esbuild as the function is; csv-parse shared); peak RSS is that process's maximum.",
    'End to end: the real function bundles on DynamoDB Local, s3rver and the local stand-ins (`npm start`), with the ' +
      "stack's batch size, batching window and write concurrency, and the stream over 4 virtual shards; the file's " +
      'first row is an anomaly, and its last rows a velocity burst and a high amount (timed after every other row). ' +
      'The detector, which keeps durable state since commit 6e21c13, runs during the upload on the same 2 cores and ' +
      'the same DynamoDB Local as the validator: compare upload-to-stored with runs before it (764 rows/s at commit ' +
      '9721ff2) with that in mind. ' +
      'DynamoDB Local is much slower than AWS at PartiQL: the conditional INSERT batches store about half as fast ' +
      'there as the unconditional BatchWriteItem they replaced (1,244 rows/s at commit 1fa4b9e); on AWS both cost ' +
      'one write unit per row.',
    'Module init: the bundle loaded in a fresh worker thread with the function environment (median of 3).',
  );
  const table = measures.map((m) => m.row);
  const out = resolve(options.out ?? 'docs/benchmarks.md');
  // Formatted as `npm run lint` (prettier --check .) expects the committed file to be.
  const format = { ...(await prettier.resolveConfig(out)), filepath: out };
  writeFileSync(out, await prettier.format(markdownReport(table, notes, startedAt), format));
  process.stdout.write(`${consoleTable(table)}\n\nWritten to ${out}\n`);
  if (options.json) {
    const run = runMetadata(startedAt, {
      rows: options.rows,
      e2eRows: options.e2eRows,
      skipGate: options.skipGate,
    });
    const json = resolve(options.json);
    writeFileSync(json, `${JSON.stringify(benchJson(measures, run, failures), null, 2)}\n`);
    process.stdout.write(`Figures written to ${json}\n`);
  }
  if (failures.length > 0)
    process.stderr.write(`bench: some measures could not run:\n  ${failures.join('\n  ')}\n`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(2);
  },
);
