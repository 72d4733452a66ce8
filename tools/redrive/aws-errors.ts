/**
 * Which AWS errors mean that the command cannot act on the pipeline at all (no credentials, access
 * denied, the stack not deployed, AWS unreachable), as opposed to one message failing again. Those
 * stop the run with one line that says what to do (exit 2).
 */
import { TargetUnavailableError } from './redrive';

const PERMISSIONS = 'README "npm run redrive" lists the permissions it needs';

/** SDK error names (and Node's network codes) -> what the operator should do about them. */
const ADVICE: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^CredentialsProviderError$/,
    'no AWS credentials: set AWS_PROFILE, or sign in with aws sso login, and run again',
  ],
  [
    /^(ExpiredToken|ExpiredTokenException|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch)$/,
    'AWS does not accept these credentials: sign in again (aws sso login) or check AWS_PROFILE',
  ],
  [/AccessDenied|AuthorizationError|^UnauthorizedOperation$/, PERMISSIONS],
  [
    /^(QueueDoesNotExist|AWS\.SimpleQueueService\.NonExistentQueue|ResourceNotFoundException)$/,
    'is the stack deployed (pulumi up) in this account and region?',
  ],
  [
    /^(ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|ECONNRESET)$/,
    'nothing answers at the AWS endpoint (AWS_ENDPOINT_URL, if set): check the network',
  ],
];

/** One line: SDK messages may span several. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * `error` as a TargetUnavailableError naming what was being done, when it is one of the errors
 * above; otherwise `error` itself (one message failing, which the run counts and goes on).
 */
export function unavailableOr(error: unknown, doing: string): unknown {
  const e = error as { name?: string; code?: string; message?: string };
  const name = e?.name ?? '';
  const advice = ADVICE.find(([pattern]) => pattern.test(name) || pattern.test(e?.code ?? ''))?.[1];
  if (!advice) return error;
  // Node's network errors are plain Errors with a code: the code says more.
  const label = name && name !== 'Error' ? name : (e.code ?? name);
  const detail = oneLine(e.message ?? '');
  return new TargetUnavailableError(`${doing}: ${label}${detail ? `: ${detail}` : ''} (${advice})`);
}
