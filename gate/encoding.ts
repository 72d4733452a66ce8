/**
 * The engine's wire encoding of property values, as `@pulumi/pulumi/runtime/rpc` defines it:
 * an unknown value is the string `unknownValue`; a secret is an object whose `specialSigKey`
 * field is `specialSecretSig`, with the plain value under `value`. The pack's deserializer
 * (`@pulumi/policy/deserialize`) understands exactly these, so we reuse the SDK's own constants.
 */
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import * as rpc from '@pulumi/pulumi/runtime/rpc';
import { isUnknown } from '@pulumi/pulumi/output';

export const UNKNOWN = rpc.unknownValue;
export const SIG_KEY = rpc.specialSigKey;
export const SECRET_SIG = rpc.specialSecretSig;

export function secret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

export function isSecretValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/**
 * Turns a value as the SDK hands it to a mock (`output.unknown` for unknowns, secret signature
 * objects for secrets) into wire encoding; drops `undefined` (the engine treats it as absent) and
 * internal keys starting with `__` (the engine marshals analyzer inputs with SkipInternalKeys).
 */
export function toWire(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (isUnknown(value)) return UNKNOWN;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => toWire(v) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.startsWith('__')) continue;
    const w = toWire(v);
    if (w !== undefined) out[k] = w;
  }
  return out;
}

export function toWireObject(value: Record<string, unknown>): Record<string, unknown> {
  return (toWire(value) ?? {}) as Record<string, unknown>;
}

/** True when the value (or anything inside it) is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value as Record<string, unknown>).some(containsUnknown);
}

/** A protobuf Struct of wire-encoded properties, as the engine sends them to an analyzer. */
export function toStruct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(toWireObject(props) as Parameters<typeof Struct.fromJavaScript>[0]);
}
