/**
 * Regenerates data/taggable-types.json: every @pulumi/aws resource type whose Args accept `tags`.
 * The provider SDK is the source of truth for "taggable", so the list is derived, not hand-kept.
 * Run after upgrading @pulumi/aws: `npx tsx policies/scripts/generate-taggable-types.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';

const awsRoot = path.dirname(require.resolve('@pulumi/aws/package.json'));
const outFile = path.join(__dirname, '..', 'data', 'taggable-types.json');

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* walk(full);
    else if (entry.isFile() && entry.name.endsWith('.js')) yield full;
  }
}

/** The body of `export interface <name> { ... }` in a .d.ts, or undefined. */
function interfaceBody(dts: string, name: string): string | undefined {
  const start = dts.indexOf(`export interface ${name} {`);
  if (start < 0) return undefined;
  const end = dts.indexOf('\n}\n', start);
  return dts.slice(start, end < 0 ? undefined : end);
}

const taggable = new Set<string>();
for (const jsFile of walk(awsRoot)) {
  const js = fs.readFileSync(jsFile, 'utf8');
  const typeMatch = /static __pulumiType = '([^']+)'/.exec(js);
  const classMatch = /class (\w+) extends pulumi\.CustomResource/.exec(js);
  if (!typeMatch || !classMatch) continue;
  const dtsFile = jsFile.replace(/\.js$/, '.d.ts');
  if (!fs.existsSync(dtsFile)) continue;
  const body = interfaceBody(fs.readFileSync(dtsFile, 'utf8'), `${classMatch[1]}Args`);
  if (body && /\n\s+tags\?:/.test(body)) taggable.add(typeMatch[1]);
}

const awsVersion = (
  JSON.parse(fs.readFileSync(path.join(awsRoot, 'package.json'), 'utf8')) as { version: string }
).version;
const sorted = [...taggable].sort();
fs.writeFileSync(
  outFile,
  JSON.stringify({ source: `@pulumi/aws ${awsVersion}`, types: sorted }, null, 2) + '\n',
);
console.log(`wrote ${sorted.length} taggable types from @pulumi/aws ${awsVersion} to ${outFile}`);
