/**
 * `npm run gate` as a user runs it (a subprocess): exit codes 0/1/2 and one-line errors for every
 * kind of bad input, never a stack trace. Uses the fixture pack and state files.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toStateDocument } from '../../gate/state';
import {
  BROKEN_PACK,
  FAULTY_PACK,
  FIXTURE_PACK,
  fixtureInput,
  REPO_ROOT,
  resource,
  tempDir,
} from './helpers';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(REPO_ROOT, 'gate', 'cli.ts');

function gate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { cwd: REPO_ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectOneLineError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('gate: error: '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(r.stderr + r.stdout).not.toMatch(/^\s+at /m);
}

describe('npm run gate (CLI)', () => {
  const dir = tempDir('gate-cli-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: unknown) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };
  const compliant = resource('aws:sqs/queue:Queue', 'orders', { name: 'orders', tags: { Owner: 'me' } });
  const good = file('good.json', toStateDocument(fixtureInput([compliant])));
  const base = ['--pack', FIXTURE_PACK];

  it('exits 0 on a compliant state, printing the Policies section and the summary', async () => {
    const r = await gate([...base, '--state', good, '--out', path.join(dir, 'out')]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Policies:\n {4}✅ gate-fixture-pack@v0\.0\.1 \(local: /);
    expect(r.stdout).toMatch(
      /Policy gate PASS: 2 resources, 5 policies, violations: 0 mandatory, 0 advisory; 0 checks not evaluated/,
    );
    expect(fs.existsSync(path.join(dir, 'out', 'policy-report.sarif'))).toBe(true);
  });

  it('exits 1 on a mandatory violation and names the resource and policy', async () => {
    const bad = resource('aws:sqs/queue:Queue', 'orders', { name: 'orders', tags: {} });
    const f = file('bad.json', toStateDocument(fixtureInput([bad])));
    const r = await gate([...base, '--state', f, '--out', path.join(dir, 'out-bad')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('❌ gate-fixture-pack@v0.0.1');
    expect(r.stdout).toContain('- [mandatory]  owner-tag  (aws:sqs/queue:Queue: orders)');
  });

  it('exits 2 with a one-line error on a bad state file (the other bad inputs: runner.test.ts)', async () => {
    const v4 = file('v4.json', { version: 4, features: ['quantumState'], deployment: { resources: [] } });
    expectOneLineError(
      await gate([...base, '--state', v4, '--out', path.join(dir, 'x')]),
      /needs support for the following features: quantumState/,
    );
  });

  it('exits 2 on a stack without a stack file, without waiting for the pack', async () => {
    expectOneLineError(await gate(['--stack', 'no-such-stack']), /No stack file Pulumi\.no-such-stack\.yaml/);
  });

  it('exits 2 on an unknown policy name in the config file', async () => {
    const unknown = file('unknown.json', { 'owner-tags': 'advisory' });
    expectOneLineError(
      await gate([...base, '--state', good, '--policy-config', unknown]),
      /unknown policy "owner-tags"/,
    );
  });

  it('exits 2 on a misspelled key inside a policy config, listing the keys the policy takes', async () => {
    const typo = file('typo.json', { 'max-resources': { maxx: 3 } });
    expectOneLineError(
      await gate([...base, '--state', good, '--policy-config', typo]),
      /policy config: "max-resources" has unknown key "maxx" \(known: "enforcementLevel", "max"\)/,
    );
  });

  it('exits 2 when the pack fails to start, showing its stderr', async () => {
    expectOneLineError(
      await gate(['--pack', BROKEN_PACK, '--state', good, '--out', path.join(dir, 'x')]),
      /policy pack exited before serving.*fixture pack is broken on purpose/,
    );
  });

  it('exits 2 with a one-line error when the pack fails during analysis', async () => {
    const dies = file(
      'dies.json',
      toStateDocument(fixtureInput([compliant, resource('aws:sqs/queue:Queue', 'exits')])),
    );
    expectOneLineError(
      await gate(['--pack', FAULTY_PACK, '--state', dies, '--out', path.join(dir, 'y')]),
      /policy pack failed in analyze: /,
    );
  });

  it('exits 2 on an unknown option or conflicting options', async () => {
    expectOneLineError(await gate(['--stak', 'dev']), /Unknown option '--stak'/);
    expectOneLineError(await gate(['--state', good, '--known']), /cannot be combined/);
    expectOneLineError(await gate(['--state', good, '--deployed', good]), /cannot be combined/);
  });

  it('exits 2 when --deployed names an export of another stack', async () => {
    const other = path.join(__dirname, 'fixtures', 'states', 'deployed.json');
    expectOneLineError(
      await gate(['--deployed', other, '--out', path.join(dir, 'd')]),
      /deployed state .* is of stack proj\/dev, the program's is transaction-processor\/dev$/,
    );
  });

  it('exits 2 before any policy runs when the stack lacks a value Pulumi.yaml gives no default, as the CLI does', async () => {
    const stackFile = path.join(REPO_ROOT, 'Pulumi.gate-missing-key.yaml');
    fs.writeFileSync(
      stackFile,
      'config:\n  aws:region: us-east-1\n  transaction-processor:environmentSuffix: qa\n',
    );
    try {
      const r = await gate(['--stack', 'gate-missing-key', '--out', path.join(dir, 'missing')]);
      expectOneLineError(
        r,
        /Stack 'gate-missing-key' is missing configuration values 'alertEmail' and 'merchants' \(Pulumi\.yaml declares them without a default\): pulumi preview refuses this stack/,
      );
      expect(fs.existsSync(path.join(dir, 'missing', 'policy-report.md'))).toBe(false);
    } finally {
      fs.rmSync(stackFile, { force: true });
    }
  });
});
