/**
 * What the AWS provider's Check adds to a resource's inputs before the engine analyzes them, where
 * the gate can know it without the provider: `tagsAll`, the provider's `defaultTags.tags` merged
 * with the resource's own `tags` (the resource's win), less the provider's `ignoreTags` keys and
 * key prefixes; `{}` when nothing is left; unknown when the tags or the provider config are. The
 * provider sets it for every resource whose schema has an output-only `tagsAll`
 * (pulumi/pulumi-aws provider/tags.go, applyTags as a PreCheckCallback).
 *
 * Not reproduced: the schema defaults and normalisations Check also applies, and Check failures
 * (README, "What a PASS proves").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { containsUnknown, isSecretValue, secret, UNKNOWN } from './encoding';
import { providerUrn } from './requests';
import type { GateResource } from './types';

type Props = Record<string, unknown>;

const hasTagsAllCache = new Map<string, boolean>();

/**
 * Whether the @pulumi/aws class of a type token has an output-only `tagsAll`, read from the SDK
 * the program uses (`aws:sqs/queue:Queue` is `@pulumi/aws/sqs/queue.js`).
 */
export function hasTagsAll(type: string, from: string): boolean {
  const cached = hasTagsAllCache.get(type);
  if (cached !== undefined) return cached;
  const [pkg, mod] = type.split(':');
  const [dir, file] = (mod ?? '').split('/');
  let found = false;
  if (pkg === 'aws' && dir && file) {
    try {
      const main = require.resolve('@pulumi/aws', { paths: [from] });
      const source = path.join(path.dirname(main), dir === 'index' ? '' : dir, `${file}.js`);
      found = fs.readFileSync(source, 'utf8').includes('resourceInputs["tagsAll"] = undefined /*out*/');
    } catch {
      found = false; // a type the SDK does not have: the provider would not add tagsAll either
    }
  }
  hasTagsAllCache.set(type, found);
  return found;
}

/**
 * Adds `tagsAll` to the inputs of every AWS resource the provider adds it to. `defaultProvider`
 * is the default provider's config (`aws:*` stack config without the namespace) for resources
 * registered without an explicit provider.
 */
export function applyProviderCheck(
  resources: GateResource[],
  defaultProvider: Props,
  from: string,
): GateResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => {
    if (!r.custom || 'tagsAll' in r.inputs || !hasTagsAll(r.type, from)) return r;
    const provider = r.provider ? byUrn.get(providerUrn(r.provider) ?? '')?.inputs : defaultProvider;
    return { ...r, inputs: { ...r.inputs, tagsAll: tagsAll(r.inputs.tags, provider ?? {}) } };
  });
}

/** Provider inputs travel JSON-encoded when they are objects (the Node SDK encodes them so). */
function providerValue(meta: Props, key: string): unknown {
  const v = meta[key];
  if (typeof v !== 'string' || v === UNKNOWN) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function plain(v: unknown): unknown {
  return isSecretValue(v) ? plain(v.value) : v;
}

function stringMap(v: unknown): Record<string, string> {
  const o = plain(v);
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o as Props)) {
    const value = plain(x);
    if (value !== null && value !== undefined) out[k] = String(value);
  }
  return out;
}

export function tagsAll(tags: unknown, meta: Props): unknown {
  const defaultTags = providerValue(meta, 'defaultTags');
  const ignoreTags = providerValue(meta, 'ignoreTags');
  if (containsUnknown(tags) || containsUnknown(defaultTags) || containsUnknown(ignoreTags)) return UNKNOWN;
  const merged = { ...stringMap((plain(defaultTags) as Props | undefined)?.tags), ...stringMap(tags) };
  const ignore = (plain(ignoreTags) as Props | undefined) ?? {};
  const listed = (v: unknown) => (Array.isArray(plain(v)) ? (plain(v) as unknown[]).map(String) : []);
  const ignoredKeys = new Set(listed(ignore.keys));
  const prefixes = listed(ignore.keyPrefixes);
  for (const k of Object.keys(merged)) {
    if (ignoredKeys.has(k) || prefixes.some((p) => k.startsWith(p))) delete merged[k];
  }
  return isSecretValue(tags) ? secret(merged) : merged;
}
