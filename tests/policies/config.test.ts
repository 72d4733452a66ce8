/** Tuning through --policy-pack-config: thresholds, enforcement levels and exemptions. */
import { catalog } from '../../policies/catalog';
import { runPolicy, type FixtureResource } from './harness';
import { realStack } from './real-baseline';
import { anomalyFunction, apiFunction, apiLogGroup, validatorFunction } from './selectors';

const policy = (id: string) => catalog.find((p) => p.metadata.id === id)!;
const JUSTIFICATION = 'Legacy log group kept 14 days for the migration audit until 2027-01-31.';

let baseline: FixtureResource[];

beforeAll(async () => {
  baseline = await realStack();
}, 120_000);

describe('policy configuration', () => {
  it('applies a configured threshold instead of the default', async () => {
    const { findings } = await runPolicy(policy('log-group-retention'), baseline, {
      retentionDays: 14,
    });
    expect(findings.map((f) => f.detail)).toContain('retentionInDays should be 14; found 7.');
  });

  it('applies configured lists (runtimes, tags, region)', async () => {
    const runtime = await runPolicy(policy('lambda-supported-runtime'), baseline, {
      allowedRuntimes: ['nodejs22.x'],
    });
    const functions = [validatorFunction, anomalyFunction, apiFunction].map((s) => s.pick(baseline).urn);
    expect(runtime.findings.map((f) => f.urn).sort()).toEqual(functions.sort());
    const tags = await runPolicy(policy('required-tags'), baseline, {
      requiredTags: { Owner: 'payments' },
    });
    expect(tags.findings[0].detail).toBe('tag Owner should be "payments"; found not set.');
    const region = await runPolicy(policy('allowed-region'), baseline, { region: 'eu-west-1' });
    expect(region.findings.length).toBeGreaterThan(0);
  });

  it('reports at the configured enforcement level, and not at all when disabled', async () => {
    const config = { enforcementLevel: 'advisory', retentionDays: 14 };
    const advisory = await runPolicy(policy('log-group-retention'), baseline, config);
    expect(advisory.findings.every((f) => f.enforcementLevel === 'advisory')).toBe(true);
    const disabled = await runPolicy(policy('log-group-retention'), baseline, {
      enforcementLevel: 'disabled',
      retentionDays: 14,
    });
    expect(disabled.findings).toEqual([]);
  });

  it('skips an exempted resource and reports the written justification as the reason', async () => {
    const exempted = apiLogGroup.pick(baseline);
    const exemptions = [{ resource: exempted.name, justification: JUSTIFICATION }];
    const { findings, notApplicable } = await runPolicy(policy('log-group-retention'), baseline, {
      retentionDays: 14,
      exemptions,
    });
    expect(findings.map((f) => f.urn)).not.toContain(exempted.urn);
    expect(findings.length).toBeGreaterThan(0); // the other log groups still fail
    expect(notApplicable).toContainEqual(
      expect.objectContaining({ urn: exempted.urn, reason: `Exempted: ${JUSTIFICATION}` }),
    );
  });

  it('refuses an exemption without a real justification, with a clear error', async () => {
    await expect(
      runPolicy(policy('log-group-retention'), baseline, {
        exemptions: [{ resource: 'log-api', justification: 'ok' }],
      }),
    ).rejects.toThrow(
      /exemptions\[0\] for "log-api" needs a written justification of at least 20 characters/,
    );
  });
});
