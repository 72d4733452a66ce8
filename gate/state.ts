/**
 * `pulumi stack export` files (deployment version 3) in and out. Reading audits a deployed stack
 * like `pulumi preview` would see it: each resource's inputs are what the analyzer receives.
 * Writing produces the same format, so the gate's own `stack-state.json` can be fed back in.
 * https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_export/
 */
import * as fs from 'node:fs';
import { GateInputError } from './errors';
import { isSecretValue, secret, SIG_KEY, UNKNOWN } from './encoding';
import type { GateInput, GateResource } from './types';

export const DEPLOYMENT_VERSION = 3;
/** What `stack-state.json` carries instead of a secret's value: reports never hold secrets. */
export const REDACTED = '[secret redacted by the offline gate]';

interface StateResource {
  urn?: unknown;
  type?: unknown;
  custom?: unknown;
  inputs?: unknown;
  parent?: unknown;
  provider?: unknown;
  dependencies?: unknown;
  propertyDependencies?: unknown;
  protect?: unknown;
  retainOnDelete?: unknown;
  deleteBeforeReplace?: unknown;
  ignoreChanges?: unknown;
  additionalSecretOutputs?: unknown;
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
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GateInputError(`state file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseState(doc, file);
}

export function parseState(doc: unknown, file: string): GateInput {
  const d = doc as { version?: unknown; deployment?: { resources?: unknown } } | null;
  if (typeof d !== 'object' || d === null || d.version !== DEPLOYMENT_VERSION) {
    const version = typeof d === 'object' && d !== null && !Array.isArray(d) ? d.version : undefined;
    const found = version === undefined ? 'none' : JSON.stringify(version);
    throw new GateInputError(
      `state file ${file} has deployment version ${found}; expected ${DEPLOYMENT_VERSION} (the output of pulumi stack export)`,
    );
  }
  const list = d.deployment?.resources;
  if (!Array.isArray(list) || list.length === 0)
    throw new GateInputError(`state file ${file} has no resources`);
  const resources = list.map((r: StateResource, i) => toGateResource(r, i, file));
  const stack = resources.find((r) => r.type === 'pulumi:pulumi:Stack')?.urn ?? resources[0].urn;
  const [, stackName = 'unknown', project = 'unknown'] = stack.match(/^urn:pulumi:([^:]+)::([^:]+)::/) ?? [];
  return { project, stack: stackName, mode: 'state', source: file, resources };
}

function toGateResource(r: StateResource, i: number, file: string): GateResource {
  if (typeof r !== 'object' || r === null)
    throw new GateInputError(`state file ${file}: resource #${i} is not an object`);
  if (typeof r.urn !== 'string' || !r.urn.startsWith('urn:pulumi:')) {
    throw new GateInputError(`state file ${file}: resource #${i} has no valid urn`);
  }
  if (typeof r.type !== 'string' || r.type === '')
    throw new GateInputError(`state file ${file}: ${r.urn} has no type`);
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  return {
    urn: r.urn,
    type: r.type,
    name: nameFromUrn(r.urn),
    custom: r.custom === true,
    inputs: fromStateValue(r.inputs ?? {}) as Record<string, unknown>,
    parent: typeof r.parent === 'string' && r.parent ? r.parent : undefined,
    provider: typeof r.provider === 'string' && r.provider ? r.provider : undefined,
    dependencies: strings(r.dependencies),
    propertyDependencies:
      typeof r.propertyDependencies === 'object' && r.propertyDependencies !== null
        ? Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, strings(v)]))
        : undefined,
    options: {
      protect: r.protect === true,
      retainOnDelete: r.retainOnDelete === true,
      deleteBeforeReplace: typeof r.deleteBeforeReplace === 'boolean' ? r.deleteBeforeReplace : undefined,
      ignoreChanges: strings(r.ignoreChanges),
      additionalSecretOutputs: strings(r.additionalSecretOutputs),
    },
  };
}

/**
 * Secrets in an export are `{sig, ciphertext}` (encrypted; the value is unknown here) or, with
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
    return secret(UNKNOWN);
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
        outputs: {},
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
      })),
    },
  };
}
