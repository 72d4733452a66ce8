/**
 * Where the resources come from: the stack program synthesized under mocks (a first preview by
 * default, or with mock values for `--known`), or a `pulumi stack export` file.
 */
import * as path from 'node:path';
import { addDefaultProviders } from './default-providers';
import { useDeployedOutputs } from './deployed';
import { GateInputError, SynthesisError } from './errors';
import { applyProviderCheck } from './provider-check';
import { readStateFile } from './state';
import type { StackContext } from './stack-context';
import type { GateInput, GateResource } from './types';

export interface InputOptions {
  stack?: string;
  state?: string;
  known?: boolean;
  /** A `pulumi stack export` of the deployed stack: unchanged resources show its outputs. */
  deployed?: string;
}

const REPO_ROOT = path.resolve(__dirname, '..');

/** A default provider's config: the stack config in its namespace, without the namespace. */
function defaultProviderConfig(pkg: string, context?: StackContext): Record<string, unknown> {
  const prefix = `${pkg}:`;
  return Object.fromEntries(
    Object.entries(context?.config ?? {})
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/** The stack to synthesize (default `dev`), refused when it could not name a stack file. */
export function stackName(opts: InputOptions): string {
  const stack = opts.stack ?? 'dev';
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new GateInputError(`invalid stack name "${stack}"`);
  return stack;
}

/** `context` (for the program) gives the config the program runs with, the pack's own. */
export async function loadInput(opts: InputOptions, context?: StackContext): Promise<GateInput> {
  if (opts.state) return readStateFile(opts.state);
  const stack = stackName(opts);
  const preview = !opts.known;
  let result;
  try {
    // Loaded lazily: importing the synthesizer pulls in the whole program and @pulumi/aws.
    const { synthesize } = await import('./synth/synthesize');
    result = await synthesize({
      stack,
      preview,
      config: context?.config,
      secretKeys: context?.secretKeys,
      organization: context?.organization,
    });
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    if ((e as Error)?.name === 'StackConfigFileError') throw new GateInputError(message);
    throw new SynthesisError(message);
  }
  const registered: GateResource[] = result.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    inputs: r.rawInputs,
    parent: r.parent,
    provider: r.provider,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    options: { ...r.options },
  }));
  const withProviders = addDefaultProviders(
    registered,
    new Map(result.resources.map((r) => [r.urn, r.version])),
    {
      stack: result.stack,
      project: result.project,
      config: context?.config ?? {},
      preview,
    },
  );
  // The engine analyzes inputs after the provider's Check: add what the gate can know of it.
  const resources = applyProviderCheck(withProviders, defaultProviderConfig('aws', context), REPO_ROOT);
  if (resources.length === 0) throw new GateInputError(`stack ${stack} registered no resources`);
  const input: GateInput = {
    project: result.project,
    stack: result.stack,
    mode: preview ? 'preview' : 'known',
    source: `Pulumi.${stack}.yaml`,
    resources,
  };
  if (!opts.deployed) return input;
  const { input: withDeployed, match } = useDeployedOutputs(input, opts.deployed);
  return { ...withDeployed, deployed: match };
}
