/**
 * What `--state` accepts, unwrapped to a deployment the way the Pulumi CLI reads one:
 * - `pulumi stack export` output, `{ version, features?, deployment }` (apitype.UntypedDeployment);
 * - a DIY backend checkpoint (`.pulumi/stacks/<project>/<stack>.json`),
 *   `{ version, features?, checkpoint: { stack, config, latest } }` (apitype.VersionedCheckpoint),
 *   or the unversioned first form `{ stack, latest }`.
 * Versions 1 to 4 are read; a version-4 file is refused only when it lists a feature the gate does
 * not know, naming it. Sources: pulumi/pulumi pkg/resource/stack/deployment.go
 * (UnmarshalUntypedDeployment, supportedFeatures), pkg/resource/stack/checkpoint.go
 * (UnmarshalVersionedCheckpointToLatestCheckpoint), sdk/go/common/apitype/core.go.
 */
import { GateInputError } from './errors';

export const OLDEST_VERSION = 1;
export const LATEST_VERSION = 4;

/**
 * The features a version-4 deployment may list that the gate reads correctly: the CLI's own list.
 * None changes what the analyzer is sent: they add resource fields the analyzer never receives
 * (refresh before update, views, hooks, taint, replaceWith, snippets, extensions), or, for
 * byteString, a string encoding that the engine forwards as is and that is kept as is here.
 */
export const KNOWN_FEATURES: readonly string[] = [
  'byteString',
  'extensionParameterization',
  'hooks',
  'refreshBeforeUpdate',
  'replaceWith',
  'snippets-prototype',
  'taint',
  'views',
];

export interface Deployment {
  /** The deployment schema version (1 to 4); resources are shaped as in ResourceV<n>. */
  version: number;
  resources: unknown;
  /** Where it came from, for messages. */
  kind: 'export' | 'checkpoint';
}

type Doc = Record<string, unknown>;

export function unwrapState(doc: unknown, file: string): Deployment {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new GateInputError(
      `state file ${file} has deployment version none; expected a JSON object from pulumi stack export`,
    );
  }
  const d = doc as Doc;
  if ('checkpoint' in d || ('latest' in d && !('deployment' in d))) return fromCheckpoint(d, file);
  checkVersion(d.version, d.features, file, 'deployment');
  const deployment = d.deployment as Doc | undefined;
  return { version: d.version as number, resources: deployment?.resources, kind: 'export' };
}

function fromCheckpoint(d: Doc, file: string): Deployment {
  // An unversioned checkpoint is the first form: the checkpoint itself, holding a v1 deployment.
  const versioned = 'checkpoint' in d;
  const checkpoint = (versioned ? d.checkpoint : d) as Doc | null;
  if (versioned) checkVersion(d.version, d.features, file, 'checkpoint');
  const version = versioned ? (d.version as number) : 1;
  const latest = typeof checkpoint === 'object' && checkpoint !== null ? checkpoint.latest : undefined;
  if (typeof latest !== 'object' || latest === null) {
    const stack = typeof checkpoint?.stack === 'string' ? ` of stack ${checkpoint.stack}` : '';
    throw new GateInputError(
      `state file ${file} is a Pulumi checkpoint${stack} with no deployment (the stack was never updated): nothing to audit`,
    );
  }
  return { version, resources: (latest as Doc).resources, kind: 'checkpoint' };
}

function checkVersion(version: unknown, features: unknown, file: string, what: string): void {
  const ok =
    typeof version === 'number' &&
    Number.isInteger(version) &&
    version >= OLDEST_VERSION &&
    version <= LATEST_VERSION;
  if (!ok) {
    const found = version === undefined ? 'none' : JSON.stringify(version);
    const age = typeof version === 'number' && version > LATEST_VERSION ? ', newer than the gate reads' : '';
    throw new GateInputError(
      `state file ${file} has ${what} version ${found}${age}; expected ${OLDEST_VERSION} to ${LATEST_VERSION} (the output of pulumi stack export)`,
    );
  }
  // Like the CLI, only version 4 declares features; older versions cannot use any.
  if (version < 4) return;
  const listed = Array.isArray(features) ? features : [];
  const unknown = listed.filter((f) => typeof f !== 'string' || !KNOWN_FEATURES.includes(f));
  if (unknown.length > 0) {
    throw new GateInputError(
      `state file ${file} needs support for the following features: ${unknown.map(String).join(', ')} (the gate reads ${KNOWN_FEATURES.join(', ')})`,
    );
  }
}
