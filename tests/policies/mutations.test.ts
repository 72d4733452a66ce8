/**
 * One mutation of the real stack (synthesized, known values) per way to break a policy: the policy
 * passes the stack as it is, then must report the mutation with a message saying what should be
 * true and what was found, at its level, against the resource at fault. The cases live in
 * mutations/*.cases.ts, one file per area.
 */
import { catalog } from '../../policies/catalog';
import { runPolicy, type FixtureResource } from './harness';
import { ACCESS_TRAIL_CASES } from './mutations/access-trail.cases';
import { API_AND_ADVISORY_CASES } from './mutations/api-and-advisory.cases';
import { IAM_CASES } from './mutations/iam.cases';
import { KEY_CASES, SERVICE_KEY_CASES } from './mutations/keys.cases';
import { OBSERVABILITY_CASES } from './mutations/observability.cases';
import { OPERATIONS_CASES } from './mutations/operations.cases';
import { RETAIN_AND_COMPUTE_CASES } from './mutations/retain-and-compute.cases';
import { STORAGE_CASES } from './mutations/storage.cases';
import { mutated, realStack } from './real-baseline';
import { transactionsTable } from './selectors';

const CASES = [
  ...OBSERVABILITY_CASES,
  ...IAM_CASES,
  ...RETAIN_AND_COMPUTE_CASES,
  ...STORAGE_CASES,
  ...API_AND_ADVISORY_CASES,
  ...OPERATIONS_CASES,
  ...KEY_CASES,
  ...SERVICE_KEY_CASES,
  ...ACCESS_TRAIL_CASES,
];

const byId = new Map(catalog.map((p) => [p.metadata.id, p]));

let baseline: FixtureResource[];

beforeAll(async () => {
  baseline = await realStack();
}, 120_000);

describe('each way to break a policy is reported', () => {
  it.each(CASES)('$policy fails on $breaks ($target.what)', async (c) => {
    const packPolicy = byId.get(c.policy);
    if (!packPolicy) throw new Error(`no policy ${c.policy} in the catalog`);
    // The same policy passes the unmutated stack, so the finding below is the mutation's doing.
    expect((await runPolicy(packPolicy, baseline)).findings).toEqual([]);

    const { findings } = await runPolicy(packPolicy, mutated(baseline, c.target, c.mutate));
    const details = findings.map((f) => f.detail);
    const match = (d: string) =>
      typeof c.expected === 'string' ? d.includes(c.expected) : c.expected.test(d);
    if (!details.some(match)) {
      throw new Error(`expected a finding matching ${c.expected}; got:\n${details.join('\n') || '(none)'}`);
    }
    const atFault = (c.at ?? [c.target]).map((s) => s.pick(baseline).urn);
    for (const f of findings) {
      expect(f.notEvaluated).toBe(false);
      expect(f.enforcementLevel).toBe(packPolicy.metadata.enforcementLevel);
      expect(f.message.startsWith(packPolicy.metadata.description)).toBe(true);
      expect(atFault).toContain(f.urn);
    }
  });

  it('covers every policy of the pack with at least one mutation', () => {
    const covered = new Set(CASES.map((c) => c.policy));
    expect(catalog.map((p) => p.metadata.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('what a policy deliberately lets pass', () => {
  it('a table whose items expire through TTL (working state, not audit data) needs no stream', async () => {
    const stack = mutated(baseline, transactionsTable, (p) => {
      delete p.streamEnabled;
      delete p.streamViewType;
      p.ttl = { attributeName: 'expires_at', enabled: true };
    });
    const { findings } = await runPolicy(byId.get('dynamodb-stream-new-and-old-images')!, stack);
    expect(findings).toEqual([]);
  });
});
