/** `npm start` options: parsed strictly, with a clear message for anything wrong. */
import { parseArgs } from 'node:util';
import type { LocalPorts } from './pipeline';

export const USAGE = `Usage: npm start -- [options]

Runs the policy gate, then the whole pipeline on an embedded local AWS (DynamoDB Local, s3rver and
local stand-ins for SNS and Secrets Manager), uploads the files in samples/ as a merchant would,
prints what happened, and serves the merchant API until Ctrl-C.

Options:
  --once                 exit after the samples: 0 when everything behaved as expected, 1 otherwise
  --stack NAME           stack whose Pulumi.<NAME>.yaml configures the program (default: dev)
  --samples DIR          directory of sample CSV files (default: samples)
  --state-dir DIR        local state, emptied at start (default: .local)
  --api-port N           merchant API port (default: a free port); also --dynamodb-port, --s3-port,
                         --sns-port, --secrets-port
  --skip-gate            do not run the policy gate first (for quick local iterations only)
  -h, --help             show this help`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface StartOptions {
  once: boolean;
  stack: string;
  samplesDir: string;
  stateDir: string;
  ports: LocalPorts;
  skipGate: boolean;
  help: boolean;
}

const port = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new UsageError(`${flag} must be a port number (1-65535), got "${value}".`);
  return n;
};

export function parseStartOptions(argv: string[]): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        once: { type: 'boolean' },
        stack: { type: 'string' },
        samples: { type: 'string' },
        'state-dir': { type: 'string' },
        'api-port': { type: 'string' },
        'dynamodb-port': { type: 'string' },
        's3-port': { type: 'string' },
        'sns-port': { type: 'string' },
        'secrets-port': { type: 'string' },
        'skip-gate': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see --help)`);
  }
  const stack = values.stack ?? 'dev';
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack "${stack}" is not a valid stack name.`);
  return {
    once: values.once ?? false,
    stack,
    samplesDir: values.samples ?? 'samples',
    stateDir: values['state-dir'] ?? '.local',
    ports: {
      api: port(values['api-port'], '--api-port'),
      dynamodb: port(values['dynamodb-port'], '--dynamodb-port'),
      s3: port(values['s3-port'], '--s3-port'),
      sns: port(values['sns-port'], '--sns-port'),
      secretsManager: port(values['secrets-port'], '--secrets-port'),
    },
    skipGate: values['skip-gate'] ?? false,
    help: values.help ?? false,
  };
}
