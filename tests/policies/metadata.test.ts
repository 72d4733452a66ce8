import { catalog } from '../../policies/catalog';
import { ID_PATTERN } from '../../policies/lib/metadata';

const ADVISORY = [
  'lambda-async-failure-destination',
  'stream-mapping-failure-handling',
  'apigateway-access-logging',
  'apigateway-throttling',
];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const fullSentences = (text: string) =>
  /^[A-Z]/.test(text) && /[.)]$/.test(text.trim()) && text.split(' ').length >= 8;

describe('policy metadata', () => {
  it('gives every policy a unique, stable kebab-case id', () => {
    const ids = catalog.map((p) => p.metadata.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(ids).not.toContain('all'); // reserved by @pulumi/policy
  });

  it.each(catalog.map((p) => [p.metadata.id, p] as const))(
    '%s has complete metadata',
    (_id, { metadata, policy }) => {
      expect(policy.name).toBe(metadata.id);
      expect(fullSentences(metadata.description)).toBe(true);
      expect(policy.description).toBe(metadata.description);
      expect(SEVERITIES).toContain(policy.severity);
      expect(metadata.controls.pciDss.length).toBeGreaterThan(0);
      for (const req of metadata.controls.pciDss) expect(req).toMatch(/^\d{1,2}(\.\d+){1,3}$/);
      for (const c of metadata.controls.fsbp ?? []) expect(c).toMatch(/^[A-Za-z0-9]+\.\d+$/);
      expect(policy.framework).toEqual(
        expect.objectContaining({
          name: 'PCI DSS',
          version: '4.0.1',
          reference: expect.stringContaining('PCI DSS v4.0.1'),
        }),
      );
      expect(policy.tags).toEqual(
        expect.arrayContaining(metadata.controls.pciDss.map((r) => `pci-dss:${r}`)),
      );
      expect(fullSentences(metadata.remediationSteps) || metadata.remediationSteps.length > 30).toBe(true);
      expect(policy.remediationSteps).toBe(metadata.remediationSteps);
      if (metadata.url) expect(metadata.url).toMatch(/^https:\/\//);
    },
  );

  it('is mandatory by default except for exactly the advisory list of the issue', () => {
    const advisory = catalog
      .filter((p) => p.policy.enforcementLevel === 'advisory')
      .map((p) => p.metadata.id);
    expect(advisory.sort()).toEqual([...ADVISORY].sort());
    const others = catalog.filter((p) => !ADVISORY.includes(p.metadata.id));
    expect(others.every((p) => p.policy.enforcementLevel === 'mandatory')).toBe(true);
  });

  it('declares a default for every config property, and never a property named enforcementLevel', () => {
    for (const { policy } of catalog) {
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        expect(key).not.toBe('enforcementLevel');
        expect(typeof schema === 'object' && schema.default !== undefined).toBe(true);
      }
    }
  });

  it('exposes the tunables the issue names, with its defaults', () => {
    const defaults = (id: string) =>
      Object.fromEntries(
        Object.entries(catalog.find((p) => p.metadata.id === id)!.policy.configSchema!.properties).map(
          ([k, v]) => [k, (v as { default?: unknown }).default],
        ),
      );
    expect(defaults('log-group-retention').retentionDays).toBe(7);
    expect(defaults('lambda-reserved-concurrency').reservedConcurrency).toBe(10);
    expect(defaults('lambda-memory-size').memorySize).toBe(512);
    expect(defaults('lambda-supported-runtime').allowedRuntimes).toEqual(['nodejs24.x', 'nodejs22.x']);
    expect(defaults('required-tags').requiredTags).toEqual({
      Environment: 'production',
      Project: 'transaction-processor',
    });
    expect(defaults('resource-naming').environmentSuffixPattern).toBe('[a-z0-9]([a-z0-9-]*[a-z0-9])?');
    expect(defaults('s3-lifecycle-expiration').maxExpirationDays).toBe(90);
    expect(defaults('allowed-region').region).toBe('us-east-1');
  });
});
