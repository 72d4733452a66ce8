/**
 * The gate's data model. Resources carry their properties in the engine's wire encoding (unknowns
 * as the unknown sentinel string, secrets as signature objects), exactly what a `pulumi preview`
 * would send to an analyzer, so the same values can be written back to `stack-state.json`.
 */
import type { StackContext } from './stack-context';

export type EnforcementLevel = 'advisory' | 'mandatory' | 'remediate' | 'disabled';
export type Severity = 'low' | 'medium' | 'high' | 'critical' | 'unspecified';

export interface GateResourceOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  aliases?: string[];
  additionalSecretOutputs?: string[];
  /** Seconds, as the engine stores and sends them. */
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

export interface GateResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** Inputs in wire encoding (see encoding.ts). */
  inputs: Record<string, unknown>;
  /**
   * Outputs in wire encoding, when known (a deployed state): AnalyzeStack is shown them. A resource
   * about to be created in a preview has none; its inputs stand for its state, as in the engine.
   */
  outputs?: Record<string, unknown>;
  parent?: string;
  /** Provider reference `urn::id`. */
  provider?: string;
  dependencies: string[];
  propertyDependencies?: Record<string, string[]>;
  options: GateResourceOptions;
}

/** What is being evaluated, with where it came from. */
export interface GateInput {
  project: string;
  stack: string;
  /** `preview` (first preview: unknowns kept), `known` (mock values) or `state` (an export file). */
  mode: 'preview' | 'known' | 'state';
  source: string;
  resources: GateResource[];
  /**
   * With `--deployed FILE` (a preview of an existing stack): the export and the resources taken as
   * unchanged, whose deployed outputs AnalyzeStack is shown (see deployed.ts).
   */
  deployed?: { source: string; unchanged: string[] };
}

export interface PolicyFramework {
  name?: string;
  version?: string;
  reference?: string;
  specification?: string;
}

export interface PolicyMeta {
  name: string;
  displayName?: string;
  description: string;
  kind: 'resource' | 'stack';
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  framework?: PolicyFramework;
  tags: string[];
  remediationSteps?: string;
  url?: string;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface PackInfo {
  name: string;
  version: string;
  displayName?: string;
  description?: string;
  policies: PolicyMeta[];
  /** Config the pack supplies programmatically (`PolicyPackArgs.initialConfig`). */
  initialConfig: Record<string, EffectivePolicyConfig>;
  /** False for a pack whose SDK predates policy config: the CLI then never calls Configure. */
  supportsConfig?: boolean;
}

export interface EffectivePolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/** Result of reconciling defaults, the pack's initial config and the user's config file. */
export type ReconciledConfig = Record<
  string,
  { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }
>;

export interface Violation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  /** The resource the violation is about (for stack policies, the one the policy named, or the stack). */
  urn: string;
  message: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  /** `pack` for the pack's own diagnostics, `gate` for what the gate enforces itself. */
  source: 'pack' | 'gate';
}

/** A check the engine could not run because a value was unknown (downgraded to advisory). */
export interface Unevaluated {
  policyName: string;
  urn: string;
  /** The policy's configured level: what it would have been had the value been known. */
  configuredLevel: EnforcementLevel;
  message: string;
}

export type PolicyResult = 'pass' | 'fail' | 'not-applicable' | 'not-evaluated' | 'disabled';

export interface PolicyOutcome {
  policy: PolicyMeta;
  enforcementLevel: EnforcementLevel;
  result: PolicyResult;
  /** URNs the policy examined (it was applicable and ran). */
  examined: string[];
  violations: Violation[];
  unevaluated: Unevaluated[];
}

export interface GateTimings {
  inputMs: number;
  packStartMs: number;
  analyzeMs: number;
  reportsMs: number;
  totalMs: number;
}

export interface GateResult {
  exitCode: 0 | 1;
  input: GateInput;
  /** The stack the pack was told about (ConfigureStack and its environment). */
  context: StackContext;
  pack: PackInfo & { directory: string; contentHash: string };
  config: ReconciledConfig;
  outcomes: PolicyOutcome[];
  violations: Violation[];
  unevaluated: Unevaluated[];
  counts: { resources: number; policies: number; mandatory: number; advisory: number; unevaluated: number };
  startedAt: string;
  gitCommit?: string;
  timings: GateTimings;
  reportFiles: string[];
}
