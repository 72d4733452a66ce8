/**
 * Policy pack config, reconciled the way the Pulumi CLI does it for `--policy-pack-config`
 * (pkg/resource/analyzer/config.go): start from each policy's default level and the `default` of
 * every schema property, apply the pack's initial config, then the user's file (`all` first, for
 * the enforcement level only, then each policy), and validate every policy's properties against
 * its JSON schema. Unlike the CLI, which ignores both, unknown policy names and unknown keys inside
 * a policy's config are errors here: a typo in an audited config (`retentionDay` for
 * `retentionDays`) must not silently leave a control at its default. The CLI ignores a key its
 * schema does not declare because the pack's schemas never forbid extra properties.
 * https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/
 */
import * as fs from 'node:fs';
import Ajv from 'ajv';
import { GateInputError } from './errors';
import type { EffectivePolicyConfig, EnforcementLevel, PackInfo, ReconciledConfig } from './types';

const LEVELS: EnforcementLevel[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

export type UserConfig = Record<string, EffectivePolicyConfig>;

/** Reads and parses a `--policy-pack-config` file. */
export function readPolicyConfigFile(file: string): UserConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new GateInputError(`cannot read policy config ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  if (text.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GateInputError(`policy config ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parsePolicyConfig(raw, file);
}

export function parsePolicyConfig(raw: unknown, source = 'policy config'): UserConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new GateInputError(`${source} must be a JSON object of policy name to level or settings`);
  }
  const result: UserConfig = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === ESC_ENVIRONMENTS) refuseEnvironments(value, source);
    if (typeof value === 'string') {
      result[name] = { enforcementLevel: level(value, name, source) };
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      result[name] = {
        enforcementLevel: enforcementLevel === undefined ? undefined : level(enforcementLevel, name, source),
        properties: Object.keys(properties).length > 0 ? properties : undefined,
      };
    } else {
      throw new GateInputError(`${source}: "${name}" must be an enforcement level or an object`);
    }
  }
  return result;
}

/**
 * The CLI takes an `environments` key: Pulumi ESC environments whose values it resolves into the
 * policies' config (pkg/resource/analyzer/config.go). Opening them needs Pulumi Cloud, which the
 * gate does not reach, so it refuses the file rather than judge with config it cannot see.
 */
const ESC_ENVIRONMENTS = 'environments';

function refuseEnvironments(value: unknown, source: string): never {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new GateInputError(`${source}: "environments" must be an array of strings, as in the CLI`);
  }
  throw new GateInputError(
    `${source}: "environments" names Pulumi ESC environments (${value.map((v) => `"${v}"`).join(', ')}), ` +
      'which the gate cannot open offline: put the values they hold in the file instead',
  );
}

function level(value: unknown, name: string, source: string): EnforcementLevel {
  if (typeof value !== 'string' || !LEVELS.includes(value as EnforcementLevel)) {
    throw new GateInputError(
      `${source}: "${name}" has enforcement level ${JSON.stringify(value)}; expected one of ${LEVELS.join(', ')}`,
    );
  }
  return value as EnforcementLevel;
}

export function reconcileConfig(pack: PackInfo, user: UserConfig = {}): ReconciledConfig {
  const known = new Set(pack.policies.map((p) => p.name));
  const unknown = Object.keys(user).filter((n) => n !== 'all' && !known.has(n));
  if (unknown.length > 0) {
    throw new GateInputError(
      `policy config names unknown ${unknown.length === 1 ? 'policy' : 'policies'} ${unknown.map((n) => `"${n}"`).join(', ')} (pack ${pack.name} has no such policy)`,
    );
  }
  const unknownKeys = unknownConfigKeys(pack, user);
  if (unknownKeys.length > 0) throw new GateInputError(`policy config: ${unknownKeys.join('; ')}`);
  const result: ReconciledConfig = {};
  for (const p of pack.policies) {
    const defaults: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
      if (schema && typeof schema === 'object' && 'default' in schema) {
        defaults[k] = (schema as { default: unknown }).default;
      }
    }
    result[p.name] = { enforcementLevel: p.enforcementLevel, properties: defaults };
  }
  apply(result, pack.initialConfig);
  apply(result, user);
  validate(pack, result);
  return result;
}

/**
 * Keys of the user's config that no policy schema declares, one message per policy naming the
 * policy, the keys and what it does take. `all` only sets the enforcement level, as in the CLI.
 */
function unknownConfigKeys(pack: PackInfo, user: UserConfig): string[] {
  const messages: string[] = [];
  for (const [name, given] of Object.entries(user)) {
    const keys = Object.keys(given.properties ?? {});
    if (keys.length === 0) continue;
    const declared =
      name === 'all'
        ? []
        : Object.keys(pack.policies.find((p) => p.name === name)?.configSchema?.properties ?? {});
    const unknown = keys.filter((k) => !declared.includes(k));
    if (unknown.length === 0) continue;
    const accepted = ['enforcementLevel', ...declared].map((k) => `"${k}"`).join(', ');
    messages.push(
      `"${name}" has unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${accepted})`,
    );
  }
  return messages;
}

function apply(result: ReconciledConfig, config: UserConfig): void {
  const all = config.all?.enforcementLevel;
  if (all) for (const c of Object.values(result)) c.enforcementLevel = all;
  for (const [name, given] of Object.entries(config)) {
    const target = result[name];
    if (!target) continue;
    if (given.enforcementLevel) target.enforcementLevel = given.enforcementLevel;
    Object.assign(target.properties, given.properties ?? {});
  }
}

function validate(pack: PackInfo, config: ReconciledConfig): void {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const errors: string[] = [];
  for (const p of pack.policies) {
    if (!p.configSchema) continue;
    const schema = {
      type: 'object',
      properties: p.configSchema.properties,
      required: p.configSchema.required,
    };
    const check = ajv.compile(schema);
    if (!check(config[p.name].properties)) {
      for (const e of check.errors ?? []) {
        const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
        errors.push(`${p.name}${where ? `.${where}` : ''} ${e.message ?? 'is invalid'}`);
      }
    }
  }
  if (errors.length > 0) throw new GateInputError(`invalid policy config: ${errors.join('; ')}`);
}
