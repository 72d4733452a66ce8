/**
 * Timings of the offline policy gate, side by side in one run (issue 6, "Performance"):
 * - pack start-up (spawn to port) precompiled, as the gate and the CLI run it, versus through
 *   ts-node with type-checking (the CLI's path for a pack whose entry is TypeScript);
 * - the whole gate on the real stack (`npm run gate` in a subprocess: synthesis, pack, reports);
 * - the gate on a generated 5,000-resource state file (`--state`), built from the real stack's
 *   exported resources with one-line function bundles.
 * Goals: start-up < 2 s, whole gate < 10 s, 5,000 resources < 10 s.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SIG_KEY } from '../../gate/encoding';
import { runGate, REPO_ROOT, DEFAULT_PACK_DIR } from '../../gate/index';
import { startPack } from '../../gate/pack-process';
import { readStateFile, toStateDocument } from '../../gate/state';
import type { GateInput, GateResource } from '../../gate/types';
import { figure, shown, type Figure, type Measure } from './figures';

export interface GateBench {
  /** Median spawn-to-port time of the precompiled pack (ms). */
  packStartPrecompiledMs: number;
  /** Spawn-to-port time when the pack's TypeScript entry is run through ts-node (ms). */
  packStartTsNodeMs: number;
  realStack: { resources: number; wallMs: number; exitCode: number; phasesMs?: Record<string, number> };
  generated: {
    resources: number;
    wallMs: number;
    analyzeMs: number;
    exitCode: number;
    /** CPU time of the gate process and of the pack process over the run: independent of load. */
    gateCpuMs: number;
    packCpuMs?: number;
  };
}

export const GATE_GOALS = { packStartMs: 2000, realStackMs: 10_000, generatedMs: 10_000 } as const;

const ARCHIVE_SIG = '0def7320c3a5731c473e5ecbe6d01bc7';
const ASSET_SIG = 'c44067f5952c0a294b673a41bacd8c17';

async function packStartMs(program: string): Promise<number> {
  const t = performance.now();
  const pack = await startPack(DEFAULT_PACK_DIR, { program, timeoutMs: 300_000 });
  const ms = performance.now() - t;
  await pack.stop();
  return ms;
}

/** CPU time (user + system) of a process from /proc, in ms; undefined where /proc is absent. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100
  } catch {
    return undefined;
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runCli(outDir: string): Promise<{ wallMs: number; exitCode: number }> {
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const t = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      tsx,
      [path.join(REPO_ROOT, 'gate', 'cli.ts'), '--out', outDir],
      { cwd: REPO_ROOT },
      (err, _o, stderr) => {
        const exitCode = err ? Number(err.code) : 0;
        if (exitCode === 2) reject(new Error(`the gate could not run: ${stderr.trim().split('\n').pop()}`));
        else resolve({ wallMs: performance.now() - t, exitCode });
      },
    );
  });
}

/** `count` resources cloned from the real stack's, each copy under its own URN, tiny bundles. */
export function generateState(base: GateInput, count: number): GateInput {
  const copyable = base.resources.filter((r) => r.type !== 'pulumi:pulumi:Stack');
  const root = base.resources.find((r) => r.type === 'pulumi:pulumi:Stack');
  const resources: GateResource[] = root ? [root] : [];
  for (let i = 0; resources.length < count; i++) {
    const r = copyable[i % copyable.length];
    const copy = Math.floor(i / copyable.length);
    const rename = (urn: string) => (copy === 0 || urn === root?.urn ? urn : `${urn}-${copy}`);
    const inputs =
      r.type === 'aws:lambda/function:Function'
        ? {
            ...r.inputs,
            code: { [SIG_KEY]: ARCHIVE_SIG, assets: { 'index.js': { [SIG_KEY]: ASSET_SIG, text: '//' } } },
          }
        : r.inputs;
    resources.push({
      ...r,
      urn: rename(r.urn),
      name: copy === 0 ? r.name : `${r.name}-${copy}`,
      inputs,
      parent: r.parent && rename(r.parent),
      provider:
        r.provider &&
        `${rename(r.provider.slice(0, r.provider.lastIndexOf('::')))}${r.provider.slice(r.provider.lastIndexOf('::'))}`,
      dependencies: r.dependencies.map(rename),
    });
  }
  return { ...base, resources };
}

export async function benchGate(): Promise<GateBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gate-'));
  try {
    const precompiled: number[] = [];
    for (let i = 0; i < 3; i++) precompiled.push(await packStartMs('.'));
    const tsNode = await packStartMs('index.ts');

    const real = await runCli(path.join(dir, 'real'));
    const base = readStateFile(path.join(dir, 'real', 'stack-state.json'));
    const events = fs
      .readFileSync(path.join(dir, 'real', 'policy-events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const summary = JSON.parse(events[events.length - 1]) as {
      gateSummaryEvent?: { timingsMs?: Record<string, number> };
    };

    const generatedFile = path.join(dir, 'generated.json');
    const generated = generateState(base, 5000);
    fs.writeFileSync(generatedFile, JSON.stringify(toStateDocument(generated)));
    const t = performance.now();
    const pack = await startPack(DEFAULT_PACK_DIR);
    const cpu0 = process.cpuUsage();
    const pack0 = processCpuMs(pack.pid);
    let result;
    let pack1: number | undefined;
    try {
      result = await runGate({ state: generatedFile, pack, outDir: path.join(dir, 'generated') });
      pack1 = processCpuMs(pack.pid); // before the pack exits
    } finally {
      await pack.stop().catch(() => undefined);
    }
    const cpu = process.cpuUsage(cpu0);
    return {
      packStartPrecompiledMs: median(precompiled),
      packStartTsNodeMs: tsNode,
      realStack: { resources: base.resources.length, ...real, phasesMs: summary.gateSummaryEvent?.timingsMs },
      generated: {
        resources: generated.resources.length,
        wallMs: performance.now() - t,
        analyzeMs: result.timings.analyzeMs,
        exitCode: result.exitCode,
        gateCpuMs: (cpu.user + cpu.system) / 1000,
        packCpuMs: pack0 !== undefined && pack1 !== undefined ? pack1 - pack0 : undefined,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The gate's table rows, each built from its figures (figures.ts). */
export function gateMeasures(b: GateBench): Measure[] {
  const sec = (id: string, ms: number, goal: string | null = null) =>
    figure(id, ms / 1000, 's', { digits: 2, goal });
  const s = (f: Figure) => `${shown(f)} s`;
  const lt = (ms: number) => `< ${(ms / 1000).toFixed(2)} s`;
  const start = sec(
    'gate-pack-start-precompiled-seconds',
    b.packStartPrecompiledMs,
    lt(GATE_GOALS.packStartMs),
  );
  const tsNode = sec('gate-pack-start-ts-node-seconds', b.packStartTsNodeMs);
  const realCount = figure('gate-real-stack-resources', b.realStack.resources, 'resources');
  const real = sec('gate-real-stack-seconds', b.realStack.wallMs, lt(GATE_GOALS.realStackMs));
  const phases = b.realStack.phasesMs;
  const synthesis = phases && sec('gate-real-stack-synthesis-seconds', phases.inputMs);
  const analysis = phases && sec('gate-real-stack-analysis-seconds', phases.analyzeMs);
  const genCount = figure('gate-generated-resources', b.generated.resources, 'resources');
  const genAnalysis = sec('gate-generated-analysis-seconds', b.generated.analyzeMs);
  const gen = sec(
    `gate-${b.generated.resources}-resources-s`,
    b.generated.wallMs,
    lt(GATE_GOALS.generatedMs),
  );
  const gateCpu = sec('gate-generated-gate-cpu-seconds', b.generated.gateCpuMs);
  const packCpu =
    b.generated.packCpuMs === undefined
      ? undefined
      : sec('gate-generated-pack-cpu-seconds', b.generated.packCpuMs);
  return [
    {
      row: ['gate: pack start-up, precompiled (median of 3)', s(start), lt(GATE_GOALS.packStartMs)],
      figures: [start],
    },
    {
      row: ['gate: pack start-up, TypeScript through ts-node', s(tsNode), 'for comparison'],
      figures: [tsNode],
    },
    {
      row: [
        `gate: whole gate on the real stack (${shown(realCount)} resources)`,
        s(real),
        lt(GATE_GOALS.realStackMs),
      ],
      figures: [realCount, real],
    },
    {
      row: [
        '  of which: synthesis / analysis (the pack starts during synthesis)',
        synthesis && analysis ? `${s(synthesis)} / ${s(analysis)}` : 'n/a',
        'breakdown',
      ],
      figures: synthesis && analysis ? [synthesis, analysis] : [],
    },
    {
      row: [
        `gate: generated state, ${shown(genCount)} resources (analysis ${s(genAnalysis)})`,
        s(gen),
        lt(GATE_GOALS.generatedMs),
      ],
      figures: [genCount, genAnalysis, gen],
    },
    {
      row: [
        'gate: generated state, CPU time: gate process / pack process',
        `${s(gateCpu)} / ${packCpu ? s(packCpu) : 'n/a'}`,
        'load-independent',
      ],
      figures: packCpu ? [gateCpu, packCpu] : [gateCpu],
    },
  ];
}

if (require.main === module) {
  benchGate().then(
    (b) => {
      for (const [m, v, g] of gateMeasures(b).map((x) => x.row))
        console.log(`${m.padEnd(72)} ${v.padStart(9)}  (${g})`);
    },
    (e) => {
      console.error(`bench: gate: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
