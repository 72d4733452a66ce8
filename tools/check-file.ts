/**
 * npm run check-file -- FILE [--json] [--merchant MERCHANT_ID]
 *
 * Checks a CSV file with the validator's own rules before it is uploaded. Exit codes: 0 the file
 * was processed (even with rejected rows), 2 the file is refused as a whole, 1 wrong usage or an
 * unreadable file. Errors are one-line messages, never a stack trace.
 */
import { access, constants } from 'node:fs/promises';
import { MERCHANT_ID_PATTERN } from '../lambda/shared/contract';
import { isAppError } from '../lambda/shared/errors';
import { formatText } from './check-file/format';
import { checkFile } from './check-file/run-check';

const USAGE = 'usage: npm run check-file -- FILE [--json] [--merchant MERCHANT_ID]';

interface Args {
  file: string;
  json: boolean;
  merchantId?: string;
}

class UsageError extends Error {}

const parseArgs = (argv: readonly string[]): Args => {
  const files: string[] = [];
  let json = false;
  let merchantId: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--merchant') merchantId = argv[++i];
    else if (arg.startsWith('--merchant=')) merchantId = arg.slice('--merchant='.length);
    else if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    else files.push(arg);
  }
  if (files.length !== 1) throw new UsageError(USAGE);
  if (merchantId !== undefined && !MERCHANT_ID_PATTERN.test(merchantId)) {
    throw new UsageError('--merchant must be a merchant id: lowercase letters, digits and hyphens.');
  }
  return { file: files[0], json, merchantId };
};

const main = async (): Promise<number> => {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  try {
    await access(args.file, constants.R_OK);
  } catch {
    process.stderr.write(`check-file: cannot read ${args.file}\n`);
    return 1;
  }
  const result = await checkFile(args.file, { merchantId: args.merchantId });
  process.stdout.write(`${args.json ? JSON.stringify(result) : formatText(result)}\n`);
  return result.status === 'refused' ? 2 : 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = isAppError(error)
      ? `${error.code}: ${error.message}`
      : `unexpected error: ${(error as Error)?.message ?? error}`;
    process.stderr.write(`check-file: ${message}\n`);
    process.exitCode = 1;
  },
);
