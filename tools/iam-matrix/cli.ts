/**
 * `npm run iam-matrix`: synthesizes the stack and writes SECURITY.md's IAM matrix from its role
 * policies (between the markers), formatted with the project's Prettier settings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { MOCK_ACCOUNT_ID } from '../../gate/synth/mock-values';
import { synthesize } from '../../gate/synth/synthesize';
import { MATRIX_BEGIN, MATRIX_CONFIG, MATRIX_END, matrixSection, renderIamMatrix } from './render';

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'SECURITY.md');
  const text = readFileSync(file, 'utf8');
  if (matrixSection(text) === undefined)
    throw new Error(`SECURITY.md has no ${MATRIX_BEGIN} … ${MATRIX_END} section to write.`);
  const synth = await synthesize({ stack: 'matrix', config: MATRIX_CONFIG });
  const table = renderIamMatrix(synth, MOCK_ACCOUNT_ID);
  const before = text.slice(0, text.indexOf(MATRIX_BEGIN) + MATRIX_BEGIN.length);
  const after = text.slice(text.indexOf(MATRIX_END));
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(`${before}\n\n${table}\n\n${after}`, {
    ...options,
    filepath: file,
  });
  writeFileSync(file, formatted);
  process.stdout.write(`SECURITY.md: IAM matrix written (${table.split('\n').length - 2} statements).\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
