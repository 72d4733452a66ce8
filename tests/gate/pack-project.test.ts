/**
 * PulumiPolicy.yaml read as the CLI reads it before starting a pack: what it refuses (in its
 * words), the byte-order mark it strips, and the Node.js runtime options it passes on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readPackProject, shellSplit } from '../../gate/pack-project';
import { tempDir } from './helpers';

function packWith(yamlText: string): string {
  const dir = tempDir('pack-project-');
  fs.writeFileSync(path.join(dir, 'PulumiPolicy.yaml'), yamlText);
  return dir;
}

describe('PulumiPolicy.yaml', () => {
  it('gives the version and description that override the pack’s own', () => {
    const project = readPackProject(packWith('runtime: nodejs\nversion: 1.2.3\ndescription: Checks.\n'));
    expect(project).toMatchObject({ runtime: 'nodejs', version: '1.2.3', description: 'Checks.' });
  });

  it('defaults to TypeScript with no node arguments, as the language host does', () => {
    expect(readPackProject(packWith('runtime: nodejs\n'))).toEqual({
      runtime: 'nodejs',
      typescript: true,
      tsconfig: undefined,
      nodeargs: [],
      version: undefined,
      description: undefined,
    });
  });

  it('reads the runtime options of the long form', () => {
    const dir = packWith(
      'runtime:\n  name: nodejs\n  options:\n    typescript: false\n    tsconfig: tsconfig.policy.json\n    nodeargs: "--a \'b c\' d\\\\ e"\n',
    );
    expect(readPackProject(dir)).toMatchObject({
      typescript: false,
      tsconfig: 'tsconfig.policy.json',
      nodeargs: ['--a', 'b c', 'd e'],
    });
  });

  it('is read through a UTF-8 byte-order mark', () => {
    expect(readPackProject(packWith('\uFEFFruntime: nodejs\n')).runtime).toBe('nodejs');
  });

  it('is refused without a runtime, in the CLI words', () => {
    const dir = packWith('description: no runtime\n');
    expect(() => readPackProject(dir)).toThrow(
      `failed to load Pulumi policy project located at "${dir}": project is missing a 'runtime' attribute`,
    );
  });

  it('is refused with a runtime the gate cannot start, naming it', () => {
    expect(() => readPackProject(packWith('runtime: python\n'))).toThrow(
      /has runtime "python"; the gate starts Node\.js packs only/,
    );
  });

  it('is refused with an option of the wrong type, in the language host words', () => {
    const dir = packWith('runtime:\n  name: nodejs\n  options:\n    typescript: "no"\n');
    expect(() => readPackProject(dir)).toThrow('typescript option must be a boolean');
  });

  it('is missing from a directory that is not a pack', () => {
    expect(() => readPackProject(tempDir('not-a-pack-'))).toThrow(
      /is not a policy pack \(no PulumiPolicy\.yaml\)/,
    );
  });
});

describe('nodeargs splitting', () => {
  it('keeps quoted words whole and drops the quotes', () => {
    expect(shellSplit(`--x "a b" 'c "d"' e\\ f`)).toEqual(['--x', 'a b', 'c "d"', 'e f']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => shellSplit('"open')).toThrow(/unclosed "/);
  });
});
