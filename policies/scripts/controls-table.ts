/**
 * Prints the SECURITY.md "Policies and controls" table from the pack's own metadata, so the
 * document cannot drift from the code: `npx tsx policies/scripts/controls-table.ts`.
 */
import { catalog } from '../catalog';

const cell = (text: string) => text.replace(/\|/g, '\\|');
const rows = catalog.map(({ metadata: m, policy }) => {
  const kind = 'validateStack' in policy ? 'stack' : 'resource';
  const c = m.controls;
  return [
    `\`${m.id}\``,
    cell(m.description.split('. ')[0].replace(/\.$/, '') + '.'),
    m.enforcementLevel,
    m.severity,
    kind,
    c.pciDss.join(', '),
    (c.fsbp ?? []).join(', ') || '—',
    (c.cis ?? []).join(', ') || '—',
  ];
});
const header = [
  'Policy id',
  'What it enforces',
  'Level',
  'Severity',
  'Kind',
  'PCI DSS v4.0.1',
  'AWS FSBP',
  'CIS v3.0.0',
];
console.log([header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n'));
