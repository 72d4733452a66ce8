/**
 * The offline policy gate: the verdict of `pulumi preview --policy-pack policies` without the
 * CLI, a provider plugin or cloud credentials, plus the reports auditors read. `npm run gate`
 * (cli.ts) and `npm start` call `runGate`.
 */
import * as path from 'node:path';
import { Analyzer } from './analyzer-client';
import { readPolicyConfigFile, reconcileConfig, type UserConfig } from './config';
import { evaluate } from './evaluate';
import { loadInput, stackName } from './inputs';
import { configureStackRequest } from './requests';
import { inputStackContext, packEnvironment, programStackContext, type StackContext } from './stack-context';
import { startPack, type PackProcess } from './pack-process';
import { readPackProject } from './pack-project';
import { gitCommitAsync, packContentHash } from './provenance';
import { GateInputError } from './errors';
import { isMandatory } from './format';
import { writeReports } from './write-reports';
import type { GateInput, GateResult } from './types';

export { renderConsole } from './console';
export { summaryLine } from './format';
export { isGateError, GateInputError, PackStartError, AnalyzerCallError, SynthesisError } from './errors';
export type { GateResult, GateInput, GateResource, Violation, PolicyOutcome } from './types';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_PACK_DIR = path.join(REPO_ROOT, 'policies');

export interface GateOptions {
  /** Stack whose `Pulumi.<stack>.yaml` configures the program. @default "dev" */
  stack?: string;
  /** Audit a `pulumi stack export` file instead of the program. */
  state?: string;
  /** Send mock values instead of unknowns (not a first preview). @default false */
  known?: boolean;
  /** A `pulumi stack export` of the deployed stack: a preview of it rather than a first one. */
  deployed?: string;
  /** The organization the pack is told about. @default "organization" (the DIY backend's) */
  organization?: string;
  /** A `--policy-pack-config` file. */
  policyConfig?: string;
  /** Config given as an object (programmatic use), applied after the file. */
  policyConfigValues?: UserConfig;
  /** @default <repo>/policies */
  packDir?: string;
  /** Where reports go; `null` writes none. @default "reports" */
  outDir?: string | null;
  /** Already-built input (tests, benchmarks): skips synthesis and `state`. */
  input?: GateInput;
  /** An already-running pack for `packDir` (reused across runs; not stopped). */
  pack?: PackProcess;
  /** Progress lines (`npm start` shows them). */
  onProgress?: (line: string) => void;
}

export async function runGate(options: GateOptions = {}): Promise<GateResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const progress = options.onProgress ?? (() => undefined);
  const packDir = path.resolve(options.packDir ?? DEFAULT_PACK_DIR);
  // Read the pack's project file and the user's config first: a bad file is reported before any
  // slow work.
  const project = options.pack?.project ?? readPackProject(packDir);
  const userConfig: UserConfig = {
    ...(options.policyConfig ? readPolicyConfigFile(options.policyConfig) : {}),
    ...(options.policyConfigValues ?? {}),
  };

  progress(
    options.input
      ? 'using the given resources'
      : options.state
        ? `reading ${options.state}`
        : 'synthesizing the stack',
  );
  // A state file is read before the pack starts (it is quick and often the bad input); synthesis
  // is slow, so the pack starts alongside it.
  const early = options.input ?? (options.state ? await loadInput(options) : undefined);
  // The pack is started knowing its stack, as the CLI's language host starts it (stack-context.ts).
  const context: StackContext = early
    ? inputStackContext(early, options.organization)
    : programStackContext(stackName(options), {
        organization: options.organization,
        dryRun: true,
        root: REPO_ROOT,
      });
  // The CLI refuses such a stack before the program or any policy runs: no verdict to give.
  if (context.missingConfig) throw new GateInputError(context.missingConfig);
  const abort = new AbortController();
  const packPromise = options.pack
    ? Promise.resolve(options.pack)
    : startPack(packDir, { signal: abort.signal, env: packEnvironment(context), project });
  packPromise.catch(() => undefined); // handled below; avoids an unhandled rejection during synthesis
  let input: GateInput;
  try {
    input = early ?? (await loadInput(options, context));
  } catch (e) {
    // Never leave a pack running behind an input error, nor wait for it to finish starting.
    abort.abort();
    if (!options.pack) await packPromise.then((p) => p.stop()).catch(() => undefined);
    throw e;
  }
  if (input.deployed) {
    progress(
      `${input.deployed.unchanged.length} of ${input.resources.length} resources unchanged from ${input.deployed.source}: AnalyzeStack is shown their deployed outputs`,
    );
  }
  const t1 = performance.now();
  const pack = await packPromise;
  const t2 = performance.now();
  const analyzer = new Analyzer(pack.address, project);
  const commit = gitCommitAsync(REPO_ROOT);
  try {
    progress(`analyzing ${input.resources.length} resources`);
    // The CLI configures the stack as soon as the pack serves, before anything else.
    await analyzer.configureStack(configureStackRequest(context));
    const info = await analyzer.getAnalyzerInfo();
    if (info.supportsConfig === false && Object.keys(userConfig).length > 0) {
      // The CLI's refusal, in its words (pkg/engine/update.go LoadLocalPolicyPackAnalyzers).
      throw new GateInputError(`policy pack "${info.name}" at "${packDir}" does not support config`);
    }
    const config = reconcileConfig(info, userConfig);
    const evaluation = await evaluate(analyzer, info, config, input);
    const t3 = performance.now();
    const mandatory = evaluation.violations.filter(isMandatory).length;
    const result: GateResult = {
      exitCode: mandatory > 0 ? 1 : 0,
      input,
      context,
      pack: { ...info, directory: packDir, contentHash: packContentHash(packDir) },
      config,
      ...evaluation,
      counts: {
        resources: input.resources.length,
        policies: evaluation.outcomes.length,
        mandatory,
        advisory: evaluation.violations.length - mandatory,
        unevaluated: evaluation.unevaluated.length,
      },
      startedAt,
      gitCommit: await commit,
      timings: { inputMs: t1 - t0, packStartMs: t2 - t0, analyzeMs: t3 - t2, reportsMs: 0, totalMs: t3 - t0 },
      reportFiles: [],
    };
    const outDir = options.outDir === undefined ? 'reports' : options.outDir;
    if (outDir !== null) {
      result.reportFiles = await writeReports(result, outDir);
      result.timings.reportsMs = performance.now() - t3;
      result.timings.totalMs = performance.now() - t0;
    }
    return result;
  } finally {
    analyzer.close();
    if (!options.pack) await pack.stop();
  }
}
