/**
 * SECURITY.md's IAM matrix is the synthesized role policies, every action, resource and condition:
 * regenerate it with `npm run iam-matrix` when a policy changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOCK_ACCOUNT_ID } from '../../gate/synth/mock-values';
import { synthesize } from '../../gate/synth/synthesize';
import { MATRIX_CONFIG, matrixSection, renderIamMatrix, tableCells } from '../../tools/iam-matrix/render';

let rendered: string;
const documented = matrixSection(readFileSync(join(__dirname, '../../SECURITY.md'), 'utf8'));

beforeAll(async () => {
  rendered = renderIamMatrix(await synthesize({ stack: 'matrix', config: MATRIX_CONFIG }), MOCK_ACCOUNT_ID);
}, 120_000);

describe("SECURITY.md's IAM matrix", () => {
  it('has the generated section', () => {
    expect(documented).toBeDefined();
  });

  it('is the synthesized role policies, cell by cell (run `npm run iam-matrix` after a change)', () => {
    expect(tableCells(documented ?? '')).toEqual(tableCells(rendered));
  });

  it('states resources and conditions, so a wrong resource or prefix is a difference', () => {
    const cells = tableCells(rendered);
    const wrongResource = rendered.replace('/reports/*`', '/*`');
    const wrongCondition = rendered.replace('`reports/*`', '`*`');
    expect(tableCells(wrongResource)).not.toEqual(cells);
    expect(tableCells(wrongCondition)).not.toEqual(cells);
    expect(rendered).toContain('StringLike `s3:prefix`: `uploads/*`, `reports/*`');
  });
});
