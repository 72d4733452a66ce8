/**
 * A preview of an existing stack (`--deployed FILE`, a `pulumi stack export` of it): the engine
 * plans a "same" step for a resource whose goal matches what is deployed, and the state it then
 * holds for that resource, the one AnalyzeStack is shown, is the deployed one, outputs included
 * (pulumi/pulumi pkg/resource/deploy/step.go, SameStep.Apply: "Retain the ID and outputs").
 * The engine decides "same" by asking the provider's Diff, which the gate cannot; it takes a custom
 * resource as unchanged when its URN is deployed and its inputs after Check equal the deployed
 * inputs, secrets compared by value. Anything else (a new resource, changed inputs, inputs the gate
 * only knows as unknown, a secret the export holds encrypted) keeps its inputs as its state, as a
 * planned create or update does. Component resources keep theirs too: their outputs are whatever
 * the program registers, not a provider's.
 */
import { isDeepStrictEqual } from 'node:util';
import { containsUnknown, isSecretValue } from './encoding';
import { GateInputError } from './errors';
import { readStateFile } from './state';
import type { GateInput, GateResource } from './types';

export interface DeployedMatch {
  /** The export file. */
  source: string;
  /** URNs whose deployed outputs AnalyzeStack is shown. */
  unchanged: string[];
}

/** Secret envelopes replaced by their values, so a secret compares by what it holds. */
function revealed(value: unknown): unknown {
  if (isSecretValue(value)) return revealed(value.value);
  if (Array.isArray(value)) return value.map(revealed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealed(v)]));
  }
  return value;
}

function unchanged(planned: GateResource, deployed: GateResource | undefined): deployed is GateResource {
  return (
    planned.custom &&
    deployed !== undefined &&
    deployed.type === planned.type &&
    deployed.outputs !== undefined &&
    !containsUnknown(planned.inputs) &&
    isDeepStrictEqual(revealed(planned.inputs), revealed(deployed.inputs))
  );
}

/**
 * Gives each unchanged resource of `input` (a program preview) the outputs it has in `file`.
 * Refuses an export of another stack: its URNs could never match, and an audit that silently
 * matched nothing would claim a fidelity it does not have.
 */
export function useDeployedOutputs(
  input: GateInput,
  file: string,
): { input: GateInput; match: DeployedMatch } {
  const deployed = readStateFile(file);
  if (deployed.stack !== input.stack || deployed.project !== input.project) {
    throw new GateInputError(
      `deployed state ${file} is of stack ${deployed.project}/${deployed.stack}, the program's is ${input.project}/${input.stack}`,
    );
  }
  const byUrn = new Map(deployed.resources.map((r) => [r.urn, r]));
  const match: DeployedMatch = { source: file, unchanged: [] };
  const resources = input.resources.map((r) => {
    const old = byUrn.get(r.urn);
    if (!unchanged(r, old)) return r;
    match.unchanged.push(r.urn);
    return { ...r, outputs: old.outputs };
  });
  return { input: { ...input, resources }, match };
}
