/**
 * `pulumi stack export` files (and DIY backend checkpoints, see state-envelope.ts) in and out.
 * Reading audits a deployed stack the way `pulumi policy analyze --file` does
 * (pulumi/pulumi pkg/resource/deploy/analyze_snapshot.go): resources pending deletion
 * (`delete: true`) are skipped; each resource's inputs go to Analyze and its outputs to
 * AnalyzeStack. Writing produces the same format, so the gate's own `stack-state.json` can be fed
 * back in. https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_export/
 */
import * as fs from 'node:fs';
import { GateInputError } from './errors';
import { isSecretValue, secret, SIG_KEY } from './encoding';
import { UNDECRYPTED_SECRET } from './stack-context';
import { unwrapState } from './state-envelope';
import type { GateInput, GateResource } from './types';

/** The version the gate writes: every field it writes exists in ResourceV3, and it uses no feature. */
export const DEPLOYMENT_VERSION = 3;
/** What `stack-state.json` carries instead of a secret's value: reports never hold secrets. */
export const REDACTED = '[secret redacted by the offline gate]';

interface StateResource {
  urn?: unknown;
  type?: unknown;
  custom?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  delete?: unknown;
  parent?: unknown;
  provider?: unknown;
  dependencies?: unknown;
  propertyDependencies?: unknown;
  protect?: unknown;
  retainOnDelete?: unknown;
  deleteBeforeReplace?: unknown;
  ignoreChanges?: unknown;
  additionalSecretOutputs?: unknown;
  aliases?: unknown;
  customTimeouts?: unknown;
}

/** The last `::`-separated segment of a URN is the resource's name. */
export function nameFromUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}

export function readStateFile(file: string): GateInput {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new GateInputError(`cannot read state file ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  // Editors on Windows save JSON with a UTF-8 byte-order mark; it is not part of the document.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GateInputError(`state file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseState(doc, file);
}

export function parseState(doc: unknown, file: string): GateInput {
  const { version, resources: list } = unwrapState(doc, file);
  if (!Array.isArray(list) || list.length === 0)
    throw new GateInputError(`state file ${file} has no resources`);
  const resources = list
    .map((r: StateResource, i) => ({ r, i }))
    .filter(({ r }) => !(typeof r === 'object' && r !== null && r.delete === true))
    .map(({ r, i }) => toGateResource(r, i, file, version));
  if (resources.length === 0) {
    throw new GateInputError(
      `state file ${file} has no resources to audit: all ${list.length} are pending deletion (delete: true)`,
    );
  }
  const stack = resources.find((r) => r.type === 'pulumi:pulumi:Stack')?.urn ?? resources[0].urn;
  const [, stackName = 'unknown', project = 'unknown'] = stack.match(/^urn:pulumi:([^:]+)::([^:]+)::/) ?? [];
  return { project, stack: stackName, mode: 'state', source: file, resources };
}

function toGateResource(r: StateResource, i: number, file: string, version: number): GateResource {
  if (typeof r !== 'object' || r === null)
    throw new GateInputError(`state file ${file}: resource #${i} is not an object`);
  if (typeof r.urn !== 'string' || !r.urn.startsWith('urn:pulumi:')) {
    throw new GateInputError(`state file ${file}: resource #${i} has no valid urn`);
  }
  if (typeof r.type !== 'string' || r.type === '')
    throw new GateInputError(`state file ${file}: ${r.urn} has no type`);
  const inputs = fromStateValue(r.inputs ?? {}) as Record<string, unknown>;
  const dependencies = strings(r.dependencies);
  return {
    urn: r.urn,
    type: r.type,
    name: nameFromUrn(r.urn),
    custom: r.custom === true,
    inputs,
    outputs: fromStateValue(r.outputs ?? {}) as Record<string, unknown>,
    parent: typeof r.parent === 'string' && r.parent ? r.parent : undefined,
    // ResourceV1 had no provider reference; the CLI's migration drops any (migrate/resource.go).
    provider: version >= 2 && typeof r.provider === 'string' && r.provider ? r.provider : undefined,
    dependencies,
    propertyDependencies:
      version < 3
        ? // The CLI's migration to ResourceV3 assumes every input depends on all dependencies.
          Object.fromEntries(Object.keys(inputs).map((k) => [k, dependencies]))
        : typeof r.propertyDependencies === 'object' && r.propertyDependencies !== null
          ? Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, strings(v)]))
          : undefined,
    options: {
      protect: r.protect === true,
      retainOnDelete: r.retainOnDelete === true,
      deleteBeforeReplace: typeof r.deleteBeforeReplace === 'boolean' ? r.deleteBeforeReplace : undefined,
      ignoreChanges: strings(r.ignoreChanges),
      additionalSecretOutputs: strings(r.additionalSecretOutputs),
      aliases: strings(r.aliases),
      customTimeouts: timeouts(r.customTimeouts),
    },
  };
}

/** ResourceV3's custom timeouts, in seconds (create, update, delete; read is not analyzed). */
function timeouts(v: unknown): GateResource['options']['customTimeouts'] {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const out: NonNullable<GateResource['options']['customTimeouts']> = {};
  for (const k of ['create', 'update', 'delete'] as const)
    if (typeof o[k] === 'number' && o[k]) out[k] = o[k];
  return Object.keys(out).length ? out : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Secrets in an export are `{sig, ciphertext}` (encrypted; redacted here) or, with
 * `--show-secrets`, `{sig, plaintext: <JSON text>}`; both become the wire secret encoding.
 */
function fromStateValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fromStateValue);
  const o = v as Record<string, unknown>;
  if (isSecretValue(o)) {
    if ('value' in o) return secret(fromStateValue(o.value));
    if (typeof o.plaintext === 'string') {
      try {
        return secret(fromStateValue(JSON.parse(o.plaintext)));
      } catch {
        return secret(o.plaintext);
      }
    }
    // Ciphertext cannot be decrypted offline: `pulumi policy analyze --file` then shows every such
    // secret as the string "[secret]" (pkg/cmd/pulumi/policy/policy_analyze.go, BlindingProvider).
    return secret(UNDECRYPTED_SECRET);
  }
  return mapValues(o, fromStateValue);
}

/** `Object.fromEntries(Object.entries(o).map(...))` without the intermediate arrays (large states). */
function mapValues(o: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = f(o[k]);
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

function toStateValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toStateValue);
  const o = v as Record<string, unknown>;
  if (isSecretValue(o)) return { [SIG_KEY]: o[SIG_KEY], ciphertext: REDACTED };
  return mapValues(o, toStateValue);
}

/** The evaluated resources as a `pulumi stack export` document (secrets redacted, unknowns kept). */
export function toStateDocument(input: GateInput, time = new Date()): Record<string, unknown> {
  return {
    version: DEPLOYMENT_VERSION,
    deployment: {
      manifest: { time: time.toISOString(), magic: '', version: 'offline-gate' },
      resources: input.resources.map((r) => ({
        urn: r.urn,
        custom: r.custom,
        type: r.type,
        inputs: toStateValue(r.inputs),
        // A resource about to be created has its inputs as its state in a preview (what
        // AnalyzeStack is shown), so a report's state reproduces the same stack analysis.
        outputs: toStateValue(r.outputs ?? r.inputs),
        ...(r.parent ? { parent: r.parent } : {}),
        ...(r.provider ? { provider: r.provider } : {}),
        dependencies: r.dependencies,
        ...(r.propertyDependencies ? { propertyDependencies: r.propertyDependencies } : {}),
        protect: r.options.protect ?? false,
        retainOnDelete: r.options.retainOnDelete ?? false,
        ...(r.options.deleteBeforeReplace !== undefined
          ? { deleteBeforeReplace: r.options.deleteBeforeReplace }
          : {}),
        ...(r.options.ignoreChanges?.length ? { ignoreChanges: r.options.ignoreChanges } : {}),
        ...(r.options.additionalSecretOutputs?.length
          ? { additionalSecretOutputs: r.options.additionalSecretOutputs }
          : {}),
        ...(r.options.aliases?.length ? { aliases: r.options.aliases } : {}),
        ...(r.options.customTimeouts ? { customTimeouts: r.options.customTimeouts } : {}),
      })),
    },
  };
}
