/**
 * The gate against a small fixture pack, started once for the file exactly as the CLI starts a
 * pack: Analyzer gRPC, config, unknowns, stack policies, retainOnDelete and every report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UNKNOWN } from '../../gate/encoding';
import { GateInputError, PackStartError } from '../../gate/errors';
import { renderConsole, runGate } from '../../gate/index';
import { startPack, type PackProcess } from '../../gate/pack-process';
import { readStateFile } from '../../gate/state';
import { BROKEN_PACK, FIXTURE_PACK, fixtureInput, readLines, resource, tempDir } from './helpers';
import { sarifErrors } from './sarif-structure';

const QUEUE = 'aws:sqs/queue:Queue';

describe('offline gate with a fixture pack', () => {
  let pack: PackProcess;
  const out = tempDir('gate-runner-');
  beforeAll(async () => {
    pack = await startPack(FIXTURE_PACK);
  });
  afterAll(async () => {
    await pack.stop();
    fs.rmSync(out, { recursive: true, force: true });
  });
  const write = (name: string, content: string) => {
    const f = path.join(out, name);
    fs.writeFileSync(f, content);
    return f;
  };
  const run = (resources: ReturnType<typeof resource>[], extra: Parameters<typeof runGate>[0] = {}) =>
    runGate({ input: fixtureInput(resources), pack, packDir: FIXTURE_PACK, outDir: null, ...extra });

  it('passes a compliant stack and records what each policy examined', async () => {
    const r = await run([resource(QUEUE, 'q', { name: 'q', tags: { Owner: 'me' } })]);
    expect(r.exitCode).toBe(0);
    expect(r.violations).toEqual([]);
    const byName = Object.fromEntries(r.outcomes.map((o) => [o.policy.name, o]));
    expect(byName['owner-tag'].examined).toEqual([r.input.resources[1].urn]); // the stack has no tags
    expect(byName['queue-named'].result).toBe('pass');
    expect(byName['max-resources'].examined).toHaveLength(2);
    expect(byName['no-retain-on-delete'].result).toBe('pass');
  });

  it('fails on a mandatory violation, naming the policy and the resource', async () => {
    const bad = resource(QUEUE, 'bad', { tags: { Team: 'x' }, name: 'bad' });
    const r = await run([bad]);
    expect(r.exitCode).toBe(1);
    expect(r.violations).toEqual([
      expect.objectContaining({
        policyName: 'owner-tag',
        urn: bad.urn,
        enforcementLevel: 'mandatory',
        severity: 'high',
      }),
    ]);
    const text = renderConsole(r);
    expect(text).toMatch(/❌ gate-fixture-pack@v0\.0\.1/);
    expect(text).toContain('- [mandatory]  owner-tag  (aws:sqs/queue:Queue: bad)');
    expect(text).toContain('Tag Owner should be set, but it is missing.');
    expect(text).toMatch(/Policy gate FAIL: 2 resources, 5 policies, violations: 1 mandatory, 0 advisory/);
  });

  it('keeps advisory violations from failing the gate', async () => {
    const r = await run([
      resource(QUEUE, 'q', { name: 'q', tags: { Owner: 'x' } }, { options: { protect: true } }),
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.counts).toMatchObject({ mandatory: 0, advisory: 1 });
  });

  it('reports a check on an unknown value as not evaluated, and does not fail on it', async () => {
    const q = resource(QUEUE, 'q', { name: 'q', tags: UNKNOWN });
    const r = await run([q]);
    expect(r.exitCode).toBe(0);
    expect(r.unevaluated).toEqual([
      expect.objectContaining({ policyName: 'owner-tag', urn: q.urn, configuredLevel: 'mandatory' }),
    ]);
    expect(r.outcomes.find((o) => o.policy.name === 'owner-tag')?.result).toBe('not-evaluated');
  });

  it('applies config: thresholds reach stack policies and levels change the verdict', async () => {
    const qs = [1, 2, 3].map((i) => resource(QUEUE, `q${i}`, { name: `q${i}`, tags: { Owner: 'x' } }));
    const strict = await run(qs, { policyConfigValues: { 'max-resources': { properties: { max: 2 } } } });
    expect(strict.exitCode).toBe(1);
    expect(strict.violations[0]).toMatchObject({ policyName: 'max-resources' });
    expect(strict.violations[0].message).toContain('At most 2 resources should exist; found 4.');
    const relaxed = await run(qs, {
      policyConfigValues: { 'max-resources': { enforcementLevel: 'advisory', properties: { max: 2 } } },
    });
    expect(relaxed.exitCode).toBe(0);
    const disabled = await run([resource(QUEUE, 'q', {})], {
      policyConfigValues: { all: { enforcementLevel: 'disabled' } },
    });
    expect(disabled.outcomes.filter((o) => o.result === 'disabled')).toHaveLength(4);
  });

  it('enforces retainOnDelete, which packs never see', async () => {
    const kept = resource(
      QUEUE,
      'kept',
      { name: 'kept', tags: { Owner: 'x' } },
      { options: { retainOnDelete: true } },
    );
    const r = await run([kept]);
    expect(r.exitCode).toBe(1);
    expect(r.violations).toEqual([
      expect.objectContaining({ policyName: 'no-retain-on-delete', urn: kept.urn, source: 'gate' }),
    ]);
    const text = renderConsole(r);
    expect(text).toMatch(/❌ offline-gate@v1\.0\.0/);
    expect(text).toContain('- [mandatory]  no-retain-on-delete  (aws:sqs/queue:Queue: kept)');
  });

  it('writes reports that name the violation, and a state file that reproduces the verdict', async () => {
    const bad = resource(QUEUE, 'bad', { tags: { Owner: 'x' } }); // no name: queue-named fails
    const dir = path.join(out, 'reports');
    const r = await run([bad, resource(QUEUE, 'maybe', { name: 'm', tags: UNKNOWN })], { outDir: dir });
    expect(r.reportFiles.map((f) => path.basename(f)).sort()).toEqual([
      'policy-events.jsonl',
      'policy-report.junit.xml',
      'policy-report.md',
      'policy-report.sarif',
      'stack-state.json',
    ]);
    const events = readLines(path.join(dir, 'policy-events.jsonl'));
    expect(events.map((e) => e.policyEvent).filter(Boolean)).toContainEqual(
      expect.objectContaining({
        resourceUrn: bad.urn,
        policyName: 'queue-named',
        policyPackName: 'gate-fixture-pack',
        enforcementLevel: 'mandatory',
        severity: 'low',
      }),
    );
    expect(events.at(-1)).toMatchObject({
      gateSummaryEvent: { verdict: 'fail', mandatory: 1, unevaluated: 1 },
    });
    expect(events.some((e) => 'summaryEvent' in e)).toBe(true);

    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'policy-report.sarif'), 'utf8'));
    expect(sarifErrors(sarif)).toEqual([]);
    const result = sarif.runs[0].results.find((x: { kind: string }) => x.kind === 'fail');
    expect(result).toMatchObject({ ruleId: 'queue-named', level: 'error' });
    expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe(bad.urn);
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('queue-named');

    const junit = fs.readFileSync(path.join(dir, 'policy-report.junit.xml'), 'utf8');
    expect(junit).toMatch(
      new RegExp(
        `<testcase classname="queue-named" name="${bad.urn.replace(/[$]/g, '\\$')}"><failure type="mandatory"`,
      ),
    );
    expect(junit).toMatch(
      /<skipped message="not evaluated: can&apos;t run|<skipped message="not evaluated: can't run/,
    );

    const md = fs.readFileSync(path.join(dir, 'policy-report.md'), 'utf8');
    expect(md).toContain('**Verdict: FAIL**');
    expect(md).toContain(`### [mandatory] queue-named — aws:sqs/queue:Queue: bad`);
    expect(md).toMatch(/Pack content hash \| `sha256:[0-9a-f]{64}`/);

    const again = await runGate({
      state: path.join(dir, 'stack-state.json'),
      pack,
      packDir: FIXTURE_PACK,
      outDir: null,
    });
    expect(again.exitCode).toBe(r.exitCode);
    expect(again.violations.map((v) => [v.policyName, v.urn])).toEqual(
      r.violations.map((v) => [v.policyName, v.urn]),
    );
    expect(again.unevaluated.map((u) => u.urn)).toEqual(r.unevaluated.map((u) => u.urn));
    expect(readStateFile(path.join(dir, 'stack-state.json')).resources).toHaveLength(3);
  });

  it.each([
    [
      'an unreadable state file',
      () => path.join(out, 'missing.json'),
      /cannot read state file .*missing\.json: ENOENT/,
    ],
    ['a non-JSON state file', () => write('garbage.json', 'not json'), /state file .* is not valid JSON/],
    [
      'a wrong deployment version',
      () => write('v5.json', '{"version":5,"deployment":{"resources":[]}}'),
      /version 5, newer than the gate reads; expected 1 to 4/,
    ],
    [
      'a state without resources',
      () => write('empty.json', '{"version":3,"deployment":{"resources":[]}}'),
      /has no resources/,
    ],
  ])('rejects %s with a GateInputError before starting anything', async (_what, make, pattern) => {
    const gate = runGate({ state: make(), packDir: FIXTURE_PACK, outDir: null });
    await expect(gate).rejects.toThrow(GateInputError);
    await expect(gate).rejects.toThrow(pattern);
  });

  it('rejects an unknown policy name and an invalid config value, naming them', async () => {
    const input = [resource(QUEUE, 'q', { name: 'q' })];
    await expect(run(input, { policyConfig: write('u.json', '{"owner-tags":"advisory"}') })).rejects.toThrow(
      /unknown policy "owner-tags"/,
    );
    await expect(
      run(input, { policyConfig: write('i.json', '{"max-resources":{"max":0}}') }),
    ).rejects.toThrow(/invalid policy config: max-resources\.max must be >= 1/);
    await expect(run(input, { policyConfig: write('b.json', '{"max-resources":') })).rejects.toThrow(
      /is not valid JSON/,
    );
  });

  it('reports a pack that fails to start with its stderr', async () => {
    const started = startPack(BROKEN_PACK, { timeoutMs: 30_000 });
    await expect(started).rejects.toThrow(PackStartError);
    await expect(started).rejects.toThrow(/fixture pack is broken on purpose/);
  });
});
