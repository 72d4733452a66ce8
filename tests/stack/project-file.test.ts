import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

const root = path.resolve(__dirname, '..', '..');
const project = yaml.load(fs.readFileSync(path.join(root, 'Pulumi.yaml'), 'utf8')) as {
  name: string;
  runtime: { name: string; options: Record<string, unknown> };
  main: string;
  config: Record<string, { type?: string; description?: string; items?: unknown } | string>;
};

describe('Pulumi.yaml', () => {
  it('runs the TypeScript program in stack/index.ts with the nodejs runtime', () => {
    expect(project.name).toBe('transaction-processor');
    expect(project.runtime).toEqual({ name: 'nodejs', options: { typescript: true } });
    expect(fs.existsSync(path.join(root, project.main))).toBe(true);
    expect(fs.readFileSync(path.join(root, project.main), 'utf8')).toContain(
      'createStack(loadStackConfig())',
    );
  });

  it('declares every key the program reads, each with a type and a description', () => {
    const program = fs.readFileSync(path.join(root, 'stack', 'config.ts'), 'utf8');
    const read = [...program.matchAll(/project\.get\w*(?:<[^>]+>)?\('(\w+)'\)/g)].map((m) => m[1]);
    expect(read.sort()).toEqual([
      'alertEmail',
      'environmentSuffix',
      'manageApiGatewayAccount',
      'merchants',
      'opsEmail',
      'tableWarmWritesPerSecond',
    ]);
    for (const key of read) {
      const declared = project.config[key];
      expect(typeof declared).toBe('object');
      expect(declared).toMatchObject({ type: expect.any(String), description: expect.any(String) });
    }
    expect(project.config.merchants).toMatchObject({ type: 'array', items: { type: 'string' } });
  });

  it('pins the region to us-east-1', () => {
    expect(project.config['aws:region']).toBe('us-east-1');
  });
});
