/**
 * Builds the Analyzer requests the engine sends for a resource (see pulumi/proto/pulumi/analyzer.proto),
 * already encoded: the bytes are those the SDK's generated stubs would write (see protobuf.ts).
 */
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { encodeStruct, ProtoWriter } from './protobuf';
import type { GateInput, GateResource } from './types';

/** An encoded request message, ready for the wire. */
export type Encoded<T> = Buffer & { readonly __message?: T };

// Encoding is the costly part for large inputs (a Lambda bundle is megabytes of text); the same
// property object is sent by Analyze, AnalyzeStack and as a provider, so encode it once. Property
// objects are never mutated in place (remediation and tests replace them), so caching is safe.
const structs = new WeakMap<object, Buffer>();
function struct(props: Record<string, unknown>): Buffer {
  let s = structs.get(props);
  if (!s) structs.set(props, (s = encodeStruct(props)));
  return s;
}

/** A provider reference is `<provider urn>::<provider id>`; URNs contain `::` themselves. */
export function providerUrn(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const i = ref.lastIndexOf('::');
  return i > 0 ? ref.slice(0, i) : ref;
}

function strings(w: ProtoWriter, field: number, list: string[] | undefined): void {
  for (const s of list ?? []) w.string(field, s);
}

/** Fields 1-6, shared by AnalyzeRequest and AnalyzerResource: type, properties, urn, name, options, provider. */
function writeResource(
  w: ProtoWriter,
  r: GateResource,
  props: Record<string, unknown>,
  byUrn: Map<string, GateResource>,
): void {
  if (r.type.length > 0) w.string(1, r.type);
  w.bytes(2, struct(props));
  if (r.urn.length > 0) w.string(3, r.urn);
  if (r.name.length > 0) w.string(4, r.name);

  // AnalyzerResourceOptions
  const o = r.options;
  const options = w.begin(5);
  if (o.protect) w.bool(1, true);
  strings(w, 2, o.ignoreChanges);
  if (o.deleteBeforeReplace !== undefined) {
    if (o.deleteBeforeReplace) w.bool(3, true);
    w.bool(4, true); // deleteBeforeReplaceDefined
  }
  strings(w, 5, o.additionalSecretOutputs);
  strings(w, 6, o.aliases);
  w.bytes(7, EMPTY); // customTimeouts: set, all zero
  if (r.parent) w.string(8, r.parent);
  w.end(options);

  // AnalyzerProviderResource
  const p = byUrn.get(providerUrn(r.provider) ?? '');
  if (p) {
    const provider = w.begin(6);
    if (p.type.length > 0) w.string(1, p.type);
    w.bytes(2, struct(p.inputs));
    if (p.urn.length > 0) w.string(3, p.urn);
    if (p.name.length > 0) w.string(4, p.name);
    w.end(provider);
  }
}

const EMPTY = Buffer.alloc(0);

export function analyzeRequest(
  r: GateResource,
  byUrn: Map<string, GateResource>,
  props: Record<string, unknown> = r.inputs,
): Encoded<pb.AnalyzeRequest> {
  const w = new ProtoWriter();
  writeResource(w, r, props, byUrn);
  return w.finish();
}

export function analyzeStackRequest(
  resources: GateResource[],
  byUrn: Map<string, GateResource>,
): Encoded<pb.AnalyzeStackRequest> {
  const w = new ProtoWriter(1 << 20);
  for (const r of resources) {
    const resource = w.begin(1);
    writeResource(w, r, r.inputs, byUrn);
    if (r.parent) w.string(7, r.parent);
    strings(w, 8, r.dependencies);
    const deps = Object.entries(r.propertyDependencies ?? {});
    // Map entries in key order, as the stubs write them.
    for (const [k, urns] of deps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const entry = w.begin(9);
      w.string(1, k);
      const value = w.begin(2);
      strings(w, 1, urns);
      w.end(value);
      w.end(entry);
    }
    w.end(resource);
  }
  return w.finish();
}

export function configureStackRequest(input: GateInput): pb.AnalyzerStackConfigureRequest {
  const req = new pb.AnalyzerStackConfigureRequest();
  req.setStack(input.stack);
  req.setProject(input.project);
  req.setOrganization('organization');
  // A preview is a dry run; auditing a deployed state is not.
  req.setDryRun(input.mode !== 'state');
  return req;
}
