/**
 * PartiQL batches (BatchExecuteStatement) as the functions send them: up to 25 statements per
 * request, each succeeding or failing on its own inside a 200 answer.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
 */

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
