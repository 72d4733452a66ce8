/**
 * An opt-in record of every AWS call a function makes, for the least-privilege proof in tests/iam:
 * with `TP_AWS_CALL_LOG` set to a file, each SDK client appends one JSON line per call (the
 * function's name, the client, the operation and what names its resources). Unset — as on AWS —
 * nothing is added to the client.
 *
 * Why SDK middleware rather than a proxy in front of the local endpoints: the SDK names the exact
 * operation and its input (no reverse-engineering of S3's REST routes), the local S3 keeps
 * knowing its single account, and a merchant's presigned upload is recorded (recordPresignedPost)
 * as the call of the role that signed it, which is the role IAM evaluates for it.
 *
 * Only names are kept (bucket, key, table, secret, topic; a PartiQL statement's verb and table),
 * never parameters, items or bodies: a recorded file must not hold a card number.
 */
import { appendFileSync } from 'node:fs';

export const CALL_LOG_ENV = 'TP_AWS_CALL_LOG';

/** The recorder's middleware name: a client carrying it sends every command through the SDK path. */
export const CALL_RECORDER_MIDDLEWARE = 'transactionProcessorCallRecorder';

export interface RecordedCall {
  /** The Lambda function that made the call (`AWS_LAMBDA_FUNCTION_NAME`): its role is evaluated. */
  readonly principal: string;
  /** The SDK client without `Client`, e.g. `S3`, `DynamoDB`, `SecretsManager`. */
  readonly service: string;
  /** The operation without `Command`, e.g. `GetObject`, `BatchExecuteStatement`. */
  readonly operation: string;
  readonly params: RecordedParams;
}

export interface StatementTarget {
  readonly verb: string;
  readonly table?: string;
}

export interface RecordedParams {
  readonly [field: string]: string | boolean | string[] | StatementTarget | StatementTarget[] | undefined;
}

/** Input fields that name a resource or feed a condition key (all plain strings). */
const NAMING_FIELDS = [
  'Bucket',
  'Key',
  'Prefix',
  'TableName',
  'IndexName',
  'SecretId',
  'TopicArn',
  'TargetArn',
  'QueueUrl',
  'StreamArn',
  'KeyId',
] as const;

/** A PartiQL statement's verb and table; the statement's values are parameters, never read. */
export function statementTarget(statement: unknown): StatementTarget {
  const text = typeof statement === 'string' ? statement : '';
  const verb = (/^\s*([A-Za-z]+)/.exec(text)?.[1] ?? '').toUpperCase();
  const pattern =
    verb === 'UPDATE' ? /^\s*UPDATE\s+("[^"]+"|[\w.-]+)/i : /\b(?:INTO|FROM)\s+("[^"]+"|[\w.-]+)/i;
  const table = pattern.exec(text)?.[1]?.replace(/"/g, '');
  return table ? { verb, table } : { verb };
}

/** What of a command's input the proof needs: resource names and condition-key values only. */
export function describeInput(input: Record<string, unknown>): RecordedParams {
  const out: Record<string, RecordedParams[string]> = {};
  for (const field of NAMING_FIELDS) if (typeof input[field] === 'string') out[field] = input[field];
  // Whether a version is named decides the action (s3:GetObjectVersion); which one does not matter.
  if (input.VersionId !== undefined) out.VersionId = true;
  const requestItems = input.RequestItems;
  if (requestItems && typeof requestItems === 'object') out.RequestItems = Object.keys(requestItems);
  if (Array.isArray(input.Statements))
    out.Statements = input.Statements.map((s: { Statement?: unknown }) => statementTarget(s?.Statement));
  if (typeof input.Statement === 'string') out.Statement = statementTarget(input.Statement);
  if (Array.isArray(input.TransactItems))
    out.TransactItems = input.TransactItems.flatMap((item: Record<string, { TableName?: string }>) =>
      Object.entries(item).map(([verb, body]) => ({ verb, table: body?.TableName })),
    );
  return out;
}

interface MiddlewareContext {
  clientName?: string;
  commandName?: string;
}
type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;
interface StackOwner {
  middlewareStack: {
    add(
      middleware: (next: Next, context: MiddlewareContext) => Next,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
  };
}

/** Adds the recorder to `client` when `env` names a call log; returns the client either way. */
export function recordCalls<T>(client: T, env: Record<string, string | undefined> = process.env): T {
  const file = env[CALL_LOG_ENV]?.trim();
  if (!file) return client;
  const principal = env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown';
  (client as unknown as StackOwner).middlewareStack.add(
    (next, context) =>
      async function recordCall(args) {
        const call: RecordedCall = {
          principal,
          service: (context.clientName ?? '').replace(/Client$/, ''),
          operation: (context.commandName ?? '').replace(/Command$/, ''),
          params: describeInput(args.input ?? {}),
        };
        appendFileSync(file, `${JSON.stringify(call)}\n`);
        return next(args);
      },
    // `initialize` runs once per call, before retries, and also when a URL is only presigned.
    { step: 'initialize', name: CALL_RECORDER_MIDDLEWARE, override: true },
  );
  return client;
}

/**
 * A presigned POST (`createPresignedPost`) is signed without the client's middleware, so the
 * recorder above never sees it; the upload it allows is an s3:PutObject of the signing role.
 */
export function recordPresignedPost(
  bucket: string,
  key: string,
  env: Record<string, string | undefined> = process.env,
): void {
  const file = env[CALL_LOG_ENV]?.trim();
  if (!file) return;
  const call: RecordedCall = {
    principal: env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown',
    service: 'S3',
    operation: 'PutObject',
    params: describeInput({ Bucket: bucket, Key: key }),
  };
  appendFileSync(file, `${JSON.stringify(call)}\n`);
}
