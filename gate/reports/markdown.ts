/**
 * `policy-report.md`, for auditors: what was evaluated (stack, commit, pack and its content hash,
 * effective config, exemptions), every policy with its controls and result, every violation with
 * its remediation, and the evidence of which resources each policy examined.
 */
import { controls, resourceLabel, summaryLine } from '../format';
import type { GateResult, PolicyOutcome, ReconciledConfig } from '../types';

const RESULT_LABEL: Record<PolicyOutcome['result'], string> = {
  pass: 'pass',
  fail: '**FAIL**',
  'not-applicable': 'not applicable',
  'not-evaluated': 'not evaluated',
  disabled: 'disabled',
};

/** Escapes what would break a table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n+/g, '<br>');
}

/** Config entries whose key mentions exemptions, each with its written justification. */
export function exemptions(
  config: ReconciledConfig,
): { policy: string; entry: string; justification: string }[] {
  const out: { policy: string; entry: string; justification: string }[] = [];
  for (const [policy, c] of Object.entries(config)) {
    for (const [key, value] of Object.entries(c.properties)) {
      if (!/exempt/i.test(key)) continue;
      const entries = Array.isArray(value)
        ? value
        : value && typeof value === 'object'
          ? Object.entries(value)
          : [];
      for (const e of entries) {
        const obj = (
          Array.isArray(e)
            ? { target: e[0], ...(typeof e[1] === 'object' ? e[1] : { justification: e[1] }) }
            : e
        ) as Record<string, unknown>;
        const { justification, ...rest } = obj ?? {};
        out.push({
          policy,
          entry: JSON.stringify(rest),
          justification: typeof justification === 'string' ? justification : '(none given)',
        });
      }
    }
  }
  return out;
}

export function renderMarkdown(r: GateResult): string {
  const l: string[] = [];
  l.push(`# Policy report: ${r.input.project} / ${r.input.stack}`, '');
  l.push(`**Verdict: ${r.exitCode === 0 ? 'PASS' : 'FAIL'}** — ${summaryLine(r)}`, '');
  l.push('| | |', '|---|---|');
  l.push(`| Stack | \`${r.input.stack}\` (project \`${r.input.project}\`) |`);
  l.push(
    `| Evaluated | ${r.input.mode === 'state' ? 'deployed state' : r.input.mode === 'preview' ? 'first preview (unknown values kept unknown)' : 'preview with mock values'} from \`${r.input.source}\` |`,
  );
  if (r.input.deployed) {
    l.push(
      `| Deployed state | \`${r.input.deployed.source}\`: ${r.input.deployed.unchanged.length} unchanged resources shown with their deployed outputs |`,
    );
  }
  l.push(`| Time | ${r.startedAt} |`);
  l.push(`| Git commit | \`${r.gitCommit ?? 'unknown'}\` |`);
  l.push(`| Policy pack | \`${r.pack.name}\` version \`${r.pack.version}\` |`);
  l.push(`| Pack content hash | \`${r.pack.contentHash}\` |`, '');

  l.push('## Effective configuration', '', '| Policy | Enforcement | Settings |', '|---|---|---|');
  for (const [name, c] of Object.entries(r.config)) {
    l.push(
      `| ${name} | ${c.enforcementLevel} | ${cell(Object.keys(c.properties).length ? `\`${JSON.stringify(c.properties)}\`` : '—')} |`,
    );
  }
  const ex = exemptions(r.config);
  l.push('', '## Exemptions', '');
  if (ex.length === 0) l.push('None.');
  else {
    l.push('| Policy | Exempted | Justification |', '|---|---|---|');
    for (const e of ex) l.push(`| ${e.policy} | ${cell(`\`${e.entry}\``)} | ${cell(e.justification)} |`);
  }

  l.push(
    '',
    '## Policies',
    '',
    '| Policy | Controls | Severity | Enforcement | Result | Examined |',
    '|---|---|---|---|---|---|',
  );
  for (const o of r.outcomes) {
    l.push(
      `| ${o.policy.name} | ${cell(controls(o.policy) || '—')} | ${o.policy.severity} | ${o.enforcementLevel} | ${RESULT_LABEL[o.result]} | ${o.examined.length} |`,
    );
  }

  l.push('', '## Violations', '');
  if (r.violations.length === 0) l.push('None.');
  for (const v of r.violations) {
    const policy = r.outcomes.find((o) => o.policy.name === v.policyName)?.policy;
    l.push(`### [${v.enforcementLevel}] ${v.policyName} — ${resourceLabel(v.urn)}`, '');
    l.push(
      `- Resource: \`${v.urn}\``,
      `- Severity: ${v.severity}`,
      `- Message: ${v.message.replace(/\n/g, ' ')}`,
    );
    l.push(
      `- Remediation: ${(policy?.remediationSteps ?? 'see the policy description').replace(/\n/g, ' ')}`,
      '',
    );
  }

  l.push('', '## Checks not evaluated (values unknown at preview)', '');
  if (r.unevaluated.length === 0) l.push('None: every check ran on known values.');
  for (const u of r.unevaluated)
    l.push(`- ${u.policyName} (${u.configuredLevel}) on \`${u.urn}\`: ${u.message}`);

  l.push('', '## Evidence: resources each policy examined', '');
  for (const o of r.outcomes) {
    l.push(`<details><summary>${o.policy.name}: ${o.examined.length} resources</summary>`, '');
    for (const urn of o.examined) l.push(`- \`${urn}\``);
    l.push('', '</details>', '');
  }
  return l.join('\n') + '\n';
}
