/**
 * `policy-report.sarif`: SARIF 2.1.0 (OASIS). One rule per policy (help = remediation steps,
 * `defaultConfiguration.level` from the enforcement level, `security-severity` from the severity
 * as GitHub code scanning reads it); one result per violation with the resource URN as its
 * logical location; checks that could not run are results of kind `open` (level `none`, as
 * §3.27.9 requires for a kind other than `fail`).
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import { resourceLabel } from '../format';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { EnforcementLevel, GateResult, Severity } from '../types';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  unspecified: '0.0',
};

function level(l: EnforcementLevel): Result.level {
  if (l === 'mandatory' || l === 'remediate') return 'error';
  if (l === 'advisory') return 'warning';
  return 'none';
}

export function renderSarif(r: GateResult): Log {
  const rules: ReportingDescriptor[] = r.outcomes.map((o) => ({
    id: o.policy.name,
    name: o.policy.displayName ?? o.policy.name,
    shortDescription: { text: o.policy.displayName ?? o.policy.name },
    fullDescription: { text: o.policy.description },
    help: {
      text: o.policy.remediationSteps ?? o.policy.description,
      markdown: o.policy.remediationSteps ?? o.policy.description,
    },
    ...(o.policy.url ? { helpUri: o.policy.url } : {}),
    defaultConfiguration: { level: level(o.enforcementLevel), enabled: o.enforcementLevel !== 'disabled' },
    properties: {
      tags: ['pulumi-policy', ...o.policy.tags],
      severity: o.policy.severity,
      'security-severity': SECURITY_SEVERITY[o.policy.severity],
      enforcementLevel: o.enforcementLevel,
      result: o.result,
      ...(o.policy.framework ? { framework: o.policy.framework } : {}),
    },
  }));
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const location = (urn: string) => [
    { logicalLocations: [{ fullyQualifiedName: urn, name: resourceLabel(urn), kind: 'resource' }] },
  ];
  const results: Result[] = [
    ...r.violations.map((v): Result => ({
      ruleId: v.policyName,
      ruleIndex: index.get(v.policyName) ?? -1,
      kind: 'fail',
      level: level(v.enforcementLevel),
      message: { text: v.message },
      locations: location(v.urn),
      properties: {
        enforcementLevel: v.enforcementLevel,
        severity: v.severity,
        policyPackName: v.policyPackName,
        policyPackVersion: v.policyPackVersion,
      },
    })),
    ...r.unevaluated.map((u): Result => ({
      ruleId: u.policyName,
      ruleIndex: index.get(u.policyName) ?? -1,
      kind: 'open',
      level: 'none',
      message: { text: u.message },
      locations: location(u.urn),
      properties: { configuredLevel: u.configuredLevel, notEvaluated: true },
    })),
  ];
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: r.pack.name,
            version: r.pack.version,
            semanticVersion: r.pack.version,
            fullName: `${r.pack.name}@${r.pack.version} (Pulumi CrossGuard, run by the offline gate)`,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            exitCode: r.exitCode,
            startTimeUtc: r.startedAt,
            endTimeUtc: new Date(Date.parse(r.startedAt) + r.timings.totalMs).toISOString(),
          },
        ],
        results,
        properties: {
          project: r.input.project,
          stack: r.input.stack,
          mode: r.input.mode,
          packContentHash: r.pack.contentHash,
          ...(r.gitCommit ? { gitCommit: r.gitCommit } : {}),
          config: r.config,
        },
      },
    ],
  };
}
