/**
 * `npm run bench`: one table, every row measured side by side in this run, written to
 * docs/benchmarks.md with the machine it ran on. Options: --rows N (validator core file, default
 * 1,000,000), --e2e-rows N (end-to-end file, default 20,000), --out FILE, --skip-gate.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import * as prettier from 'prettier';
import { readLocalDefinitions, type LocalDefinitions } from '../local/definitions';
import { benchFunctions, type FunctionBench } from './functions';
import { benchGate, gateBenchRows } from './gate';
import { benchPipeline } from './pipeline';
import { consoleTable, markdownReport, type Row } from './report';
import { FULL_VCPU_MB, projectSla } from './sla';
import type { ValidatorCoreBench } from './validator-core';
import { benchWriteCost, type WriteCostBench } from './write-cost';
import { STOP_MARGIN_MS } from '../../lambda/validator/deadline';

const SLA_SECONDS = 300;
const SLA_ROWS = 1_000_000;
const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

/**
 * In its own process, so its peak RSS is the validator core's alone, not this whole run's; and
 * bundled by esbuild, as the function runs in Lambda (through tsx every cross-module call goes
 * through an export getter, about 10% slower). csv-parse stays external: both sides of the
 * comparison run the very same csv-parse code.
 */
const benchValidatorCoreIsolated = (rows: number): Promise<ValidatorCoreBench> =>
  new Promise((done, fail) => {
    const script = resolve(__dirname, '../../.bundle/bench/validator-core.js');
    buildSync({
      entryPoints: [resolve(__dirname, 'validator-core.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      external: ['csv-parse'],
      outfile: script,
      logLevel: 'error',
    });
    execFile(
      process.execPath,
      [script, String(rows), '3'],
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

function coreRows(b: ValidatorCoreBench): Row[] {
  return [
    [
      `validator core vs bare csv-parse, ${n(b.rows)} generated rows`,
      `${n(b.core.rowsPerSecond)} vs ${n(b.csvParse.rowsPerSecond)} rows/s (ratio ${b.ratio.toFixed(2)})`,
      'ratio >= 0.5',
    ],
    [
      'validator checking pass (decode, parse, header, row count), same file',
      `${n(b.checkPass.rowsPerSecond)} rows/s`,
      'feeds the SLA projection',
    ],
    ['validator core and csv-parse runs: peak RSS of their process', `${n(b.peakRssMb)} MB`, '< 200 MB'],
  ];
}

function functionRows(functions: FunctionBench[]): Row[] {
  return functions.flatMap((f): Row[] => [
    [
      `${f.purpose} function: bundle size`,
      `${kb(f.bundleBytes)} (${kb(f.gzipBytes)} gzipped)`,
      '< 50 MB zipped (Lambda limit)',
    ],
    [
      `${f.purpose} function: module init (cold-start proxy, median of 3)`,
      `${f.initMs.toFixed(0)} ms`,
      'for comparison',
    ],
  ]);
}

async function section(
  rows: Row[],
  failures: string[],
  name: string,
  work: () => Promise<Row[]>,
): Promise<void> {
  say(`${name}...`);
  try {
    rows.push(...(await work()));
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    failures.push(`${name}: ${message}`);
    rows.push([name, `could not run: ${message}`, '']);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      'e2e-rows': { type: 'string' },
      out: { type: 'string' },
      'skip-gate': { type: 'boolean' },
    },
  });
  const rows = Number(values.rows ?? SLA_ROWS);
  const e2eRows = Number(values['e2e-rows'] ?? 20_000);
  if (!Number.isInteger(rows) || rows < 1000 || !Number.isInteger(e2eRows) || e2eRows < 100) {
    throw new Error('--rows must be a whole number >= 1000 and --e2e-rows >= 100');
  }
  const startedAt = new Date();
  const table: Row[] = [];
  const failures: string[] = [];
  const notes: string[] = [];

  // First, while nothing else runs in this process or its children.
  let core: ValidatorCoreBench | undefined;
  await section(table, failures, 'validator core', async () =>
    coreRows((core = await benchValidatorCoreIsolated(rows))),
  );

  let writes: WriteCostBench | undefined;
  await section(table, failures, 'write client cost', async () => {
    const w = (writes = await benchWriteCost());
    return [
      [
        `validator writes: client CPU per row, ${n(w.rows)} rows to a stub DynamoDB`,
        `${w.sinkMicrosPerRow.toFixed(0)} µs in conditional INSERT batches of 25 vs ${w.putItemMicrosPerRow.toFixed(0)} µs ` +
          `with one conditional PutItem per row (${(w.putItemMicrosPerRow / w.sinkMicrosPerRow).toFixed(0)}x)`,
        'batches: the SLA below holds only for them',
      ],
    ];
  });

  say('synthesizing the stack for its definitions...');
  const { synthesize } = await import('../synth/synthesize');
  const definitions: LocalDefinitions = readLocalDefinitions(await synthesize());
  const validator = definitions.functions.validator;

  let functions: FunctionBench[] = [];
  await section(table, failures, 'function bundles', async () =>
    functionRows((functions = await benchFunctions(Object.values(definitions.functions)))),
  );

  await section(table, failures, 'end to end through DynamoDB Local', async () => {
    const e = await benchPipeline(definitions, e2eRows);
    return [
      [
        `end to end through DynamoDB Local, ${n(e.rows)} rows: upload to stored`,
        `${n(e.rowsPerSecond)} rows/s (${e.secondsToStored.toFixed(1)} s, of which the validator ran ` +
          `${e.validatorSeconds.toFixed(1)} s; ${n(e.stored)} stored)`,
        'measured locally (DynamoDB Local is not AWS)',
      ],
      [
        'end to end: upload to first alert',
        e.secondsToFirstAlert === undefined ? 'no alert' : `${e.secondsToFirstAlert.toFixed(1)} s`,
        `includes up to the ${e.batchingWindowSeconds} s batching window`,
      ],
    ];
  });

  await section(table, failures, 'SLA projection', async () => {
    if (!core || !writes) throw new Error('needs the validator core and write client measurements');
    const init = functions.find((f) => f.purpose === 'validator')?.initMs ?? 0;
    const stopMarginSeconds = STOP_MARGIN_MS / 1000;
    const p = projectSla({
      rows: SLA_ROWS,
      measuredCoreRowsPerSecond: core.core.rowsPerSecond,
      measuredCheckRowsPerSecond: core.checkPass.rowsPerSecond,
      writeClientMicrosPerRow: writes.sinkMicrosPerRow,
      memoryMb: validator.memoryMb,
      initMs: init,
      slaSeconds: SLA_SECONDS,
      functionTimeoutSeconds: validator.timeoutSeconds,
      stopMarginSeconds,
    });
    const share = `x ${validator.memoryMb}/${FULL_VCPU_MB} vCPU share at ${validator.memoryMb} MB`;
    const stopAt = validator.timeoutSeconds - stopMarginSeconds;
    notes.push(
      `SLA projection: total = checking pass + slowest stage of the storing pass + fixed = ` +
        `${p.checkingPassSeconds.toFixed(0)} + ${Math.max(p.cpuSeconds, p.writeSeconds).toFixed(0)} + ` +
        `${p.fixedSeconds.toFixed(1)} s. The checking pass (decode, parse, header, row count) runs before anything is ` +
        `written: rows / (its rows/s measured here, ${n(core.checkPass.rowsPerSecond)}, ${share}) = ` +
        `${p.checkingPassSeconds.toFixed(0)} s. The storing pass writes one batch while it parses the next, so it takes ` +
        `the slower of CPU = rows / (core rows/s ${share}) + the write client's CPU per row at the same share = ` +
        `${p.cpuSeconds.toFixed(0)} s, and writes = rows / 4,000 WRU/s (a new on-demand table; one unit per ` +
        `conditional insert) = ${p.writeSeconds.toFixed(0)} s. Fixed = module init + 1 s. A new file reads nothing ` +
        '(only existing keys are read back). A table that once served a higher peak writes faster (on-demand instantly ' +
        `serves double the previous peak). The validator stops taking rows ${stopMarginSeconds} s before its ` +
        `${validator.timeoutSeconds} s timeout, so a file must finish by ${stopAt} s.`,
    );
    return [
      [
        `SLA projection on AWS: ${n(SLA_ROWS)} rows at ${validator.memoryMb} MB`,
        `${p.totalSeconds.toFixed(0)} s (bound by ${p.bound})`,
        `< ${SLA_SECONDS} s SLA${p.withinSla ? ' (met)' : ' (MISSED)'}; < ${stopAt} s, where the validator stops` +
          (p.withinTimeout ? ' (met)' : ' (MISSED)'),
      ],
    ];
  });

  if (!values['skip-gate'])
    await section(table, failures, 'gate', async () => gateBenchRows(await benchGate()));

  notes.push(
    'Validator core: parse, validate, protect and batch, with a sink that discards, against bare csv-parse on the same ' +
      'generated file, alternated and best-of-3, in a process of their own (tools/bench/validator-core.ts, bundled by ' +
      "esbuild as the function is; csv-parse shared); peak RSS is that process's maximum.",
    'End to end: the real function bundles on DynamoDB Local, s3rver and the local stand-ins (`npm start`), with the ' +
      "stack's batch size, batching window and write concurrency; the file's first row is an anomaly. DynamoDB Local " +
      'is much slower than AWS at PartiQL: the conditional INSERT batches store about half as fast there as the ' +
      'unconditional BatchWriteItem they replaced (1,244 rows/s at commit 1fa4b9e); on AWS both cost one write unit per row.',
    'Module init: the bundle loaded in a fresh worker thread with the function environment (median of 3).',
  );
  const out = resolve(values.out ?? 'docs/benchmarks.md');
  // Formatted as `npm run lint` (prettier --check .) expects the committed file to be.
  const options = { ...(await prettier.resolveConfig(out)), filepath: out };
  writeFileSync(out, await prettier.format(markdownReport(table, notes, startedAt), options));
  process.stdout.write(`${consoleTable(table)}\n\nWritten to ${out}\n`);
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
