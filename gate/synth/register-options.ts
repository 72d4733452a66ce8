/**
 * Resource options a registration carries that the engine passes on to analyzers in the form it
 * stores them: aliases as URNs and custom timeouts in seconds
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go generateAliases, and
 * sdk/go/common/resource/plugin/analyzer_plugin.go for the analyzer's options).
 */
import { engineUrn } from './pulumi-runtime';

/** The subset of the SDK's Alias message (@pulumi/pulumi/proto/alias_pb) read here. */
export interface AliasMessage {
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

export interface TimeoutsMessage {
  getCreate(): string;
  getUpdate(): string;
  getDelete(): string;
}

export interface CustomTimeouts {
  create?: number;
  update?: number;
  delete?: number;
}

interface Registered {
  name: string;
  type: string;
  parent?: string;
}

/**
 * An alias's URN: given, or built from its spec with the resource's own name, type and parent
 * where the spec leaves them out (a root stack parent, or `noParent`, gives no parent). Aliases a
 * child inherits from its parent's are not derived: the engine adds them during the deployment.
 */
export function aliasUrns(aliases: AliasMessage[], r: Registered, stack: string, project: string): string[] {
  return aliases.map((a) => {
    const spec = a.getSpec();
    if (a.getUrn() || !spec) return a.getUrn();
    const parent = spec.getNoparent() ? '' : spec.getParenturn() || r.parent || '';
    return engineUrn(
      spec.getStack() || stack,
      spec.getProject() || project,
      parent,
      spec.getType() || r.type,
      spec.getName() || r.name,
    );
  });
}

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** A Go duration (`"5m"`, `"1h30m"`, `"90s"`) in seconds, as the engine parses it; 0 when empty. */
export function durationSeconds(text: string): number {
  if (!text) return 0;
  let total = 0;
  let matched = '';
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
    matched += m[0];
  }
  if (matched !== text) throw new Error(`invalid custom timeout "${text}" (expected a duration such as 5m)`);
  return total;
}

export function customTimeouts(t: TimeoutsMessage | undefined): CustomTimeouts | undefined {
  if (!t) return undefined;
  const out: CustomTimeouts = {};
  const create = durationSeconds(t.getCreate());
  const update = durationSeconds(t.getUpdate());
  const del = durationSeconds(t.getDelete());
  if (create) out.create = create;
  if (update) out.update = update;
  if (del) out.delete = del;
  return Object.keys(out).length ? out : undefined;
}
