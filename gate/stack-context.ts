/**
 * The stack a pack is told about, as `pulumi preview --policy-pack` tells it:
 * - ConfigureStack carries the organization, project, stack, the stack's config (project config
 *   merged in, secret keys listed), stack tags and whether this is a dry run
 *   (pulumi/pulumi pkg/engine/update.go analyzerOpts, pkg/resource/plugin/analyzer_plugin.go);
 * - the Node.js language host starts the pack with PULUMI_NODEJS_ORGANIZATION, _PROJECT, _STACK,
 *   _DRY_RUN and PULUMI_CONFIG (sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin), which
 *   is all `pulumi.getStack()` or `new pulumi.Config('aws')` read in a pack: @pulumi/policy only
 *   keeps the tags from ConfigureStack.
 * The config is what the CLI merges (pkg/workspace/config.go mergeConfig): the stack file's
 * values, then each `Pulumi.yaml` config entry with a value or default the stack file lacks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { GateInputError } from './errors';
import type { GateInput } from './types';

/** The DIY backend's organization (`pulumi login --local`), which the CLI sends to every pack. */
export const DIY_ORGANIZATION = 'organization';
/**
 * What a `secure:` value becomes: it cannot be decrypted offline. `pulumi policy analyze` redacts
 * secrets it cannot decrypt the same way (pkg/cmd/pulumi/policy/policy_analyze.go).
 */
export const UNDECRYPTED_SECRET = '[secret]';

export interface StackContext {
  organization: string;
  project: string;
  stack: string;
  /** `namespace:key` -> value, objects and lists as JSON (as the CLI decrypts them). */
  config: Record<string, string>;
  /** Keys whose value is a secret. */
  secretKeys: string[];
  tags: Record<string, string>;
  dryRun: boolean;
  /**
   * Set when `Pulumi.yaml` declares keys without a default that the stack file does not set: the
   * CLI refuses to preview such a stack before any pack runs. The gate warns instead of refusing,
   * so that the verdict of the policies is still given.
   */
  missingConfig?: string;
}

type Yaml = Record<string, unknown>;
const DECLARATION_KEYS = ['type', 'default', 'value', 'description', 'items', 'secret'];

function readYaml(file: string, root: string): Yaml {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    const name = path.relative(root, file);
    throw new GateInputError(
      name === 'Pulumi.yaml'
        ? `No project file Pulumi.yaml in ${root}.`
        : `No stack file ${name}: create it or pass --stack NAME.`,
    );
  }
  try {
    return (yaml.load(text) as Yaml | undefined) ?? {};
  } catch (e) {
    throw new GateInputError(`${path.relative(root, file)} is not valid YAML: ${(e as Error).message}`);
  }
}

/** Context of a preview of the program with `Pulumi.<stack>.yaml`. */
export function programStackContext(
  stack: string,
  opts: { organization?: string; dryRun: boolean; root: string },
): StackContext {
  const project = readYaml(path.join(opts.root, 'Pulumi.yaml'), opts.root);
  const stackFile = readYaml(path.join(opts.root, `Pulumi.${stack}.yaml`), opts.root);
  const name = String(project.name ?? '');
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries((stackFile.config as Yaml | undefined) ?? {})) {
    const full = fullKey(name, key);
    const { text, secret } = configValue(value);
    config[full] = text;
    if (secret) secretKeys.push(full);
  }
  const missing: string[] = [];
  for (const [key, entry] of Object.entries((project.config as Yaml | undefined) ?? {})) {
    const full = fullKey(name, key);
    if (full in config) continue;
    const declared = isDeclaration(entry) ? (entry.default ?? entry.value) : entry;
    if (declared !== undefined && declared !== null) config[full] = configValue(declared).text;
    else if (full.startsWith(`${name}:`)) missing.push(key);
  }

  return {
    organization: opts.organization ?? DIY_ORGANIZATION,
    project: name,
    stack,
    config,
    secretKeys,
    tags: stackTags(project, config),
    dryRun: opts.dryRun,
    ...(missing.length > 0 ? { missingConfig: missingKeysMessage(stack, missing) } : {}),
  };
}

/**
 * Context of a state audit or a given input: the project and stack its URNs name. (The CLI's
 * `pulumi policy analyze --file` sends none at all; naming the audited stack is more useful.)
 */
export function inputStackContext(input: GateInput, organization?: string): StackContext {
  return {
    organization: organization ?? DIY_ORGANIZATION,
    project: input.project,
    stack: input.stack,
    config: {},
    secretKeys: [],
    tags: {},
    dryRun: input.mode !== 'state',
  };
}

/** The variables the Node.js language host adds to a pack's environment. */
export function packEnvironment(ctx: StackContext): Record<string, string> {
  const env: Record<string, string> = {
    PULUMI_NODEJS_ORGANIZATION: ctx.organization,
    PULUMI_NODEJS_PROJECT: ctx.project,
    PULUMI_NODEJS_STACK: ctx.stack,
    PULUMI_NODEJS_DRY_RUN: String(ctx.dryRun),
  };
  if (Object.keys(ctx.config).length > 0) env.PULUMI_CONFIG = JSON.stringify(ctx.config);
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
}

/** The CLI's wording (pkg/workspace/config.go missingStackConfigurationKeysError). */
function missingKeysMessage(stack: string, keys: string[]): string {
  const quoted = [...keys].sort().map((k) => `'${k}'`);
  const list =
    quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
  return `Stack '${stack}' is missing configuration ${keys.length === 1 ? 'value' : 'values'} ${list} (Pulumi.yaml declares ${keys.length === 1 ? 'it' : 'them'} without a default): pulumi preview refuses this stack before any policy runs, and so does the gate`;
}

function fullKey(project: string, key: string): string {
  return key.includes(':') ? key : `${project}:${key}`;
}

function isDeclaration(entry: unknown): entry is Yaml {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    !Array.isArray(entry) &&
    Object.keys(entry).some((k) => DECLARATION_KEYS.includes(k))
  );
}

/** A config value as the CLI hands it over: primitives as text, the rest as JSON. */
function configValue(value: unknown): { text: string; secret: boolean } {
  let secret = false;
  const reveal = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reveal);
    if (typeof v === 'object' && v !== null) {
      const o = v as Yaml;
      if (Object.keys(o).length === 1 && typeof o.secure === 'string') {
        secret = true;
        return UNDECRYPTED_SECRET;
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, reveal(x)]));
    }
    return v;
  };
  const plain = reveal(value);
  const text = typeof plain === 'object' && plain !== null ? JSON.stringify(plain) : String(plain);
  return { text, secret };
}

/**
 * The tags the CLI derives for a stack from Pulumi.yaml and the `pulumi:tags` config
 * (pkg/backend/stack.go GetEnvironmentTagsForCurrentStack). Git metadata tags (vcs:*) are left
 * out: they depend on the clone's remotes, not on the stack.
 */
function stackTags(project: Yaml, config: Record<string, string>): Record<string, string> {
  const tags: Record<string, string> = {};
  if (typeof project.name === 'string') tags['pulumi:project'] = project.name;
  const runtime = project.runtime;
  const runtimeName = typeof runtime === 'string' ? runtime : (runtime as Yaml | undefined)?.name;
  if (typeof runtimeName === 'string') tags['pulumi:runtime'] = runtimeName;
  if (typeof project.description === 'string') tags['pulumi:description'] = project.description;
  const extra = config['pulumi:tags'];
  if (extra !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(extra);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new GateInputError('pulumi:tags must be an object of strings');
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== 'string') throw new GateInputError(`pulumi:tags[${k}] must be a string`);
      tags[k] = v;
    }
  }
  return tags;
}
