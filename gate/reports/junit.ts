/**
 * `policy-report.junit.xml`: one test suite per policy, one test case per resource it examined
 * (classname = policy, name = URN). A violation is a `<failure>` whose `type` is its enforcement
 * level (only mandatory ones fail the gate); a check that could not run is `<skipped>`.
 */
import type { GateResult, PolicyOutcome } from '../types';
import { escapeXml } from './xml';

export { escapeXml } from './xml';

interface Case {
  name: string;
  body: string;
  failed: boolean;
  skipped: boolean;
}

function cases(o: PolicyOutcome): Case[] {
  const p = o.policy.name;
  if (o.result === 'disabled' || o.result === 'not-applicable') {
    const why =
      o.result === 'disabled' ? 'policy is disabled by config' : 'no resource this policy applies to';
    return [
      { name: '(stack)', body: `<skipped message="${escapeXml(why)}"/>`, failed: false, skipped: true },
    ];
  }
  const urns = [
    ...new Set([...o.examined, ...o.violations.map((v) => v.urn), ...o.unevaluated.map((u) => u.urn)]),
  ];
  const byUrn = <T extends { urn: string }>(items: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of items) m.set(x.urn, [...(m.get(x.urn) ?? []), x]);
    return m;
  };
  const violations = byUrn(o.violations);
  const unevaluated = byUrn(o.unevaluated);
  return urns.map((urn) => {
    const vs = violations.get(urn) ?? [];
    const un = unevaluated.get(urn) ?? [];
    const failures = vs.map(
      (v) =>
        `<failure type="${v.enforcementLevel}" message="${escapeXml(`[${v.enforcementLevel}] ${p}: ${v.message.split('\n').pop()}`)}">` +
        `${escapeXml(`${v.message}\n\nResource: ${urn}\nRemediation: ${o.policy.remediationSteps ?? 'see the policy description'}`)}</failure>`,
    );
    const skips =
      vs.length === 0
        ? un.map((u) => `<skipped message="${escapeXml(`not evaluated: ${u.message}`)}"/>`)
        : [];
    return {
      name: urn,
      body: [...failures, ...skips].join(''),
      failed: vs.length > 0,
      skipped: vs.length === 0 && un.length > 0,
    };
  });
}

export function renderJUnit(r: GateResult): string {
  const perOutcome = r.outcomes.map(cases);
  const suites = r.outcomes.map((o, i) => {
    const cs = perOutcome[i];
    const failures = cs.filter((c) => c.failed).length;
    const skipped = cs.filter((c) => c.skipped).length;
    const body = cs
      .map(
        (c) =>
          `    <testcase classname="${escapeXml(o.policy.name)}" name="${escapeXml(c.name)}">${c.body}</testcase>`,
      )
      .join('\n');
    return (
      `  <testsuite name="${escapeXml(o.policy.name)}" tests="${cs.length}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
      `    <properties><property name="enforcementLevel" value="${o.enforcementLevel}"/><property name="severity" value="${o.policy.severity}"/><property name="result" value="${o.result}"/></properties>\n` +
      `${body}\n  </testsuite>`
    );
  });
  const all = perOutcome.flat();
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${escapeXml(`${r.pack.name}@${r.pack.version} on ${r.input.project}/${r.input.stack}`)}" tests="${all.length}" ` +
    `failures="${all.filter((c) => c.failed).length}" errors="0" skipped="${all.filter((c) => c.skipped).length}" time="${(r.timings.totalMs / 1000).toFixed(3)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
