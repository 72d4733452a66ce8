/**
 * `policy-events.jsonl`: one engine event per line, with the field names of Pulumi's engine event
 * stream (`pulumi preview --event-log`, apitype.EngineEvent): `policyEvent` per diagnostic (checks
 * that could not run are advisory, as the engine reports them), `policyAnalyzeSummaryEvent` per
 * resource, then a `summaryEvent` and the gate's own `gateSummaryEvent`.
 * https://www.pulumi.com/docs/iac/cli/commands/pulumi_preview/ (--event-log)
 */
import type { GateResult } from '../types';
import { summaryLine } from '../format';

export function renderEvents(r: GateResult): string {
  const events: Record<string, unknown>[] = [];
  const timestamp = Math.floor(Date.parse(r.startedAt) / 1000);
  const push = (e: Record<string, unknown>) => events.push({ sequence: events.length, timestamp, ...e });
  for (const v of r.violations) {
    push({
      policyEvent: {
        resourceUrn: v.urn,
        message: v.message,
        color: 'never',
        policyName: v.policyName,
        policyPackName: v.policyPackName,
        policyPackVersion: v.policyPackVersion,
        policyPackVersionTag: v.policyPackVersion,
        enforcementLevel: v.enforcementLevel,
        severity: v.severity,
      },
    });
  }
  for (const u of r.unevaluated) {
    push({
      policyEvent: {
        resourceUrn: u.urn,
        message: u.message,
        color: 'never',
        policyName: u.policyName,
        policyPackName: r.pack.name,
        policyPackVersion: r.pack.version,
        policyPackVersionTag: r.pack.version,
        enforcementLevel: 'advisory',
        severity: r.outcomes.find((o) => o.policy.name === u.policyName)?.policy.severity ?? 'unspecified',
      },
    });
  }
  const failedBy = new Map<string, Set<string>>();
  for (const v of r.violations)
    (failedBy.get(v.urn) ?? failedBy.set(v.urn, new Set()).get(v.urn)!).add(v.policyName);
  // Sets, not arrays: a 5,000-resource stack has 37 policies x 5,000 membership tests.
  const resourcePolicies = r.outcomes
    .filter((o) => o.policy.kind === 'resource')
    .map((o) => ({
      name: o.policy.name,
      examined: new Set(o.examined),
      unevaluated: new Set(o.unevaluated.map((u) => u.urn)),
    }));
  for (const res of r.input.resources) {
    const failed = failedBy.get(res.urn) ?? new Set<string>();
    const passed = resourcePolicies
      .filter((p) => p.examined.has(res.urn) && !failed.has(p.name) && !p.unevaluated.has(res.urn))
      .map((p) => p.name);
    push({
      policyAnalyzeSummaryEvent: {
        resourceUrn: res.urn,
        policyPackName: r.pack.name,
        policyPackVersion: r.pack.version,
        policyPackVersionTag: r.pack.version,
        passed,
        failed: [...failed],
      },
    });
  }
  push({
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: Math.round(r.timings.totalMs / 1000),
      resourceChanges: {},
      policyPacks: { [r.pack.name]: r.pack.version },
    },
  });
  push({
    gateSummaryEvent: {
      verdict: r.exitCode === 0 ? 'pass' : 'fail',
      exitCode: r.exitCode,
      project: r.input.project,
      stack: r.input.stack,
      mode: r.input.mode,
      ...r.counts,
      timingsMs: Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)])),
      summary: summaryLine(r),
    },
  });
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
