/**
 * Providers the engine adds to what a program registers, and analyzes like any resource
 * (pulumi/pulumi pkg/resource/deploy/default_providers.go newRegisterDefaultProviderEvent,
 * pkg/resource/deploy/providers/provider.go DefaultName, pkg/resource/deploy/source_eval.go):
 * - a resource registered without a provider gets its package's default provider: type
 *   `pulumi:providers:<package>`, named `default_<major>_<minor>_<patch>` after the version the SDK
 *   asks for, no parent, its inputs the stack config of the package's namespace plus `version`;
 *   the resource's provider reference is `<provider urn>::<id>`, the id unknown at a first preview;
 * - an explicit provider's inputs get the `version` its SDK asks for.
 */
import { UNKNOWN } from './encoding';
import type { GateResource } from './types';

export interface DefaultProviderContext {
  stack: string;
  project: string;
  /** Stack config, `namespace:key` -> value. */
  config: Record<string, string>;
  /** A first preview: the default providers do not exist yet, so their ids are unknown. */
  preview: boolean;
}

const PROVIDER_PREFIX = 'pulumi:providers:';

/** `default`, or `default_1_2_3` (plus any pre-release and build parts) for version 1.2.3. */
export function defaultProviderName(version: string | undefined): string {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(version ?? '');
  if (!m) return 'default';
  const extra = [m[4], m[5]].flatMap((part) => (part ? part.split('.') : []));
  return ['default', m[1], m[2], m[3], ...extra].join('_');
}

function packageConfig(pkg: string, config: Record<string, string>): Record<string, unknown> {
  const prefix = `${pkg}:`;
  return Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/**
 * The resources with the default providers the engine would register, each placed before its
 * first user. `versions` gives the SDK version each registration asked for, by URN.
 */
export function addDefaultProviders(
  resources: GateResource[],
  versions: Map<string, string | undefined>,
  ctx: DefaultProviderContext,
): GateResource[] {
  const providers = new Map<string, GateResource>();
  const out: GateResource[] = [];
  for (const r of resources) {
    const version = versions.get(r.urn);
    if (r.type.startsWith(PROVIDER_PREFIX)) {
      out.push(version && !('version' in r.inputs) ? { ...r, inputs: { ...r.inputs, version } } : r);
      continue;
    }
    const pkg = r.type.split(':')[0];
    if (!r.custom || r.provider || pkg === 'pulumi') {
      out.push(r);
      continue;
    }
    const name = defaultProviderName(version);
    const urn = `urn:pulumi:${ctx.stack}::${ctx.project}::${PROVIDER_PREFIX}${pkg}::${name}`;
    let provider = providers.get(urn);
    if (!provider) {
      provider = {
        urn,
        type: `${PROVIDER_PREFIX}${pkg}`,
        name,
        custom: true,
        inputs: { ...packageConfig(pkg, ctx.config), ...(version ? { version } : {}) },
        dependencies: [],
        options: {},
      };
      providers.set(urn, provider);
      out.push(provider);
    }
    out.push({ ...r, provider: `${urn}::${ctx.preview ? UNKNOWN : `${name}-id`}` });
  }
  return out;
}
