/**
 * Starts a policy pack the way the Pulumi CLI's Node.js language host does (RunPlugin in
 * pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go): resolve
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory, so a pack with its own
 * node_modules runs on its own SDK (and its own TypeScript, which the runner uses to compile a
 * `.ts` pack with type checking); run it with node in that directory as
 * `<runner> <nodeargs…> <engine-address> <pack dir>`, with PULUMI_NODEJS_TYPESCRIPT and
 * PULUMI_NODEJS_TSCONFIG_PATH from PulumiPolicy.yaml's runtime options; and read the port it prints
 * on its first stdout line. The pack then serves the Analyzer gRPC service on 127.0.0.1:<port>.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { PackStartError } from './errors';
import { readPackProject, type PackProject } from './pack-project';

export interface PackProcess {
  address: string;
  pid: number;
  /** The pack's PulumiPolicy.yaml, as the CLI read it. */
  project: PackProject;
  /** Everything the pack printed on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface StartPackOptions {
  /** Program to run inside the pack directory; the directory itself (its `main`) like the CLI. */
  program?: string;
  /** PulumiPolicy.yaml already read (the gate reads it before slow work). */
  project?: PackProject;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Stops a pack that is still starting (the gate aborts when its input turns out bad). */
  signal?: AbortSignal;
}

/** Where the CLI finds the runner: resolved from the pack directory, as node would. */
export function resolveRunPolicyPack(packDir: string): string {
  try {
    return require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [packDir] });
  } catch {
    // The CLI's words (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go).
    throw new PackStartError(
      `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${packDir}"`,
    );
  }
}

export async function startPack(packDir: string, opts: StartPackOptions = {}): Promise<PackProcess> {
  const dir = path.resolve(packDir);
  const project = opts.project ?? readPackProject(dir);
  const runner = resolveRunPolicyPack(dir);
  // The runner drops the engine address (run-policy-pack/index.ts), so none is needed here. The
  // language host puts nodeargs after the runner, where they reach the runner, not node.
  const args = [runner, ...project.nodeargs, '127.0.0.1:0', opts.program ?? dir];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, ...languageHostEnv(project), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (stderr += d));
  const port = await readPort(child, () => stderr, opts.timeoutMs ?? 60_000, opts.signal);
  child.stdout?.resume(); // keep draining so a chatty pack never blocks on a full pipe
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    project,
    stderr: () => stderr,
    stop: () => stopChild(child),
  };
}

/** What the language host adds to a pack's environment from its runtime options. */
function languageHostEnv(project: PackProject): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (project.typescript) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  if (project.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = project.tsconfig;
  return env;
}

function readPort(
  child: ChildProcess,
  stderr: () => string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (message: string) => {
      cleanup();
      void stopChild(child);
      reject(new PackStartError(message, stderr()));
    };
    const timer = setTimeout(() => fail(`policy pack did not start within ${timeoutMs} ms`), timeoutMs);
    const onData = (d: Buffer) => {
      stdout += d.toString('utf8');
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      const line = stdout.slice(0, nl).trim();
      const port = Number(line);
      if (!Number.isInteger(port) || port <= 0)
        return fail(`policy pack printed "${line}" instead of a port`);
      cleanup();
      resolve(port);
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`policy pack exited before serving (code ${code ?? signal})`);
    const onError = (e: Error) => fail(`policy pack could not be started: ${e.message}`);
    const onAbort = () => fail('policy pack start-up was cancelled');
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
    killer.unref();
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
