/**
 * Builds the Analyzer requests the engine sends for a resource (pulumi/proto/pulumi/analyzer.proto)
 * as the SDK's generated messages; the generated client serializes them.
 */
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { toStruct } from './encoding';
import type { StackContext } from './stack-context';
import type { GateResource } from './types';

/** A provider reference is `<provider urn>::<provider id>`; URNs contain `::` themselves. */
export function providerUrn(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const i = ref.lastIndexOf('::');
  return i > 0 ? ref.slice(0, i) : ref;
}

function resourceOptions(r: GateResource): pb.AnalyzerResourceOptions {
  const o = r.options;
  const options = new pb.AnalyzerResourceOptions();
  options.setProtect(o.protect ?? false);
  options.setIgnorechangesList(o.ignoreChanges ?? []);
  if (o.deleteBeforeReplace !== undefined) {
    options.setDeletebeforereplace(o.deleteBeforeReplace);
    options.setDeletebeforereplacedefined(true);
  }
  options.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
  options.setAliasesList(o.aliases ?? []);
  // Always set (all zero when none), as the engine sends it; seconds.
  const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(o.customTimeouts?.create ?? 0);
  timeouts.setUpdate(o.customTimeouts?.update ?? 0);
  timeouts.setDelete(o.customTimeouts?.delete ?? 0);
  options.setCustomtimeouts(timeouts);
  if (r.parent) options.setParent(r.parent);
  return options;
}

function providerResource(
  r: GateResource,
  byUrn: Map<string, GateResource>,
): pb.AnalyzerProviderResource | undefined {
  const p = byUrn.get(providerUrn(r.provider) ?? '');
  if (!p) return undefined;
  const provider = new pb.AnalyzerProviderResource();
  provider.setType(p.type);
  provider.setProperties(toStruct(p.inputs));
  provider.setUrn(p.urn);
  provider.setName(p.name);
  return provider;
}

export function analyzeRequest(
  r: GateResource,
  byUrn: Map<string, GateResource>,
  props: Record<string, unknown> = r.inputs,
): pb.AnalyzeRequest {
  const req = new pb.AnalyzeRequest();
  req.setType(r.type);
  req.setProperties(toStruct(props));
  req.setUrn(r.urn);
  req.setName(r.name);
  req.setOptions(resourceOptions(r));
  req.setProvider(providerResource(r, byUrn));
  return req;
}

export function analyzeStackRequest(
  resources: GateResource[],
  byUrn: Map<string, GateResource>,
): pb.AnalyzeStackRequest {
  const req = new pb.AnalyzeStackRequest();
  for (const r of resources) {
    const resource = new pb.AnalyzerResource();
    resource.setType(r.type);
    // AnalyzeStack checks the final state: outputs (step_generator.go AnalyzeResources and
    // analyze_snapshot.go in pulumi/pulumi); in a preview, a planned create's state is its inputs.
    resource.setProperties(toStruct(r.outputs ?? r.inputs));
    resource.setUrn(r.urn);
    resource.setName(r.name);
    resource.setOptions(resourceOptions(r));
    resource.setProvider(providerResource(r, byUrn));
    if (r.parent) resource.setParent(r.parent);
    resource.setDependenciesList(r.dependencies);
    const deps = resource.getPropertydependenciesMap();
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
      const d = new pb.AnalyzerPropertyDependencies();
      d.setUrnsList(urns);
      deps.set(k, d);
    }
    req.addResources(resource);
  }
  return req;
}

/** The stack the pack is told about (see stack-context.ts), as the CLI sends it at start-up. */
export function configureStackRequest(ctx: StackContext): pb.AnalyzerStackConfigureRequest {
  const req = new pb.AnalyzerStackConfigureRequest();
  req.setStack(ctx.stack);
  req.setProject(ctx.project);
  req.setOrganization(ctx.organization);
  req.setDryRun(ctx.dryRun);
  const config = req.getConfigMap();
  for (const [k, v] of Object.entries(ctx.config)) config.set(k, v);
  req.setConfigSecretKeysList(ctx.secretKeys);
  const tags = req.getTagsMap();
  for (const [k, v] of Object.entries(ctx.tags)) tags.set(k, v);
  return req;
}
