/**
 * `npm start`: the policy gate, then the whole pipeline on an embedded local AWS, the samples
 * uploaded as a merchant would, and the merchant API served until Ctrl-C (`--once`: exit after
 * the samples, 0 when everything behaved as expected). See USAGE in cli-options.ts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatSampleResult, formatServing } from './console-report';
import { parseStartOptions, USAGE, UsageError, type StartOptions } from './cli-options';
import { readLocalDefinitions } from './definitions';
import { scanDirectoryForPans } from './pan-scan';
import { startLocalPipeline, type LocalPipeline, type PipelineEvent } from './pipeline';
import { runSamples } from './run-samples';
import { planSamples } from './samples';

const REPO_ROOT = resolve(__dirname, '..', '..');
const say = (line = '') => process.stdout.write(`${line}\n`);

/** The gate exactly as `npm run gate` runs it, in its own process (Pulumi's runtime is per process). */
function runGateStep(stack: string): number {
  say(`Policy gate (npm run gate -- --stack ${stack}):`);
  const cli = resolve(REPO_ROOT, 'gate', 'cli.ts');
  const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), cli, '--stack', stack], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  return result.status ?? 2;
}

const onEvent = (serving: () => boolean) => (event: PipelineEvent) => {
  if (event.kind === 'alert' && serving())
    say(`    alert: ${event.alert.subject ?? event.alert.message.split('\n')[0]}`);
  else if (event.kind === 'failure')
    say(
      `    failure queue: ${event.subject} (${event.functionName}, ${event.condition}); ` +
        'replay it with npm run redrive -- --apply',
    );
  else if (event.kind === 'validator-error') say(`    validator error on ${event.key}: ${event.message}`);
  else if (event.kind === 'request' && serving()) say(`  ${event.line}`);
};

async function main(options: StartOptions): Promise<number> {
  if (!options.skipGate) {
    const gate = runGateStep(options.stack);
    if (gate === 1) {
      say(
        '\nnpm start: stopped - the policy gate found a mandatory violation (see reports/policy-report.md).',
      );
      return 1;
    }
    if (gate !== 0) {
      say('\nnpm start: stopped - the policy gate could not run (see the error above).');
      return 2;
    }
  }
  const samplesDir = resolve(options.samplesDir);
  const runs = planSamples(readdirSync(samplesDir));
  say('\nReading the stack definitions (synthesizing the program under Pulumi mocks)...');
  const { synthesize } = await import('../../gate/synth/synthesize');
  const definitions = readLocalDefinitions(await synthesize({ stack: options.stack }));

  let serving = false;
  const running: { stop?: () => Promise<void> } = {};
  let stopping = false;
  const shutdown = (code: number) => {
    if (stopping) process.exit(code); // a second Ctrl-C: leave now
    stopping = true;
    say('\nStopping the local servers...');
    void (running.stop?.() ?? Promise.resolve()).finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown(serving ? 0 : 130));
  process.on('SIGTERM', () => shutdown(143));

  say('Starting the embedded local AWS:');
  const pipeline = await startLocalPipeline({
    definitions,
    stack: options.stack,
    stateDir: resolve(options.stateDir),
    ports: options.ports,
    onEvent: onEvent(() => serving),
    onProgress: (line) => say(`  ${line}`),
    registerStop: (stop) => (running.stop = stop),
  });
  try {
    return await demonstrate(
      pipeline,
      options,
      runs,
      samplesDir,
      () => (serving = true),
      () => (stopping = true),
    );
  } catch (error) {
    await pipeline.stop();
    throw error;
  }
}

async function demonstrate(
  pipeline: LocalPipeline,
  options: StartOptions,
  runs: ReturnType<typeof planSamples>,
  samplesDir: string,
  startServing: () => void,
  markStopping: () => void,
): Promise<number> {
  const merchant = pipeline.keys[0];
  let lastStatus = '';
  say(`\nUploading ${runs.length} sample files as ${merchant.merchantId} (POST /upload, PUT, GET /status):`);
  const results = await runSamples(pipeline, {
    samplesDir,
    runs,
    merchantKey: merchant.value,
    onStart: (run, i) => {
      lastStatus = '';
      say(`[${i + 1}/${runs.length}] ${run.label}`);
    },
    onStatus: (status) => {
      if (status.status !== lastStatus) say(`    ${(lastStatus = status.status)}...`);
    },
    onDone: (result) => formatSampleResult(result).forEach((line) => say(line)),
  });

  const scan = scanDirectoryForPans(pipeline.stateDir);
  const unexpected = results.filter((r) => r.problems.length > 0);
  say();
  if (scan.findings.length === 0)
    say(`No full card number in ${options.stateDir}/ (${scan.files} files scanned).`);
  else
    scan.findings.forEach((f) =>
      say(`FULL CARD NUMBER in ${options.stateDir}/${f.file} (${f.masked.join(', ')})`),
    );
  say(
    unexpected.length === 0
      ? `All ${results.length} uploads behaved as expected.`
      : `${unexpected.length} of ${results.length} uploads did not behave as expected: ${unexpected.map((r) => r.run.label).join(', ')}.`,
  );
  const ok = unexpected.length === 0 && scan.findings.length === 0;
  if (options.once) {
    markStopping();
    await pipeline.stop();
    return ok ? 0 : 1;
  }
  formatServing(pipeline.apiUrl, pipeline.keys, options.stateDir).forEach((line) => say(line));
  startServing();
  return new Promise<number>(() => undefined); // until Ctrl-C (shutdown exits)
}

let options: StartOptions;
try {
  options = parseStartOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`npm start: ${(error as Error).message}\n`);
  process.exit(2);
}
if (options.help) {
  say(USAGE);
  process.exit(0);
}
main(options).then(
  (code) => process.exit(code),
  (error: Error) => {
    const known =
      error instanceof UsageError ||
      ['JavaMissingError', 'StackDefinitionError', 'StackConfigFileError', 'ConfigError'].includes(
        error.name,
      );
    process.stderr.write(`\nnpm start: ${known ? error.message : `failed: ${error.message}`}\n`);
    process.exit(2);
  },
);
