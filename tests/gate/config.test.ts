import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePolicyConfig, readPolicyConfigFile, reconcileConfig } from '../../gate/config';
import { GateInputError } from '../../gate/errors';
import type { PackInfo, PolicyMeta } from '../../gate/types';

const policy = (name: string, extra: Partial<PolicyMeta> = {}): PolicyMeta => ({
  name,
  description: `${name} holds.`,
  kind: 'resource',
  enforcementLevel: 'mandatory',
  severity: 'high',
  tags: [],
  ...extra,
});

const pack: PackInfo = {
  name: 'p',
  version: '1.0.0',
  policies: [
    policy('retention', {
      configSchema: {
        properties: { days: { type: 'integer', minimum: 1, default: 7 }, note: { type: 'string' } },
        required: ['days'],
      },
    }),
    policy('tags', { enforcementLevel: 'advisory' }),
  ],
  initialConfig: {},
};

describe('policy config reconciliation (as the CLI does it)', () => {
  it('starts from each policy level and the defaults of its schema', () => {
    expect(reconcileConfig(pack)).toEqual({
      retention: { enforcementLevel: 'mandatory', properties: { days: 7 } },
      tags: { enforcementLevel: 'advisory', properties: {} },
    });
  });

  it('applies the pack initial config, then "all", then per-policy values', () => {
    const withInitial: PackInfo = { ...pack, initialConfig: { retention: { properties: { days: 30 } } } };
    const config = reconcileConfig(withInitial, {
      all: { enforcementLevel: 'advisory' },
      tags: { enforcementLevel: 'disabled' },
      retention: { properties: { note: 'x' } },
    });
    expect(config.retention).toEqual({ enforcementLevel: 'advisory', properties: { days: 30, note: 'x' } });
    expect(config.tags.enforcementLevel).toBe('disabled');
  });

  it('rejects a policy name the pack does not have, naming it', () => {
    expect(() => reconcileConfig(pack, { retenton: { enforcementLevel: 'advisory' } })).toThrow(
      /unknown policy "retenton"/,
    );
  });

  it('rejects a misspelled key inside a policy config, naming the policy, the key and the known keys', () => {
    const run = () => reconcileConfig(pack, { retention: { properties: { day: 3, note: 'x' } } });
    expect(run).toThrow(GateInputError);
    expect(run).toThrow('"retention" has unknown key "day" (known: "enforcementLevel", "days", "note")');
  });

  it('rejects keys given to a policy without config and settings under "all", which only takes a level', () => {
    expect(() => reconcileConfig(pack, { tags: { properties: { required: ['a'] } } })).toThrow(
      '"tags" has unknown key "required" (known: "enforcementLevel")',
    );
    expect(() =>
      reconcileConfig(pack, parsePolicyConfig({ all: { enforcementLevel: 'advisory', days: 3 } })),
    ).toThrow('"all" has unknown key "days" (known: "enforcementLevel")');
  });

  it('rejects a value that breaks the policy schema, naming the policy and property', () => {
    const run = () => reconcileConfig(pack, { retention: { properties: { days: 0 } } });
    expect(run).toThrow(GateInputError);
    expect(run).toThrow(/retention\.days must be >= 1/);
  });

  it('rejects an invalid enforcement level', () => {
    expect(() => parsePolicyConfig({ tags: 'strict' })).toThrow(/"tags" has enforcement level "strict"/);
    expect(() => parsePolicyConfig({ tags: { enforcementLevel: 3 } })).toThrow(/enforcement level 3/);
    expect(() => parsePolicyConfig(['tags'])).toThrow(/must be a JSON object/);
  });

  it('refuses the CLI\'s ESC "environments" key, which it cannot open offline, naming the environments', () => {
    expect(() => parsePolicyConfig({ environments: ['acme/policy-values'], tags: 'advisory' })).toThrow(
      /"environments" names Pulumi ESC environments \("acme\/policy-values"\), which the gate cannot open offline/,
    );
    expect(() => parsePolicyConfig({ environments: 'acme/policy-values' })).toThrow(
      /"environments" must be an array of strings/,
    );
  });

  it('reads files like --policy-pack-config, with clear errors for unreadable or non-JSON ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-config-'));
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(
      good,
      JSON.stringify({ tags: 'mandatory', retention: { enforcementLevel: 'advisory', days: 14 } }),
    );
    expect(readPolicyConfigFile(good)).toEqual({
      tags: { enforcementLevel: 'mandatory' },
      retention: { enforcementLevel: 'advisory', properties: { days: 14 } },
    });
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ "tags": ');
    expect(() => readPolicyConfigFile(bad)).toThrow(/is not valid JSON/);
    expect(() => readPolicyConfigFile(path.join(dir, 'missing.json'))).toThrow(
      /cannot read policy config .*ENOENT/,
    );
    fs.rmSync(dir, { recursive: true });
  });
});
