/**
 * SECURITY.md's control -> policy table is the pack's own mapping: regenerate it with
 * `npm run pci-table` when a policy's controls change or a requirement is added.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../policies/catalog';
import { tableCells } from '../../tools/iam-matrix/render';
import { controlsSection, renderControlTable } from '../../tools/pci-table/render';
import { REQUIREMENTS } from '../../tools/pci-table/requirements';

const documented = controlsSection(readFileSync(join(__dirname, '../../SECURITY.md'), 'utf8'));

describe("SECURITY.md's control -> policy table", () => {
  it('has the generated section, equal to the pack cell by cell (run `npm run pci-table` after a change)', () => {
    expect(documented).toBeDefined();
    expect(tableCells(documented ?? '')).toEqual(tableCells(renderControlTable(catalog, REQUIREMENTS)));
  });

  it('lists every requirement a policy maps to', () => {
    const listed = new Set(REQUIREMENTS.map((r) => r.id));
    const mapped = catalog.flatMap((p) => p.metadata.controls.pciDss);
    expect([...new Set(mapped)].filter((id) => !listed.has(id))).toEqual([]);
  });

  it('says how every requirement no policy checks is met', () => {
    const unchecked = REQUIREMENTS.filter(
      (r) => !catalog.some((p) => p.metadata.controls.pciDss.includes(r.id)),
    );
    expect(unchecked.filter((r) => !r.otherwise).map((r) => r.id)).toEqual([]);
    expect(unchecked.map((r) => r.id)).toEqual(expect.arrayContaining(['3.3.1', '3.4.1', '10.2.1.2']));
  });

  it('names the access-trail and key policies against their requirements', () => {
    const row = (id: string) => tableCells(documented ?? '').find((cells) => cells[0] === id);
    expect(row('10.5.1')?.[2]).toContain('`s3-access-logging`');
    expect(row('10.2.1.1')?.[2]).toContain('`s3-access-logging`');
    expect(row('3.7.4')?.[2]).toContain('`kms-key-rotation`');
    expect(row('3.6.1')?.[2]).toContain('`secret-customer-managed-key`');
  });
});
