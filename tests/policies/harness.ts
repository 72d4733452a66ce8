/**
 * In-process stand-in for @pulumi/policy's server (server.js makeAnalyzeRpcFun /
 * makeAnalyzeStackRpcFun): builds the same argument bags (props behind the real unknown-checking
 * proxy, opts, provider, getConfig, isType/asType, notApplicable) and turns errors into results the
 * same way: UnknownValueError -> advisory "can't run ... during preview", notApplicable -> reason.
 */
import type {
  PolicyResource,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { PackPolicy } from '../../policies/lib/define';
import { unknownCheckingProxy, UnknownValueError } from '../../policies/lib/unknown';

export interface FixtureProvider {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

export interface FixtureResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  protect?: boolean;
  provider?: FixtureProvider;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface Finding {
  policy: string;
  /** Only the policy's own message (the engine prefixes the description). */
  detail: string;
  /** The message exactly as the engine would show it. */
  message: string;
  urn?: string;
  enforcementLevel: string;
  /** True when the policy could not run because it read a value unknown at preview. */
  notEvaluated: boolean;
}

export interface RunResult {
  findings: Finding[];
  notApplicable: { policy: string; urn?: string; reason?: string }[];
}

/**
 * A JSON deep copy made in this realm. Not structuredClone: under jest its objects come from
 * another realm, fail `instanceof Object`, and @pulumi/policy's proxy then leaves them unwrapped.
 */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

class HarnessNotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? 'Policy does not apply');
  }
}

const notApplicable = (reason?: string): never => {
  throw new HarnessNotApplicableError(reason);
};

const isTypeOf = (type: string, cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === type;

function options(r: FixtureResource) {
  return {
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

function providerArg(r: FixtureResource) {
  if (!r.provider) return undefined;
  return { ...r.provider, props: unknownCheckingProxy(clone(r.provider.props)) };
}

/** Enforcement level as the server computes it: config, then policy, then pack default. */
function levelOf(policy: PackPolicy, config: Record<string, unknown>): string {
  return (config.enforcementLevel as string | undefined) ?? policy.policy.enforcementLevel ?? 'mandatory';
}

export async function runPolicy(
  packPolicy: PackPolicy,
  resources: FixtureResource[],
  config: Record<string, unknown> = {},
): Promise<RunResult> {
  const result: RunResult = { findings: [], notApplicable: [] };
  const level = levelOf(packPolicy, config);
  if (level === 'disabled') return result;
  const { enforcementLevel: _ignored, ...properties } = config;
  const p = packPolicy.policy;
  const getConfig = <T extends object>() => clone(properties) as T;
  const report = (urn?: string) => (detail: string, reportedUrn?: string) =>
    result.findings.push({
      policy: p.name,
      detail,
      message: `${p.description}\n${detail}`,
      urn: reportedUrn ?? urn,
      enforcementLevel: level,
      notEvaluated: false,
    });
  const onError = (e: unknown, urn?: string) => {
    if (e instanceof UnknownValueError) {
      const message = `can't run policy '${p.name}' during preview: ${(e as Error).message}`;
      result.findings.push({
        policy: p.name,
        detail: message,
        message,
        urn,
        enforcementLevel: 'advisory',
        notEvaluated: true,
      });
    } else if (e instanceof HarnessNotApplicableError) {
      result.notApplicable.push({ policy: p.name, urn, reason: e.reason });
    } else {
      throw e;
    }
  };

  if ('validateStack' in p) {
    const stackPolicy = p as StackValidationPolicy;
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map((r) => {
      const props = unknownCheckingProxy(clone(r.props));
      const resource = {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: options(r),
        provider: providerArg(r),
        dependencies: [] as PolicyResource[],
        propertyDependencies: {} as Record<string, PolicyResource[]>,
        isType: (cls: unknown) => isTypeOf(r.type, cls),
        asType: (cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined),
      } as unknown as PolicyResource;
      byUrn.set(r.urn, resource);
      return resource;
    });
    resources.forEach((r, i) => {
      if (r.parent && byUrn.has(r.parent)) built[i].parent = byUrn.get(r.parent);
      built[i].dependencies.push(...(r.dependencies ?? []).flatMap((u) => byUrn.get(u) ?? []));
      for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
        built[i].propertyDependencies[key] = urns.flatMap((u) => byUrn.get(u) ?? []);
      }
    });
    const args: StackValidationArgs = { resources: built, getConfig, stackTags: new Map(), notApplicable };
    try {
      await stackPolicy.validateStack(args, report());
    } catch (e) {
      onError(e);
    }
    return result;
  }

  const validations = [(p as ResourceValidationPolicy).validateResource].flat() as ResourceValidation[];
  for (const r of resources) {
    for (const validate of validations) {
      const fastType = (validate as { __pulumiType?: string }).__pulumiType;
      if (fastType && fastType !== r.type) {
        result.notApplicable.push({ policy: p.name, urn: r.urn, reason: `only ${fastType}` });
        continue;
      }
      const props = unknownCheckingProxy(clone(r.props));
      const args = {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: options(r),
        stackTags: new Map(),
        isType: (cls: unknown) => isTypeOf(r.type, cls),
        asType: (cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined),
        getConfig,
        notApplicable,
        ...(r.provider ? { provider: providerArg(r) } : {}),
      } as unknown as ResourceValidationArgs;
      try {
        await validate(args, report(r.urn));
      } catch (e) {
        onError(e, r.urn);
      }
    }
  }
  return result;
}

/** Runs every policy of `catalog`; `configs` maps policy id -> its config. */
export async function runAll(
  catalog: readonly PackPolicy[],
  resources: FixtureResource[],
  configs: Record<string, Record<string, unknown>> = {},
): Promise<RunResult> {
  const all: RunResult = { findings: [], notApplicable: [] };
  for (const policy of catalog) {
    const r = await runPolicy(policy, resources, configs[policy.metadata.id] ?? {});
    all.findings.push(...r.findings);
    all.notApplicable.push(...r.notApplicable);
  }
  return all;
}
