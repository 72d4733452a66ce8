/** Small helpers shared by the console output and the report writers. */
import type { GateResult, PolicyMeta, Violation } from './types';

/** `aws:s3/bucket:Bucket: s3-uploads-dev`, as the CLI names a resource in its Policies section. */
export function resourceLabel(urn: string): string {
  const parts = urn.split('::');
  if (parts.length < 4) return urn;
  const types = parts[2].split('$');
  return `${types[types.length - 1]}: ${parts.slice(3).join('::')}`;
}

/** The controls a policy maps to: its framework reference (which names every mapping), else its tags. */
export function controls(p: PolicyMeta): string {
  const fw = p.framework;
  if (fw?.reference) return fw.reference;
  const named = fw ? [fw.name, fw.version].filter(Boolean).join(' ') : '';
  return named || p.tags.join('; ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function isMandatory(v: Violation): boolean {
  return v.enforcementLevel === 'mandatory' || v.enforcementLevel === 'remediate';
}

/** The one-line summary printed after the Policies section and stored in every report. */
export function summaryLine(r: GateResult): string {
  const verdict = r.exitCode === 0 ? 'PASS' : 'FAIL';
  const c = r.counts;
  return (
    `Policy gate ${verdict}: ${plural(c.resources, 'resource')}, ${plural(c.policies, 'policy', 'policies')}, ` +
    `violations: ${c.mandatory} mandatory, ${c.advisory} advisory; ` +
    `${plural(c.unevaluated, 'check')} not evaluated (unknown at preview); ${(r.timings.totalMs / 1000).toFixed(1)} s`
  );
}

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
