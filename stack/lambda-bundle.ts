import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import * as pulumi from '@pulumi/pulumi';

/** Repository root: bundles and source maps use paths relative to it, so they are reproducible. */
const ROOT = path.resolve(__dirname, '..');

export interface Bundle {
  readonly code: string;
  readonly sourceMap: string;
}

/** esbuild's target for code that runs on Lambda's `nodejs24.x` (see LambdaFunction's runtime). */
export const LAMBDA_NODE_TARGET = 'node24';

const cache = new Map<string, Bundle>();

/**
 * Bundles `lambda/<fn>/handler.ts` with esbuild: minified, with an external source map, for the
 * nodejs24.x runtime's Node (which the npm scripts run on too, so tests run what Lambda runs). Everything is bundled
 * (the AWS SDK too) so the code that runs is the code that was tested, not the runtime's SDK copy.
 */
export function bundleFunction(functionDir: string): Bundle {
  const cached = cache.get(functionDir);
  if (cached) return cached;
  const outfile = path.join(ROOT, '.bundle', functionDir, 'index.js');
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, 'lambda', functionDir, 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'cjs',
    minify: true,
    sourcemap: 'linked', // adds the sourceMappingURL comment Node's --enable-source-maps follows
    sourcesContent: false,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((f) => f.path === outfile)?.text;
  const sourceMap = result.outputFiles.find((f) => f.path === `${outfile}.map`)?.text;
  if (code === undefined || sourceMap === undefined) {
    throw new Error(`esbuild produced no bundle for lambda/${functionDir}/handler.ts`);
  }
  const bundle = { code, sourceMap };
  cache.set(functionDir, bundle);
  return bundle;
}

/**
 * The deployment package: a folder `.bundle/<fn>/` (git-ignored) holding `index.js` (handler
 * `index.handler`) and its source map. A FileArchive, not inline strings: the engine then sends a
 * path to the policy pack instead of megabytes of code for every policy to decode again.
 * Files are written through a rename so that concurrent runs never read a half-written bundle.
 */
export function functionArchive(functionDir: string): pulumi.asset.FileArchive {
  const { code, sourceMap } = bundleFunction(functionDir);
  const dir = path.join(ROOT, '.bundle', functionDir);
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, 'index.js'), code);
  writeAtomically(path.join(dir, 'index.js.map'), sourceMap);
  return new pulumi.asset.FileArchive(dir);
}

function writeAtomically(file: string, content: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}
