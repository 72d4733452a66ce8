/**
 * `--deployed FILE`: a preview of an existing stack. A resource whose URN is deployed and whose
 * inputs equal the deployed ones is unchanged, and AnalyzeStack is shown its deployed outputs, as
 * the engine shows a "same" step's; a changed or new resource keeps its inputs as its state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useDeployedOutputs } from '../../gate/deployed';
import { secret, UNKNOWN } from '../../gate/encoding';
import { runGate } from '../../gate/index';
import { loadInput } from '../../gate/inputs';
import { toStateDocument } from '../../gate/state';
import { fixtureInput, resource, tempDir } from './helpers';

const QUEUE = 'aws:sqs/queue:Queue';
const DEPLOYED = path.join(__dirname, 'fixtures', 'states', 'deployed.json');
const OUTPUTS_PACK = path.join(__dirname, 'fixtures', 'outputs-pack');

/** The program's queues: `orders` as deployed, `refunds` with another owner, `fresh` not deployed. */
function program() {
  return fixtureInput([
    resource(QUEUE, 'orders', { name: 'orders', tags: { Owner: 'payments' } }),
    resource(QUEUE, 'refunds', { name: 'refunds', tags: { Owner: 'refunds-team' } }),
    resource(QUEUE, 'fresh', { name: 'fresh', tags: { Owner: 'payments' } }),
  ]);
}

const urnOf = (name: string) => `urn:pulumi:dev::proj::${QUEUE}::${name}`;

describe('a preview of an existing stack (--deployed)', () => {
  it('shows an unchanged resource with its deployed outputs, and a changed or new one with its inputs', () => {
    const { input, match } = useDeployedOutputs(program(), DEPLOYED);
    expect(match.unchanged).toEqual([urnOf('orders')]);
    const byName = new Map(input.resources.map((r) => [r.name, r]));
    expect(byName.get('orders')!.outputs).toMatchObject({ arn: 'arn:aws:sqs:us-east-1:123456789012:orders' });
    expect(byName.get('refunds')!.outputs).toBeUndefined();
    expect(byName.get('fresh')!.outputs).toBeUndefined();
    // The root stack is a component: its state is what the program registers, not the export's.
    expect(byName.get('proj-dev')!.outputs).toBeUndefined();
  });

  it('gives the stack policies the deployed ARN of the unchanged queue only', async () => {
    const { input, match } = useDeployedOutputs(program(), DEPLOYED);
    const r = await runGate({ input: { ...input, deployed: match }, packDir: OUTPUTS_PACK, outDir: null });
    const missingArn = r.violations.filter((v) => v.policyName === 'queue-arn-output').map((v) => v.urn);
    expect(missingArn).toEqual([urnOf('refunds'), urnOf('fresh')]);
    expect(r.exitCode).toBe(1);
  });

  it('compares secrets by value, and never takes inputs with unknowns as unchanged', () => {
    const secretTags = fixtureInput([
      resource(QUEUE, 'orders', { name: 'orders', tags: secret({ Owner: 'payments' }) }),
    ]);
    expect(useDeployedOutputs(secretTags, DEPLOYED).match.unchanged).toEqual([urnOf('orders')]);
    const unknownTags = fixtureInput([resource(QUEUE, 'orders', { name: 'orders', tags: UNKNOWN })]);
    expect(useDeployedOutputs(unknownTags, DEPLOYED).match.unchanged).toEqual([]);
  });

  it('refuses an export of another stack, naming both', () => {
    const other = { ...program(), project: 'transaction-processor' };
    expect(() => useDeployedOutputs(other, DEPLOYED)).toThrow(
      /^deployed state .*deployed\.json is of stack proj\/dev, the program's is transaction-processor\/dev$/,
    );
  });

  it('finds the real stack unchanged where its exported inputs are known, after a round trip', async () => {
    const first = await loadInput({ stack: 'dev' });
    const dir = tempDir('gate-deployed-');
    const file = path.join(dir, 'stack.json');
    fs.writeFileSync(file, JSON.stringify(toStateDocument(first)));
    const again = await loadInput({ stack: 'dev', deployed: file });
    const unchanged = new Set(again.deployed!.unchanged);
    const known = again.resources.filter((r) => r.custom && !JSON.stringify(r.inputs).includes(UNKNOWN));
    // Known inputs without secrets survive the export unchanged; secrets are redacted in it.
    const comparable = known.filter(
      (r) => !JSON.stringify(r.inputs).includes('4dabf18193072939515e22adb298388d'),
    );
    expect(comparable.length).toBeGreaterThan(10);
    for (const r of comparable) expect(unchanged.has(r.urn)).toBe(true);
    for (const r of again.resources.filter((x) => !known.includes(x)))
      expect(unchanged.has(r.urn)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
