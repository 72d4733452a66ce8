/** Builds the Analyzer requests the engine sends for a resource (see pulumi/proto/pulumi/analyzer.proto). */
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import type { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { toStruct } from './encoding';
import type { GateInput, GateResource } from './types';

// Encoding is the costly part for large inputs (a Lambda bundle is megabytes of text); the same
// property object is sent by Analyze, AnalyzeStack and as a provider, so encode it once. Property
// objects are never mutated in place (remediation and tests replace them), so caching is safe.
const structs = new WeakMap<object, Struct>();
function struct(props: Record<string, unknown>): Struct {
  let s = structs.get(props);
  if (!s) structs.set(props, (s = toStruct(props)));
  return s;
}

/** A provider reference is `<provider urn>::<provider id>`; URNs contain `::` themselves. */
export function providerUrn(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const i = ref.lastIndexOf('::');
  return i > 0 ? ref.slice(0, i) : ref;
}

function options(r: GateResource): pb.AnalyzerResourceOptions {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(r.options.protect ?? false);
  o.setIgnorechangesList(r.options.ignoreChanges ?? []);
  if (r.options.deleteBeforeReplace !== undefined) {
    o.setDeletebeforereplacedefined(true);
    o.setDeletebeforereplace(r.options.deleteBeforeReplace);
  }
  o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs ?? []);
  o.setAliasesList(r.options.aliases ?? []);
  o.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) o.setParent(r.parent);
  return o;
}

function provider(
  r: GateResource,
  byUrn: Map<string, GateResource>,
): pb.AnalyzerProviderResource | undefined {
  const p = byUrn.get(providerUrn(r.provider) ?? '');
  if (!p) return undefined;
  const pr = new pb.AnalyzerProviderResource();
  pr.setType(p.type);
  pr.setProperties(struct(p.inputs));
  pr.setUrn(p.urn);
  pr.setName(p.name);
  return pr;
}

export function analyzeRequest(
  r: GateResource,
  byUrn: Map<string, GateResource>,
  props: Record<string, unknown> = r.inputs,
): pb.AnalyzeRequest {
  const req = new pb.AnalyzeRequest();
  req.setType(r.type);
  req.setProperties(struct(props));
  req.setUrn(r.urn);
  req.setName(r.name);
  req.setOptions(options(r));
  const p = provider(r, byUrn);
  if (p) req.setProvider(p);
  return req;
}

export function analyzeStackRequest(
  resources: GateResource[],
  byUrn: Map<string, GateResource>,
): pb.AnalyzeStackRequest {
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const ar = new pb.AnalyzerResource();
      ar.setType(r.type);
      ar.setProperties(struct(r.inputs));
      ar.setUrn(r.urn);
      ar.setName(r.name);
      ar.setOptions(options(r));
      const p = provider(r, byUrn);
      if (p) ar.setProvider(p);
      if (r.parent) ar.setParent(r.parent);
      ar.setDependenciesList(r.dependencies);
      const deps = ar.getPropertydependenciesMap();
      for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        deps.set(k, d);
      }
      return ar;
    }),
  );
  return req;
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
