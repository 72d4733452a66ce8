/**
 * `npm run pci-table`: writes SECURITY.md's control -> policy table from the pack's metadata and
 * tools/pci-table/requirements.ts (between the markers), formatted with the project's Prettier settings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { catalog } from '../../policies/catalog';
import { CONTROLS_BEGIN, CONTROLS_END, controlsSection, renderControlTable } from './render';
import { REQUIREMENTS } from './requirements';

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'SECURITY.md');
  const text = readFileSync(file, 'utf8');
  if (controlsSection(text) === undefined)
    throw new Error(`SECURITY.md has no ${CONTROLS_BEGIN} … ${CONTROLS_END} section to write.`);
  const table = renderControlTable(catalog, REQUIREMENTS);
  const before = text.slice(0, text.indexOf(CONTROLS_BEGIN) + CONTROLS_BEGIN.length);
  const after = text.slice(text.indexOf(CONTROLS_END));
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(`${before}\n\n${table}\n\n${after}`, {
    ...options,
    filepath: file,
  });
  writeFileSync(file, formatted);
  process.stdout.write(`SECURITY.md: control table written (${REQUIREMENTS.length} requirements).\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
