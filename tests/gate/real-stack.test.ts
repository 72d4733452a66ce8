/**
 * The gate on the real stack and the real pack: the stack, synthesized as a first preview, passes
 * with no mandatory check left unevaluated; then single mutations of its exported state, one per
 * policy (and a retainOnDelete), each fail the gate naming the mutated resource and the policy in
 * the console output, the JSONL events, SARIF and JUnit. The pack starts once; synthesis runs once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderConsole, runGate } from '../../gate/index';
import { loadInput } from '../../gate/inputs';
import { startPack, type PackProcess } from '../../gate/pack-process';
import { renderEvents } from '../../gate/reports/jsonl';
import { renderJUnit } from '../../gate/reports/junit';
import { renderSarif } from '../../gate/reports/sarif';
import { readStateFile } from '../../gate/state';
import { SIG_KEY } from '../../gate/encoding';
import type { GateInput, GateResource, GateResult } from '../../gate/types';
import { REPO_ROOT, tempDir } from './helpers';
import { applyMutation, MUTATIONS } from './mutations';
import { sarifErrors } from './sarif-structure';
// Adds toBeValidSarifLog: validation against the official SARIF 2.1.0 JSON schema it ships.
import '@microsoft/jest-sarif';

const PACK_DIR = path.join(REPO_ROOT, 'policies');
const ARCHIVE_SIG = '0def7320c3a5731c473e5ecbe6d01bc7';
const ASSET_SIG = 'c44067f5952c0a294b673a41bacd8c17';

/**
 * Each function's `code` is its whole bundle inline (megabytes), which dominates the time of a run
 * and which no policy reads; mutation runs replace it by a one-line archive. A test below checks
 * that this leaves the verdict of every policy unchanged.
 */
function withSmallCode(resources: GateResource[]): GateResource[] {
  const code = {
    [SIG_KEY]: ARCHIVE_SIG,
    assets: { 'index.js': { [SIG_KEY]: ASSET_SIG, text: '// bundle' } },
  };
  return resources.map((r) =>
    r.type === 'aws:lambda/function:Function'
      ? {
          ...r,
          inputs: { ...r.inputs, code },
          ...(r.outputs ? { outputs: { ...r.outputs, code } } : {}),
        }
      : r,
  );
}

describe('offline gate on the real stack and pack', () => {
  let pack: PackProcess;
  let preview: GateInput;
  let state: GateInput;
  let small: GateInput;
  let baseline: GateResult;
  const out = tempDir('gate-real-');

  beforeAll(async () => {
    pack = await startPack(PACK_DIR);
    preview = await loadInput({ stack: 'dev' });
    baseline = await runGate({ input: preview, pack, packDir: PACK_DIR, outDir: out });
    // Mutations start from the exported state, exactly as an auditor would feed it back.
    state = readStateFile(path.join(out, 'stack-state.json'));
    small = { ...state, resources: withSmallCode(state.resources) };
  }, 180_000);
  afterAll(async () => {
    await pack?.stop();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('passes the real stack at its first preview, with no mandatory check left unevaluated', () => {
    expect(preview.mode).toBe('preview');
    expect(baseline.violations.filter((v) => v.enforcementLevel === 'mandatory')).toEqual([]);
    expect(baseline.exitCode).toBe(0);
    expect(baseline.unevaluated.filter((u) => u.configuredLevel === 'mandatory')).toEqual([]);
    expect(baseline.outcomes.filter((o) => o.result === 'fail')).toEqual([]);
    expect(sarifErrors(renderSarif(baseline))).toEqual([]);
    expect(renderSarif(baseline)).toBeValidSarifLog();
  });

  it("names every resource with the engine's URN: its parent's whole type chain, never the root stack's", () => {
    const byUrn = new Map(preview.resources.map((r) => [r.urn, r]));
    for (const r of preview.resources) {
      const parent = r.parent ? byUrn.get(r.parent) : undefined;
      const parentType =
        parent && parent.type !== 'pulumi:pulumi:Stack' ? `${parent.urn.split('::')[2]}$` : '';
      expect(r.urn).toBe(`urn:pulumi:dev::transaction-processor::${parentType}${r.type}::${r.name}`);
    }
    expect(preview.resources.some((r) => r.urn.split('::')[2].includes('$'))).toBe(true); // components' children
  });

  it('analyzes the default provider the engine adds for a package used without an explicit one', () => {
    const password = preview.resources.find((r) => r.type === 'random:index/randomPassword:RandomPassword');
    const provider = preview.resources.find((r) => r.type === 'pulumi:providers:random');
    expect(provider?.urn).toMatch(/::pulumi:providers:random::default_\d+_\d+_\d+$/);
    expect(password?.provider?.startsWith(`${provider?.urn}::`)).toBe(true);
    const examined = baseline.outcomes.find((o) => o.policy.name === 'no-retain-on-delete')?.examined;
    expect(examined).toContain(provider?.urn);
  });

  it('writes every report with no full card number (no Luhn-valid run of 13-19 digits) in it', () => {
    const luhn = (digits: string) =>
      [...digits].reverse().reduce((sum, c, i) => {
        const d = Number(c) * (i % 2 ? 2 : 1);
        return sum + (d > 9 ? d - 9 : d);
      }, 0) %
        10 ===
      0;
    expect(baseline.reportFiles).toHaveLength(5);
    for (const file of baseline.reportFiles) {
      // The commit id is hexadecimal: its digit runs can pass the Luhn check by chance.
      const text = fs
        .readFileSync(file, 'utf8')
        .split(baseline.gitCommit ?? '\u0000')
        .join('');
      const runs = text.match(/(?<!\d)\d{13,19}(?!\d)/g) ?? [];
      expect({ file, pans: runs.filter(luhn) }).toEqual({ file, pans: [] });
    }
  });

  it('reproduces the same verdict from its own stack-state.json', async () => {
    const again = await runGate({ input: state, pack, packDir: PACK_DIR, outDir: null });
    expect(again.exitCode).toBe(baseline.exitCode);
    expect(again.violations).toEqual(baseline.violations);
    expect(again.outcomes.map((o) => [o.policy.name, o.result])).toEqual(
      baseline.outcomes.map((o) => [o.policy.name, o.result]),
    );
  });

  it('gives every policy the same result when the bundles are replaced by a one-line archive', async () => {
    const r = await runGate({ input: small, pack, packDir: PACK_DIR, outDir: null });
    expect(r.outcomes.map((o) => [o.policy.name, o.result, o.examined.length])).toEqual(
      baseline.outcomes.map((o) => [o.policy.name, o.result, o.examined.length]),
    );
  });

  it('has a mutation for every policy of the pack and for retainOnDelete', () => {
    const covered = new Set(MUTATIONS.map((m) => m.policy));
    expect(baseline.outcomes.map((o) => o.policy.name).filter((p) => !covered.has(p))).toEqual([]);
  });

  it('accepts a justified exemption and shows it, with its justification, in the auditor report', async () => {
    const m = MUTATIONS.find((x) => x.policy === 'log-group-retention')!;
    const justification = 'Kept 30 days while incident INC-42 is investigated; revert by 2026-12-31.';
    const dir = path.join(out, 'exempt');
    const r = await runGate({
      input: { ...small, resources: applyMutation(small.resources, m) },
      pack,
      packDir: PACK_DIR,
      outDir: dir,
      policyConfigValues: {
        [m.policy]: { properties: { exemptions: [{ resource: m.target, justification }] } },
      },
    });
    expect(r.exitCode).toBe(0);
    const md = fs.readFileSync(path.join(dir, 'policy-report.md'), 'utf8');
    expect(md).toContain(`| ${m.policy} | \`{"resource":"${m.target}"}\` | ${justification} |`);
  });

  it.each(MUTATIONS.map((m) => [m.policy, m] as const))('fails when %s is broken', async (_name, m) => {
    const advisory = baseline.config[m.policy]?.enforcementLevel === 'advisory';
    const resources = applyMutation(small.resources, m);
    const r = await runGate({
      input: { ...small, resources },
      pack,
      packDir: PACK_DIR,
      outDir: null,
      // Advisory controls fail the gate only when a config makes them mandatory.
      policyConfigValues: advisory ? { [m.policy]: { enforcementLevel: 'mandatory' } } : undefined,
    });
    const urn = state.resources.find((x) => x.name === (m.expect ?? m.target))!.urn;
    expect(r.exitCode).toBe(1);
    const hit = r.violations.filter((v) => v.policyName === m.policy && v.urn === urn);
    expect(hit).toHaveLength(hit.length || 1);
    expect(hit[0]).toMatchObject({ enforcementLevel: 'mandatory' });

    const label = `${urn.split('::')[2].split('$').pop()}: ${urn.split('::').pop()}`;
    expect(renderConsole(r)).toContain(`- [mandatory]  ${m.policy}  (${label})`);
    const events = renderEvents(r)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.policyEvent).filter(Boolean)).toContainEqual(
      expect.objectContaining({ resourceUrn: urn, policyName: m.policy, enforcementLevel: 'mandatory' }),
    );
    expect(renderSarif(r)).toBeValidSarifLog();
    const sarif = renderSarif(r) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          locations: { logicalLocations: { fullyQualifiedName: string }[] }[];
        }[];
      }[];
    };
    expect(
      sarif.runs[0].results.some(
        (x) =>
          x.ruleId === m.policy &&
          x.level === 'error' &&
          x.locations[0].logicalLocations[0].fullyQualifiedName === urn,
      ),
    ).toBe(true);
    const junit = renderJUnit(r);
    const testcase = junit.split('\n').find((l) => l.includes(`classname="${m.policy}" name="${urn}"`));
    expect(testcase).toContain('<failure type="mandatory"');
  });
});
