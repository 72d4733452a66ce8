/**
 * Values unknown at preview. The engine sends an unknown input as a sentinel string; @pulumi/policy
 * wraps props in a proxy that throws `UnknownValueError` on reading one, and the server turns that
 * error into an advisory "can't run policy during preview" diagnostic. Policies use these helpers to
 * look at a value WITHOUT tripping the proxy when an unknown is acceptable (e.g. "is a source ARN
 * set?"), and read normally (so the engine downgrades) only where the decision needs the value.
 * https://www.pulumi.com/docs/iac/using-pulumi/crossguard/core-concepts/ (unknown values at preview)
 */

interface PolicyProxyModule {
  UnknownValueError: new (...args: unknown[]) => Error;
  unknownCheckingProxy: <T>(value: T) => T;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  unknownObjectValue: string;
}

// The sentinels are @internal in @pulumi/policy's typings but exported at runtime.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyModule = require('@pulumi/policy/proxy') as PolicyProxyModule;

export const UnknownValueError = proxyModule.UnknownValueError;
export const unknownCheckingProxy = proxyModule.unknownCheckingProxy;
/** The sentinel the Pulumi engine sends for any computed value (its wire format is a string). */
export const UNKNOWN = proxyModule.unknownStringValue;

const SENTINELS = new Set<unknown>([
  proxyModule.unknownBooleanValue,
  proxyModule.unknownNumberValue,
  proxyModule.unknownStringValue,
  proxyModule.unknownArrayValue,
  proxyModule.unknownAssetValue,
  proxyModule.unknownArchiveValue,
  proxyModule.unknownObjectValue,
]);

export function isUnknownSentinel(value: unknown): boolean {
  return SENTINELS.has(value);
}

/**
 * State of `obj[key]` without triggering the unknown-checking proxy: the property descriptor is read
 * from the proxy's target (the proxy defines only a `get` trap).
 */
export function peek(
  obj: unknown,
  key: string,
): { state: 'absent' } | { state: 'unknown' } | { state: 'known' } {
  if (obj === null || typeof obj !== 'object') return { state: 'absent' };
  const descriptor = Object.getOwnPropertyDescriptor(obj, key);
  if (!descriptor || descriptor.value === undefined || descriptor.value === null) return { state: 'absent' };
  return isUnknownSentinel(descriptor.value) ? { state: 'unknown' } : { state: 'known' };
}

/** Reads `obj[key]` if it is known, else returns `undefined`; never throws `UnknownValueError`. */
export function knownOrUndefined<T = unknown>(obj: unknown, key: string): T | undefined {
  return peek(obj, key).state === 'known' ? ((obj as Record<string, unknown>)[key] as T) : undefined;
}
