/**
 * Drives a configured analyzer (ConfigureStack at start-up, then Configure: see index.ts) the way
 * the engine does during a preview: Remediate and Analyze for every resource, then AnalyzeStack once with all of them. Collects,
 * for every policy, which resources it examined, its violations and the checks it could not run.
 */
import { runBounded } from '../lambda/shared/run-bounded';
import type { Analyzer, AnalyzeResult, Diagnostic } from './analyzer-client';
import { analyzeRequest, analyzeStackRequest } from './requests';
import { RETAIN_POLICY, retainViolations } from './retain';
import type { GateInput, PackInfo, PolicyOutcome, ReconciledConfig, Unevaluated, Violation } from './types';

/** The pack reports a check it could not run because of an unknown value with this message. */
const UNKNOWN_DIAGNOSTIC = /^can't run (policy|remediation) '.*' during preview: /;

export function isUnknownDiagnostic(message: string): boolean {
  return UNKNOWN_DIAGNOSTIC.test(message);
}

export interface Evaluation {
  outcomes: PolicyOutcome[];
  violations: Violation[];
  unevaluated: Unevaluated[];
}

export async function evaluate(
  analyzer: Analyzer,
  pack: PackInfo,
  config: ReconciledConfig,
  input: GateInput,
  concurrency = 32,
): Promise<Evaluation> {
  // The CLI configures only a pack that supports config (pkg/engine/update.go LoadLocalPolicyPackAnalyzers).
  if (pack.supportsConfig !== false) await analyzer.configure(config);
  const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
  const outcomes = new Map<string, PolicyOutcome>(
    pack.policies.map((p) => [
      p.name,
      {
        policy: p,
        enforcementLevel: config[p.name].enforcementLevel,
        result: 'pass',
        examined: [],
        violations: [],
        unevaluated: [],
      },
    ]),
  );
  const anyRemediation = Object.values(config).some((c) => c.enforcementLevel === 'remediate');
  const severities = new Map(pack.policies.map((p) => [p.name, p.severity]));
  const resourcePolicies = pack.policies.filter(
    (p) => p.kind === 'resource' && config[p.name].enforcementLevel !== 'disabled',
  );

  // Responses arrive in any order; they are recorded in resource order, so that reports list
  // examined resources and violations in the same order on every run.
  const results: AnalyzeResult[] = new Array(input.resources.length);
  await runBounded(
    input.resources.map((r, i) => async () => {
      let props = r.inputs;
      let remediationDiagnostics: Diagnostic[] = [];
      if (anyRemediation) {
        // The engine applies each remediation's new properties before analyzing the resource (a
        // state audit only reports them), and reports a remediation's diagnostic as an advisory
        // violation (pulumi/pulumi pkg/resource/deploy/step_generator.go, analyze_snapshot.go).
        const rem = await analyzer.remediate(analyzeRequest(r, byUrn));
        if (input.mode !== 'state') {
          for (const x of rem.remediations) if (x.properties) props = x.properties;
          r.inputs = props;
        }
        remediationDiagnostics = rem.remediations
          .filter((x) => x.diagnostic)
          .map((x) => ({
            policyName: x.policyName,
            policyPackName: x.policyPackName,
            policyPackVersion: x.policyPackVersion,
            description: x.description,
            message: x.diagnostic ?? '',
            enforcementLevel: 'advisory',
            urn: r.urn,
            severity: severities.get(x.policyName) ?? 'unspecified',
          }));
      }
      const analyzed = await analyzer.analyze(analyzeRequest(r, byUrn, props));
      results[i] = { ...analyzed, diagnostics: [...remediationDiagnostics, ...analyzed.diagnostics] };
    }),
    concurrency,
  );
  const applicable = resourcePolicies.map((p) => p.name);
  input.resources.forEach((r, i) => record(results[i], r.urn, applicable, outcomes, config));

  const stackPolicies = pack.policies.filter(
    (p) => p.kind === 'stack' && config[p.name].enforcementLevel !== 'disabled',
  );
  if (stackPolicies.length > 0) {
    const res = await analyzer.analyzeStack(analyzeStackRequest(input.resources, byUrn));
    const stackUrn = rootStackUrn(input);
    const na = new Set(res.notApplicable.map((n) => n.policyName));
    for (const p of stackPolicies) {
      if (!na.has(p.name)) outcomes.get(p.name)!.examined.push(...input.resources.map((r) => r.urn));
    }
    // A stack policy's violation names the resource it reported when that is in the stack, and the
    // root stack otherwise (resolveStackPolicyViolationURN in pulumi/pulumi
    // pkg/resource/deploy/analyze_snapshot.go, shared with the preview's step generator).
    const diagnostics = res.diagnostics.map((d) => ({ ...d, urn: byUrn.has(d.urn) ? d.urn : stackUrn }));
    record({ diagnostics, notApplicable: [] }, stackUrn, [], outcomes, config);
  }

  const gateOutcome: PolicyOutcome = {
    policy: RETAIN_POLICY,
    enforcementLevel: 'mandatory',
    result: 'pass',
    examined: input.resources.map((r) => r.urn),
    violations: retainViolations(input.resources),
    unevaluated: [],
  };
  const all = [...outcomes.values(), gateOutcome];
  for (const o of all) o.result = resultOf(o);
  return {
    outcomes: all,
    violations: all.flatMap((o) => o.violations),
    unevaluated: all.flatMap((o) => o.unevaluated),
  };
}

/** The root stack resource, or the URN the engine would give it (DefaultRootStackURN). */
function rootStackUrn(input: GateInput): string {
  const root = input.resources.find((r) => r.type === 'pulumi:pulumi:Stack' && !r.parent);
  return (
    root?.urn ??
    `urn:pulumi:${input.stack}::${input.project}::pulumi:pulumi:Stack::${input.project}-${input.stack}`
  );
}

function record(
  res: AnalyzeResult,
  urn: string,
  applicable: string[],
  outcomes: Map<string, PolicyOutcome>,
  config: ReconciledConfig,
): void {
  const na = new Set(res.notApplicable.map((n) => n.policyName));
  for (const name of applicable) if (!na.has(name)) outcomes.get(name)!.examined.push(urn);
  for (const d of res.diagnostics) {
    const outcome = outcomes.get(d.policyName);
    if (!outcome) continue; // a diagnostic naming a policy the pack did not declare: ignore like the CLI's summary
    if (isUnknownDiagnostic(d.message)) {
      outcome.unevaluated.push({
        policyName: d.policyName,
        urn: d.urn || urn,
        configuredLevel: config[d.policyName]?.enforcementLevel ?? d.enforcementLevel,
        message: d.message,
      });
    } else {
      outcome.violations.push(violation(d, urn));
    }
  }
}

function violation(d: Diagnostic, urn: string): Violation {
  return {
    policyName: d.policyName,
    policyPackName: d.policyPackName,
    policyPackVersion: d.policyPackVersion,
    urn: d.urn || urn,
    message: d.message,
    description: d.description,
    enforcementLevel: d.enforcementLevel,
    severity: d.severity,
    source: 'pack',
  };
}

function resultOf(o: PolicyOutcome): PolicyOutcome['result'] {
  if (o.enforcementLevel === 'disabled') return 'disabled';
  if (o.violations.length > 0) return 'fail';
  if (o.unevaluated.length > 0) return 'not-evaluated';
  if (o.examined.length === 0) return 'not-applicable';
  return 'pass';
}
