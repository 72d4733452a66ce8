/**
 * One mutation of the compliant baseline per way to break a policy: the policy must report it with
 * a message saying what should be true and what was found, at its level, against the resource at
 * fault. The cases live in mutations/*.cases.ts, one file per area.
 */
import { catalog } from '../../policies/catalog';
import { mutated } from './fixtures/baseline';
import { runPolicy } from './harness';
import { API_AND_ADVISORY_CASES } from './mutations/api-and-advisory.cases';
import { IAM_CASES } from './mutations/iam.cases';
import { OBSERVABILITY_CASES } from './mutations/observability.cases';
import { RETAIN_AND_COMPUTE_CASES } from './mutations/retain-and-compute.cases';
import { STORAGE_CASES } from './mutations/storage.cases';

const CASES = [
  ...OBSERVABILITY_CASES,
  ...IAM_CASES,
  ...RETAIN_AND_COMPUTE_CASES,
  ...STORAGE_CASES,
  ...API_AND_ADVISORY_CASES,
];

const byId = new Map(catalog.map((p) => [p.metadata.id, p]));

describe('each way to break a policy is reported', () => {
  it.each(CASES)('$policy fails on $breaks', async ({ policy, resource, mutate, expected }) => {
    const packPolicy = byId.get(policy);
    expect(packPolicy).toBeDefined();
    const stack = mutated(resource, mutate);
    const { findings } = await runPolicy(packPolicy!, stack);
    expect(findings.length).toBeGreaterThan(0);
    const details = findings.map((f) => f.detail);
    const match =
      typeof expected === 'string'
        ? details.some((d) => d.includes(expected))
        : details.some((d) => expected.test(d));
    if (!match) throw new Error(`expected a finding matching ${expected}; got:\n${details.join('\n')}`);
    for (const f of findings) {
      expect(f.notEvaluated).toBe(false);
      expect(f.enforcementLevel).toBe(packPolicy!.metadata.enforcementLevel);
      expect(f.message.startsWith(packPolicy!.metadata.description)).toBe(true);
    }
    // Stack policies attribute the finding to the resource at fault (here the bucket, topic or function).
    expect(findings.every((f) => typeof f.urn === 'string' && f.urn.startsWith('urn:pulumi:dev::'))).toBe(
      true,
    );
  });

  it('covers every policy of the pack with at least one mutation', () => {
    const covered = new Set(CASES.map((c) => c.policy));
    expect(catalog.map((p) => p.metadata.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('what a policy deliberately lets pass', () => {
  it('a table whose items expire through TTL (working state, not audit data) needs no stream', async () => {
    const stack = mutated('dynamodb-transactions', (p) => {
      delete p.streamEnabled;
      delete p.streamViewType;
      p.ttl = { attributeName: 'expires_at', enabled: true };
    });
    const { findings } = await runPolicy(byId.get('dynamodb-stream-new-and-old-images')!, stack);
    expect(findings).toEqual([]);
  });
});
