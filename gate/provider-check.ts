/**
 * What the AWS provider's Check adds to a resource's inputs before the engine analyzes them, where
 * the gate can know it without the provider: `tagsAll`, the provider's `defaultTags.tags` merged
 * with the resource's own `tags` (the resource's win), less the provider's `ignoreTags` keys and
 * key prefixes; `{}` when nothing is left; unknown when the tags or the provider config are. The
 * provider sets it at Check only for its Terraform SDKv2 resources with an output-only `tagsAll`
 * (applyTagsPreCheckCallback and applyTags in
 * https://github.com/pulumi/pulumi-aws/blob/master/provider/tags.go); its plugin-framework
 * resources compute it in their plan, after the analyzer has seen the inputs.
 *
 * Not reproduced: the schema defaults and normalisations Check also applies, and Check failures
 * (README, "What a PASS proves").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_FRAMEWORK_TAGGED_TYPES } from './aws-plugin-framework';
import { containsUnknown, isSecretValue, secret, UNKNOWN } from './encoding';
import { providerUrn } from './requests';
import type { GateResource } from './types';

type Props = Record<string, unknown>;

interface SdkClassFacts {
  /** The class has an output-only `tagsAll`. */
  tagsAll: boolean;
  /**
   * The class takes a `timeouts` input: only plugin-framework resources have one (an SDKv2
   * resource's timeouts are Pulumi's customTimeouts option, never a property).
   */
  timeoutsInput: boolean;
}

const factsCache = new Map<string, SdkClassFacts>();

/** What the @pulumi/aws class of a type token says (`aws:sqs/queue:Queue` is `@pulumi/aws/sqs/queue.js`). */
function sdkClassFacts(type: string, from: string): SdkClassFacts {
  const cached = factsCache.get(type);
  if (cached) return cached;
  const [pkg, mod] = type.split(':');
  const [dir, file] = (mod ?? '').split('/');
  let facts: SdkClassFacts = { tagsAll: false, timeoutsInput: false };
  if (pkg === 'aws' && dir && file) {
    try {
      const main = require.resolve('@pulumi/aws', { paths: [from] });
      const source = fs.readFileSync(
        path.join(path.dirname(main), dir === 'index' ? '' : dir, `${file}.js`),
        'utf8',
      );
      facts = {
        tagsAll: source.includes('resourceInputs["tagsAll"] = undefined /*out*/'),
        timeoutsInput: source.includes('resourceInputs["timeouts"] = args'),
      };
    } catch {
      // a type the SDK does not have: the provider would not add tagsAll either
    }
  }
  factsCache.set(type, facts);
  return facts;
}

/** Whether the @pulumi/aws class of a type token has an output-only `tagsAll`. */
export function hasTagsAll(type: string, from: string): boolean {
  return sdkClassFacts(type, from).tagsAll;
}

/** Whether pulumi-aws serves the type from its plugin-framework provider (see aws-plugin-framework.ts). */
export function isPluginFramework(type: string, from: string): boolean {
  return PLUGIN_FRAMEWORK_TAGGED_TYPES.has(type) || sdkClassFacts(type, from).timeoutsInput;
}

/** Whether the provider's Check adds `tagsAll`: an SDKv2 resource with an output-only `tagsAll`. */
export function checkAddsTagsAll(type: string, from: string): boolean {
  return hasTagsAll(type, from) && !isPluginFramework(type, from);
}

/**
 * Adds `tagsAll` to the inputs of every AWS resource the provider's Check adds it to. `defaultProvider`
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
    if (!r.custom || 'tagsAll' in r.inputs || !checkAddsTagsAll(r.type, from)) return r;
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
