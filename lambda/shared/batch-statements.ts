/**
 * PartiQL batches (BatchExecuteStatement) as the functions send them: up to 25 statements per
 * request, each succeeding or failing on its own inside a 200 answer.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
 */
import { BatchExecuteStatementCommand, type BatchStatementRequest } from '@aws-sdk/client-dynamodb';

/** BatchExecuteStatement limit (statements per request). */
export const STATEMENTS_PER_BATCH = 25;

/** Statement errors worth another attempt (throttled, transient); any other code is final. */
export const RETRYABLE_STATEMENT_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
  'RequestLimitExceeded',
  'InternalServerError',
  'TransactionConflict',
]);

/** DynamoDB table names: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html */
export const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * BatchExecuteStatement with its request body written by JSON.stringify. The statements are
 * already in DynamoDB's wire form (attribute values of strings), so the native serializer writes
 * exactly the JSON the SDK's would, at a fraction of the CPU: the SDK walks every value through
 * its schema, and this runs for every row of a million-row file (`write-cost` in npm run bench)
 * and for every detector state write. The command keeps its real input, so mocks and the call
 * recorder see the statements; only the SDK's serializer is handed an empty list, and the body is
 * put back before it is signed.
 */
export function nativeBatchStatementCommand(
  statements: BatchStatementRequest[],
): BatchExecuteStatementCommand {
  const command = new BatchExecuteStatementCommand({ Statements: statements });
  let body = '';
  command.middlewareStack.add(
    (next) =>
      async function serializeNatively(args) {
        body = JSON.stringify(args.input);
        return next({ ...args, input: { Statements: [] } });
      },
    { step: 'initialize', priority: 'low', name: 'nativeStatementsBody' },
  );
  command.middlewareStack.add(
    (next) =>
      async function restoreBody(args) {
        (args.request as { body?: unknown }).body = body;
        return next(args);
      },
    { step: 'build', priority: 'high', name: 'nativeStatementsBodyRestore' },
  );
  return command;
}
