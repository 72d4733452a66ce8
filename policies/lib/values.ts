/** Small readers for resource and provider inputs, shared by several policies. */
import type { PolicyProviderResource } from '@pulumi/policy';

export type Props = Record<string, unknown>;

export function asArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** Provider inputs may arrive JSON-encoded (SDKs serialise non-string provider config that way). */
export function decodeJsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function asStringRecord(value: unknown): Record<string, string> {
  const decoded = decodeJsonish(value);
  if (typeof decoded !== 'object' || decoded === null) return {};
  return Object.fromEntries(Object.entries(decoded as Props).map(([k, v]) => [k, String(v)]));
}

/** The provider's `defaultTags.tags`, which AWS applies to every taggable resource it creates. */
export function providerDefaultTags(provider: PolicyProviderResource | undefined): Record<string, string> {
  const defaultTags = decodeJsonish(provider?.props?.defaultTags) as { tags?: unknown } | undefined;
  return asStringRecord(defaultTags?.tags);
}

/** Tags AWS will apply: provider default tags, overridden by the resource's own (same rule as tagsAll). */
export function effectiveTags(
  props: Props,
  provider: PolicyProviderResource | undefined,
): Record<string, string> {
  return { ...providerDefaultTags(provider), ...asStringRecord(props.tags) };
}

export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'not set';
  return JSON.stringify(value);
}
