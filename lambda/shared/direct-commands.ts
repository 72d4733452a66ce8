/**
 * The two bulk DynamoDB calls (BatchExecuteStatement, BatchGetItem), sent on DynamoDB's JSON
 * protocol without the SDK's per-request middleware. They are sent through `client.send` like any
 * command, so mocks and callers see nothing new, but the command resolves to a short handler:
 * JSON.stringify the input, sign it, send it, JSON.parse the answer.
 *
 * Why: the validator writes every row of a file this way (25 per request) and the detector its
 * state (about ten requests per 100 transactions), and both bound the SLA (npm run bench). The
 * SDK's walk of about twenty middlewares, its schema serde and its per-request endpoint resolution
 * cost 16-17 µs per written row on one core here; this path costs 7-8 µs for the same statements
 * (npm run bench, `write-client-us-per-row` against `write-client-sdk-path-us-per-row`: the same
 * sink, the same stub DynamoDB, only the path differs).
 *
 * What still comes from the client, so nothing is configured twice: its credentials provider (the
 * default chain, refreshed), region, endpoint (a configured one, else the SDK's endpoint rules,
 * resolved once), HTTP handler (keep-alive sockets, timeouts) and retry strategy (standard mode:
 * throttling and transient errors, 500/502/503/504 and dropped connections among them, retried
 * with backoff within maxAttempts and the retry quota, classed by the SDK's own classifiers, the
 * backoff cut short by the call's abort signal).
 *
 * What is left out:
 * - clock-skew correction: a skewed clock's refusal is retried uncorrected, and fails again;
 * - account-based endpoints: the regional endpoint serves the same tables;
 * - the modeled exception classes: a refusal is the SDK's base exception, named by its code;
 * - binary (B) attribute values, which would go out and come back unencoded: neither table stores any;
 * - the client's own middleware: a client carrying ours (the least-privilege proof's call
 *   recorder, call-recorder.ts; the bench's useSdkPath) or the X-Ray tracer's takes the SDK path.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  type BatchExecuteStatementCommandOutput,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CALL_RECORDER_MIDDLEWARE } from './call-recorder';
import { sendDirect, type DirectConfig } from './direct-send';

interface Stack {
  identify(): string[];
}

/** Marks a client whose bulk calls take the SDK's full path: the bench's A/B of the two paths. */
const SDK_PATH_MIDDLEWARE = 'transactionProcessorSdkPath';

export function useSdkPath(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add((next) => next, { step: 'initialize', name: SDK_PATH_MIDDLEWARE });
  return client;
}

/** Middleware that must see every call: the client then takes the SDK path. */
const MUST_SEE_CALLS = [CALL_RECORDER_MIDDLEWARE, SDK_PATH_MIDDLEWARE, 'XRaySDKInstrumentation'];

const needsSdkPath = (stack: Stack): boolean =>
  stack.identify().some((name) => MUST_SEE_CALLS.some((wanted) => name.startsWith(wanted)));

type Handler<O> = (args: { input: object }) => Promise<{ output: O; response: undefined }>;

function directHandler<O>(operation: string, config: unknown, options: unknown): Handler<O> {
  const abortSignal = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
  return async (args) => ({
    output: (await sendDirect(config as DirectConfig, operation, args.input, abortSignal)) as O,
    response: undefined,
  });
}

/** BatchExecuteStatement (up to 25 PartiQL statements), sent directly. */
export class DirectBatchExecuteStatementCommand extends BatchExecuteStatementCommand {
  override resolveMiddleware(
    ...[stack, config, options]: Parameters<BatchExecuteStatementCommand['resolveMiddleware']>
  ): ReturnType<BatchExecuteStatementCommand['resolveMiddleware']> {
    if (needsSdkPath(stack)) return super.resolveMiddleware(stack, config, options);
    return directHandler<BatchExecuteStatementCommandOutput>(
      'BatchExecuteStatement',
      config,
      options,
    ) as unknown as ReturnType<BatchExecuteStatementCommand['resolveMiddleware']>;
  }
}

/** BatchGetItem (up to 100 keys), sent directly. */
export class DirectBatchGetItemCommand extends BatchGetItemCommand {
  override resolveMiddleware(
    ...[stack, config, options]: Parameters<BatchGetItemCommand['resolveMiddleware']>
  ): ReturnType<BatchGetItemCommand['resolveMiddleware']> {
    if (needsSdkPath(stack)) return super.resolveMiddleware(stack, config, options);
    return directHandler<BatchGetItemCommandOutput>('BatchGetItem', config, options) as unknown as ReturnType<
      BatchGetItemCommand['resolveMiddleware']
    >;
  }
}
