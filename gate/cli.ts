/**
 * `npm run gate -- [options]`: exit 0 when no mandatory policy is violated, 1 when one is, and 2
 * when the gate could not run (every such case prints one line starting with "gate: error:").
 */
import { parseArgs } from 'node:util';
import { isGateError, renderConsole, runGate } from './index';

const USAGE = `Usage: npm run gate -- [options]

Gives the verdict of \`pulumi preview --policy-pack policies\` offline and writes auditor reports.

Options:
  --stack NAME            stack whose Pulumi.<NAME>.yaml configures the program (default: dev)
  --state FILE            audit a \`pulumi stack export\` file (deployment versions 1-4) or a
                          DIY backend checkpoint instead
  --known                 send mock values where a first preview would send unknowns
  --deployed FILE         preview an existing stack: a \`pulumi stack export\` of it gives its
                          unchanged resources' deployed outputs to the stack policies
  --org NAME              organization the pack is told about (default: organization, as the
                          DIY backend of pulumi login --local says)
  --policy-config FILE    policy pack config, same format as --policy-pack-config
  --pack DIR              policy pack directory (default: policies)
  --out DIR               report directory (default: reports)
  -h, --help              show this help

Exit codes: 0 no mandatory violation, 1 at least one mandatory violation, 2 the gate could not run.`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: 'string' },
        state: { type: 'string' },
        known: { type: 'boolean' },
        deployed: { type: 'string' },
        org: { type: 'string' },
        'policy-config': { type: 'string' },
        pack: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`gate: error: ${(e as Error).message.split('\n')[0]} (see --help)`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.state && (values.known || values.stack || values.deployed)) {
    console.error('gate: error: --state cannot be combined with --stack, --known or --deployed');
    return 2;
  }
  try {
    const result = await runGate({
      stack: values.stack,
      state: values.state,
      known: values.known,
      deployed: values.deployed,
      organization: values.org,
      policyConfig: values['policy-config'],
      packDir: values.pack,
      outDir: values.out ?? 'reports',
      onProgress: (line) => process.stderr.write(`gate: ${line}\n`),
    });
    console.log(renderConsole(result));
    if (result.reportFiles.length > 0) console.log(`Reports: ${result.reportFiles.join(', ')}`);
    return result.exitCode;
  } catch (e) {
    const message = isGateError(e) ? e.message : `unexpected failure: ${(e as Error)?.message ?? String(e)}`;
    console.error(`gate: error: ${message.replace(/\s*\n\s*/g, ' ')}`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(2),
  );
}
