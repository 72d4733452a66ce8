/**
 * A pack installed outside the repository with a node_modules of its own, as a published pack
 * (`@pulumi/awsguard`) is: the gate starts it as the CLI does, so the runner comes from the pack's
 * node_modules, the TypeScript source is compiled at start-up, PulumiPolicy.yaml's version wins
 * over package.json's, schema defaults reach the policies, remediations apply and stack policies
 * run. No network: the pack's node_modules holds links to the root's @pulumi/policy and a
 * @pulumi/pulumi of its own whose runner records that it ran, then hands over to the real one.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGate, type GateResult } from '../../gate/index';
import { startPack, type PackProcess } from '../../gate/pack-process';
import { REPO_ROOT, fixtureInput, resource, tempDir } from './helpers';

const FIXTURE = path.join(__dirname, 'fixtures', 'published-pack');
const QUEUE = 'aws:sqs/queue:Queue';

/** Copies the fixture to a temporary directory; with `dependencies`, gives it its node_modules. */
function installPack(dependencies: boolean): string {
  const dir = tempDir('published-pack-');
  for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  if (!dependencies) return dir;
  const scope = path.join(dir, 'node_modules', '@pulumi');
  fs.mkdirSync(path.join(scope, 'pulumi', 'cmd', 'run-policy-pack'), { recursive: true });
  fs.symlinkSync(
    path.join(REPO_ROOT, 'node_modules', '@pulumi', 'policy'),
    path.join(scope, 'policy'),
    'dir',
  );
  fs.writeFileSync(
    path.join(scope, 'pulumi', 'package.json'),
    JSON.stringify({ name: '@pulumi/pulumi', version: '3.0.0-own' }),
  );
  const realRunner = require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [REPO_ROOT] });
  fs.writeFileSync(
    path.join(scope, 'pulumi', 'cmd', 'run-policy-pack', 'index.js'),
    `process.env.GATE_PACK_RUNNER = __filename;\nrequire(${JSON.stringify(realRunner)});\n`,
  );
  return dir;
}

/** What a policy reported: the pack sends its description, a newline, then the message. */
function reported(r: GateResult, policyName: string): string[] {
  return r.violations.filter((v) => v.policyName === policyName).map((v) => v.message.split('\n').pop()!);
}

/** `npm run gate -- …` as a user runs it. */
function gate(args: string[]): Promise<{ code: number; stdout: string }> {
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  return new Promise((resolve) => {
    const cli = path.join(REPO_ROOT, 'gate', 'cli.ts');
    execFile(tsx, [cli, ...args], { cwd: REPO_ROOT, timeout: 60_000 }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout });
    });
  });
}

const queues = () =>
  fixtureInput([
    resource(QUEUE, 'short', { name: 'short', messageRetentionSeconds: 3 * 86_400 }),
    resource(QUEUE, 'long', { name: 'long', messageRetentionSeconds: 10 * 86_400 }),
  ]);

describe('a published pack with its own node_modules', () => {
  let dir: string;
  let pack: PackProcess;
  beforeAll(async () => {
    dir = installPack(true);
    pack = await startPack(dir);
  });
  afterAll(async () => {
    await pack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is started by the runner in its own node_modules, told it is TypeScript', async () => {
    const r = await runGate({ input: queues(), pack, packDir: dir, outDir: null });
    const seen = JSON.parse(reported(r, 'started-by')[0]);
    expect(seen.runner).toBe(path.join(dir, 'node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js'));
    expect(seen.typescript).toBe('true');
  });

  it('is shown with the version of its PulumiPolicy.yaml, in its info and its diagnostics', async () => {
    const r = await runGate({ input: queues(), pack, packDir: dir, outDir: null });
    expect(r.pack.version).toBe('2.1.0');
    expect(r.pack.description).toBe('Fixture pack shaped like a published third-party pack.');
    expect(new Set(r.violations.filter((v) => v.source === 'pack').map((v) => v.policyPackVersion))).toEqual(
      new Set(['2.1.0']),
    );
  });

  it('gets the defaults of its config schemas, which a config file overrides', async () => {
    const byDefault = await runGate({ input: queues(), pack, packDir: dir, outDir: null });
    expect(byDefault.config['queue-retention'].properties).toEqual({ maxRetentionDays: 4 });
    expect(byDefault.exitCode).toBe(1);
    expect(reported(byDefault, 'queue-retention')).toEqual([
      'Retention should be at most 4 days; it is 864000 s.',
    ]);
    const relaxed = await runGate({
      input: queues(),
      pack,
      packDir: dir,
      outDir: null,
      policyConfigValues: { 'queue-retention': { properties: { maxRetentionDays: 14 } } },
    });
    expect(relaxed.exitCode).toBe(0);
  });

  it('remediates before its stack policy sees the stack', async () => {
    const r = await runGate({ input: queues(), pack, packDir: dir, outDir: null });
    const queuesAfter = r.input.resources.filter((x) => x.type === QUEUE);
    expect(queuesAfter.map((q) => q.inputs.sqsManagedSseEnabled)).toEqual([true, true]);
    const seen = JSON.parse(reported(r, 'started-by')[0]);
    expect(seen.unencrypted).toBe(0);
  });
});

describe('npm run gate -- --pack DIR with a published pack', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = installPack(true);
    out = tempDir('published-pack-out-');
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('audits a state file, exiting 1 on the mandatory violation its default config finds', async () => {
    const stack = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'states', 'v3.json'), 'utf8'));
    const queue = stack.deployment.resources.find((r: { type: string }) => r.type === QUEUE);
    queue.inputs.messageRetentionSeconds = 10 * 86_400;
    const state = path.join(out, 'state.json');
    fs.writeFileSync(state, JSON.stringify(stack));
    const run = await gate(['--pack', dir, '--state', state, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('❌ gate-published-pack@v2.1.0 (local: ');
    const events = fs
      .readFileSync(path.join(out, 'policy-events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const violation = events.find((e) => e.policyEvent?.policyName === 'queue-retention')?.policyEvent;
    expect(violation).toMatchObject({ policyPackVersion: '2.1.0', enforcementLevel: 'mandatory' });
  });
});

describe('a pack that cannot start', () => {
  it('fails on a type error, as the runner type-checks a TypeScript pack', async () => {
    const dir = installPack(true);
    try {
      fs.appendFileSync(path.join(dir, 'index.ts'), "export const days: number = 'four';\n");
      await expect(startPack(dir)).rejects.toThrow(/TS2322/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused in the CLI words when its dependencies are not installed', async () => {
    const dir = installPack(false);
    try {
      await expect(startPack(dir)).rejects.toThrow(
        `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${dir}"`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
