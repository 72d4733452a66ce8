import * as pulumi from '@pulumi/pulumi';
import { isUnknown } from '@pulumi/pulumi/output';
import { specialSecretSig, specialSigKey } from '@pulumi/pulumi/runtime/rpc';
import { mockCall, mockState } from './mock-values';
import {
  mockMonitor,
  runInRootStack,
  useEngineUrns,
  waitForRegistrations,
  type RegisterRequest,
} from './pulumi-runtime';
import { previewState } from './preview-values';
import { aliasUrns, customTimeouts, type CustomTimeouts } from './register-options';
import { PROJECT_NAME, readStackConfig } from './stack-config';

export interface SynthResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** Inputs as JavaScript values (secrets unwrapped). */
  inputs: Record<string, unknown>;
  /** Inputs exactly as the engine receives them (protobuf Struct as JSON, with Pulumi's sentinels). */
  rawInputs: Record<string, unknown>;
  parent?: string;
  /** Provider reference `urn::id`, as the engine records it. */
  provider?: string;
  dependencies: string[];
  /** Input property name -> URNs it depends on, as the engine records them. */
  propertyDependencies?: Record<string, string[]>;
  /** The SDK version the registration names (the package's, for a default provider). */
  version?: string;
  options: {
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace?: boolean;
    ignoreChanges?: string[];
    additionalSecretOutputs?: string[];
    /** Alias URNs, as the engine resolves them. */
    aliases?: string[];
    customTimeouts?: CustomTimeouts;
  };
}

export interface SynthResult {
  project: string;
  stack: string;
  resources: SynthResource[];
  outputs: Record<string, unknown>;
  /** The root stack's outputs as the engine receives them (secrets keep their envelope). */
  rawOutputs: Record<string, unknown>;
}

export interface SynthOptions {
  /** Stack whose `Pulumi.<stack>.yaml` provides the config. @default "dev" */
  stack?: string;
  /** Config to use instead of the stack file (`namespace:key -> string`). */
  config?: Record<string, string>;
  /** Keys of `config` whose values are secrets. */
  secretKeys?: string[];
  /** What `pulumi.getOrganization()` returns in the program. @default "organization" */
  organization?: string;
  /**
   * Reproduce a first `pulumi preview`: the program runs as a dry run, every resource is about
   * to be created, and outputs it cannot know yet (ids, ARNs, URLs) stay unknown (the engine's
   * unknown sentinel in `rawInputs`; outputs resolve to `undefined`). @default false (mock values)
   */
  preview?: boolean;
  /**
   * A program to run instead of stack/program.ts (tests of what the synthesizer records); it
   * returns its stack outputs. @default the stack's program with its stack config
   */
  program?: () => Record<string, unknown>;
}

/**
 * Runs the Pulumi program (stack/program.ts) under Pulumi mocks and records every registration
 * the engine would receive: type, name, URN, inputs, parent, provider, dependencies and options.
 * Pulumi's runtime is process-global: call this at most once per process (or jest test file).
 */
export async function synthesize(options: SynthOptions = {}): Promise<SynthResult> {
  const stack = options.stack ?? 'dev';
  const config = options.config ?? readStackConfig(stack);
  pulumi.runtime.setAllConfig(config, options.secretKeys);
  const preview = options.preview ?? false;
  const newResource = preview ? previewState : mockState;
  await pulumi.runtime.setMocks(
    { newResource, call: mockCall },
    PROJECT_NAME,
    stack,
    preview,
    options.organization ?? 'organization',
  );

  useEngineUrns(stack, PROJECT_NAME);

  const resources: SynthResource[] = [];
  const monitor = mockMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, resp) => {
      if (!err && resp) resources.push(toSynthResource(req, resp.getUrn(), stack));
      cb(err, resp);
    });
  const rawOutputsByUrn = new Map<string, Record<string, unknown>>();
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    rawOutputsByUrn.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
    registerOutputs(req, cb);
  };

  // Imported here, after the mocks are installed, so the program's module-level code sees them.
  const { loadStackConfig } = await import('../../stack/config');
  const { createStack } = await import('../../stack/program');
  // As the CLI does: the program runs inside the root `pulumi:pulumi:Stack` resource.
  // Config errors surface here, before the root stack exists, as they would in `pulumi preview`.
  let program = options.program;
  if (!program) {
    const stackConfig = loadStackConfig();
    program = () => createStack(stackConfig) as unknown as Record<string, unknown>;
  }
  let outputs: Record<string, unknown> = {};
  await runInRootStack(async () => {
    const stackOutputs = program();
    outputs = await resolveOutputs(stackOutputs, preview);
    return stackOutputs;
  });
  await waitForRegistrations();
  const root = resources.find((r) => r.type === 'pulumi:pulumi:Stack');
  const rawOutputs = (root && rawOutputsByUrn.get(root.urn)) ?? {};
  return { project: PROJECT_NAME, stack, resources, outputs, rawOutputs };
}

function toSynthResource(req: RegisterRequest, urn: string, stack: string): SynthResource {
  const rawInputs = req.getObject()?.toJavaScript() ?? {};
  const parent = req.getParent() || undefined;
  const aliases = aliasUrns(
    req.getAliasesList(),
    { name: req.getName(), type: req.getType(), parent },
    stack,
    PROJECT_NAME,
  );
  const secretOutputs = req.getAdditionalsecretoutputsList();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    inputs: unwrapSecrets(rawInputs) as Record<string, unknown>,
    rawInputs,
    parent,
    provider: req.getProvider() || undefined,
    version: req.getVersion() || undefined,
    dependencies: req.getDependenciesList(),
    propertyDependencies: propertyDependencies(req),
    options: {
      protect: req.getProtect() || undefined,
      retainOnDelete: req.getRetainondelete() || undefined,
      deleteBeforeReplace: req.getDeletebeforereplace() || undefined,
      ignoreChanges: req.getIgnorechangesList().length ? req.getIgnorechangesList() : undefined,
      additionalSecretOutputs: secretOutputs.length ? secretOutputs : undefined,
      aliases: aliases.length ? aliases : undefined,
      customTimeouts: customTimeouts(req.getCustomtimeouts()),
    },
  };
}

/** Replaces the engine's secret envelopes `{ sig, value }` by their values. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (obj[specialSigKey] === specialSecretSig) return unwrapSecrets(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

function propertyDependencies(req: RegisterRequest): Record<string, string[]> | undefined {
  const deps: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((d, key) => (deps[key] = d.getUrnsList()));
  return Object.keys(deps).length ? deps : undefined;
}

/** In a preview, `apply` never runs on an unknown value, so read each output with its unknowns. */
interface OutputWithUnknowns {
  promise(withUnknowns: boolean): Promise<unknown>;
}

async function resolveOutputs(
  outputs: Record<string, unknown>,
  preview = false,
): Promise<Record<string, unknown>> {
  if (preview) {
    const entries = await Promise.all(
      Object.entries(outputs).map(async ([key, value]) => {
        const v = await (pulumi.output(value) as unknown as OutputWithUnknowns).promise(true);
        return [key, isUnknown(v) ? undefined : v] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
  const entries = await Promise.all(
    Object.entries(outputs).map(
      async ([key, value]) =>
        [
          key,
          await new Promise<unknown>((resolve) =>
            (pulumi.output(value) as pulumi.Output<unknown>).apply((v) => resolve(v)),
          ),
        ] as const,
    ),
  );
  return Object.fromEntries(entries);
}
