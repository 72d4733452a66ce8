/** The benchmark table: printed on the console and written to docs/benchmarks.md with the machine. */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import type { RunMetadata } from './figures';

export type Row = [measure: string, result: string, goal: string];

export function machineDescription(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${cpus[0]?.model ?? 'unknown CPU'} (${cpus.length} logical cores), ${gib} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** Read-only git: `--no-optional-locks` keeps `status` from refreshing the index of a shared work tree. */
function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', ['--no-optional-locks', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

export function gitCommit(): string {
  return git(['rev-parse', '--short', 'HEAD']) ?? 'unknown';
}

/** The run's metadata for the JSON figures: commit (and whether tracked files had changes), date, machine. */
export function runMetadata(startedAt: Date, options: RunMetadata['options']): RunMetadata {
  const cpus = os.cpus();
  return {
    commit: gitCommit(),
    dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    date: startedAt.toISOString(),
    machine: {
      description: machineDescription(),
      cpu: cpus[0]?.model ?? 'unknown CPU',
      logicalCores: cpus.length,
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      platform: os.platform(),
      release: os.release(),
      node: process.version,
    },
    options,
  };
}

export function consoleTable(rows: readonly Row[]): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
  const line = (r: readonly string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  return [
    line(['Measure', 'Result', 'Goal']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function markdownReport(rows: readonly Row[], notes: readonly string[], startedAt: Date): string {
  return [
    '# Benchmarks',
    '',
    `Latest \`npm run bench\`: ${startedAt.toISOString()} at commit ${gitCommit()}, on ${machineDescription()}.`,
    'Every row was measured in the same run, side by side; the machine is shared, so compare rows of one run.',
    '',
    '| Measure | Result | Goal |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
    '## Models and notes',
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}
