/**
 * Starts a policy pack the way the Pulumi CLI does: resolve `@pulumi/pulumi/cmd/run-policy-pack`
 * from the pack's directory (so the pack's own SDK is used), run it with node in that directory
 * with `<engine-address> .`, and read the port it prints on its first stdout line. The pack then
 * serves the Analyzer gRPC service on 127.0.0.1:<port>.
 * See https://www.pulumi.com/docs/iac/using-pulumi/crossguard/get-started/ (packs run as plugins).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PackStartError } from './errors';

export interface PackProcess {
  address: string;
  pid: number;
  /** Everything the pack printed on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface StartPackOptions {
  /** Program to run inside the pack directory; `.` (the package's `main`) like the CLI. */
  program?: string;
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
    throw new PackStartError(`policy pack in ${packDir} has no @pulumi/pulumi (run npm ci)`);
  }
}

export async function startPack(packDir: string, opts: StartPackOptions = {}): Promise<PackProcess> {
  const dir = path.resolve(packDir);
  if (!fs.existsSync(path.join(dir, 'PulumiPolicy.yaml'))) {
    throw new PackStartError(`${dir} is not a policy pack (no PulumiPolicy.yaml)`);
  }
  const runner = resolveRunPolicyPack(dir);
  // The engine address is only used by packs that log through the engine; none is needed here.
  const child = spawn(process.execPath, [runner, '127.0.0.1:0', opts.program ?? '.'], {
    cwd: dir,
    env: { ...process.env, ...opts.env },
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
    stderr: () => stderr,
    stop: () => stopChild(child),
  };
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
