/**
 * Prints the verdict like the CLI's "Policies:" section of `pulumi preview`: one line per pack
 * (✅ or ❌ with name@version and where it was loaded from), then each diagnostic as
 * `- [level]  policy  (type: name)` followed by its message, then the gate's one-line summary.
 */
import * as path from 'node:path';
import { GATE_PACK_NAME, GATE_VERSION } from './retain';
import { indent, isMandatory, resourceLabel, summaryLine } from './format';
import type { GateResult, Violation } from './types';

interface Line {
  level: string;
  policyName: string;
  urn: string;
  message: string;
}

export function renderConsole(r: GateResult, cwd = process.cwd()): string {
  const out: string[] = ['Policies:'];
  const packLines = (violations: Violation[]): Line[] =>
    violations.map((v) => ({
      level: v.enforcementLevel,
      policyName: v.policyName,
      urn: v.urn,
      message: v.message,
    }));
  const packViolations = r.violations.filter((v) => v.source === 'pack');
  const unevaluated: Line[] = r.unevaluated.map((u) => ({
    level: 'advisory',
    policyName: u.policyName,
    urn: u.urn,
    message: u.message,
  }));
  const local = path.relative(cwd, r.pack.directory) || '.';
  out.push(
    ...section(`${r.pack.name}@v${r.pack.version} (local: ${local})`, packViolations, [
      ...packLines(packViolations),
      ...unevaluated,
    ]),
  );
  const gateViolations = r.violations.filter((v) => v.source === 'gate');
  out.push(
    ...section(
      `${GATE_PACK_NAME}@v${GATE_VERSION} (retainOnDelete, invisible to packs)`,
      gateViolations,
      packLines(gateViolations),
    ),
  );
  out.push('', summaryLine(r));
  return out.join('\n');
}

function section(title: string, violations: Violation[], lines: Line[]): string[] {
  const failed = violations.some(isMandatory);
  const out = [`    ${failed ? '❌' : '✅'} ${title}`];
  const order = (l: Line) => (l.level === 'mandatory' || l.level === 'remediate' ? 0 : 1);
  for (const l of [...lines].sort((a, b) => order(a) - order(b))) {
    out.push(`        - [${l.level}]  ${l.policyName}  (${resourceLabel(l.urn)})`);
    out.push(indent(l.message, '          '));
  }
  return out;
}
