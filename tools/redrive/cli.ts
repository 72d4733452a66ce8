/**
 * `npm run redrive`: what the failure queues hold, and with `--apply` its replay. See USAGE and
 * README "npm run redrive".
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { STATE_FILES } from '../local/pipeline-parts';
import type { LocalState } from '../local/pipeline-types';
import { exitCodeOf, runRedrive } from './redrive';

const USAGE = `Usage: npm run redrive -- [options]

Lists what the failure queues hold (a file the validator gave up on, a stream batch the anomaly
detector gave up on) and, with --apply, replays it: the validator is invoked again with the
original S3 event; a stream batch is read again from the stream while the stream still holds it
(24 hours), otherwise the command says what was lost and where its rows are. A message leaves its
queue only once its replay succeeded. By default it works on the local AWS that npm start runs;
with --stack, on the deployed stack (us-east-1; credentials from AWS_PROFILE or the SDK's usual
chain; README "npm run redrive" lists the IAM permissions it needs).

Options:
  --apply            replay (without it: a dry run that only lists)
  --state-dir DIR    npm start's state directory (default: .local)
  --stack NAME       the deployed stack on AWS whose config is Pulumi.NAME.yaml
  -h, --help         show this help

Exit codes:
  0  nothing left: the queues are empty, or every message was replayed
  1  messages remain: waiting to be replayed (dry run), or failed again or lost (--apply)
  2  the command could not run (bad option, the local AWS not running, no stack file, no AWS
     credentials, access denied, ...)`;

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The deployed stack: its names from Pulumi.<stack>.yaml, without synthesizing the program. */
async function redriveOnAws(stack: string, apply: boolean): Promise<number> {
  // Loaded here so that the local run does not load the SQS and Lambda clients.
  const { readAwsStack } = await import('./aws-stack');
  const { awsTarget } = await import('./aws-target');
  const target = awsTarget(readAwsStack(stack), { apply });
  try {
    return exitCodeOf(await runRedrive(target, { apply, say }), apply);
  } finally {
    target.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      apply: { type: 'boolean' },
      'state-dir': { type: 'string' },
      stack: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const apply = values.apply ?? false;
  if (values.stack !== undefined) {
    if (values['state-dir'] !== undefined)
      throw new Error('--stack (AWS) and --state-dir (local) exclude each other');
    return redriveOnAws(values.stack, apply);
  }
  const stateDir = resolve(values['state-dir'] ?? '.local');
  // Loaded here so that --help and bad options answer at once, without synthesizing.
  const { localTarget } = await import('./local-target');
  const { readFileSync, existsSync } = await import('node:fs');
  const stateFile = join(stateDir, STATE_FILES.local);
  const stack = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as LocalState).stack
    : 'dev';
  const { synthesize } = await import('../../gate/synth/synthesize');
  const { readLocalDefinitions } = await import('../local/definitions');
  const target = localTarget(stateDir, readLocalDefinitions(await synthesize({ stack })));
  try {
    return exitCodeOf(await runRedrive(target, { apply, say }), apply);
  } finally {
    await target.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`npm run redrive: ${error.message}\n`);
    process.exit(2);
  },
);
