import * as path from 'node:path';
import { buildSync } from 'esbuild';
import * as pulumi from '@pulumi/pulumi';

/** Repository root: bundles and source maps use paths relative to it, so they are reproducible. */
const ROOT = path.resolve(__dirname, '..');

export interface Bundle {
  readonly code: string;
  readonly sourceMap: string;
}

const cache = new Map<string, Bundle>();

/**
 * Bundles `lambda/<fn>/handler.ts` with esbuild: minified, with an external source map, Node 20
 * syntax so the same bundle runs in tests here and on the nodejs24.x runtime. Everything is bundled
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
    target: 'node20',
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

/** The deployment package: `index.js` (handler `index.handler`) and its source map. */
export function functionArchive(functionDir: string): pulumi.asset.AssetArchive {
  const { code, sourceMap } = bundleFunction(functionDir);
  return new pulumi.asset.AssetArchive({
    'index.js': new pulumi.asset.StringAsset(code),
    'index.js.map': new pulumi.asset.StringAsset(sourceMap),
  });
}
