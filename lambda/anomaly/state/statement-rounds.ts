/**
 * Many single-item writes sent as PartiQL batches: each item has one statement in flight at a time
 * (a batch may not name one item twice), its answer decides the item's next statement, and rounds
 * go on until every item is done. Statements DynamoDB throttled inside a 200 answer are sent again
 * after a backoff; a request that fails as a whole is the SDK's to retry, then fails the batch.
 * One request per 25 items instead of one per item is what keeps the detector's CPU per
 * transaction low: a request costs about the same client CPU (signing, HTTP) for 1 or 25.
 */
import type { BatchStatementRequest, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RETRYABLE_STATEMENT_ERRORS, STATEMENTS_PER_BATCH } from '../../shared/batch-statements';
import { DirectBatchExecuteStatementCommand } from '../../shared/direct-commands';
import { DEFAULT_RETRY, pause, type RetryPolicy } from '../../shared/retry';
import { chunksOf, runBounded } from '../../shared/run-bounded';
import type { Item } from './stored-item';

/**
 * A statement's answer: no code on success. `item`: the item after a successful UPDATE … RETURNING,
 * or as it was when a condition failed and ALL_OLD was asked (absent when there is no item).
 */
export interface Answer {
  readonly code?: string;
  readonly item?: Item;
}

/** One item's writes: its next statement, and what to send after each answer (undefined: done). */
export interface ItemWrites {
  next: BatchStatementRequest | undefined;
  answer(answer: Answer): BatchStatementRequest | undefined;
}

/** Concurrent requests per call: DynamoDB takes them in parallel across keys. */
const REQUEST_CONCURRENCY = 8;

/** Runs every item's statements to the end; resolves to how many statements DynamoDB answered. */
export async function runStatementRounds(
  client: DynamoDBClient,
  items: readonly ItemWrites[],
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<number> {
  let answered = 0;
  let throttledRounds = 0;
  let pending = items.filter((item) => item.next !== undefined);
  while (pending.length > 0) {
    let throttled = false;
    await runBounded(
      chunksOf(pending, STATEMENTS_PER_BATCH).map((batch) => async () => {
        const out = await client.send(
          new DirectBatchExecuteStatementCommand({ Statements: batch.map((item) => item.next!) }),
        );
        const responses = out.Responses ?? [];
        if (responses.length !== batch.length)
          throw new Error(
            `BatchExecuteStatement answered ${responses.length} of ${batch.length} statements.`,
          );
        responses.forEach((response, i) => {
          const code = response.Error?.Code;
          if (code !== undefined && RETRYABLE_STATEMENT_ERRORS.has(code)) {
            throttled = true; // the same statement goes again
            return;
          }
          answered += 1;
          batch[i].next = batch[i].answer({ code, item: response.Error?.Item ?? response.Item });
        });
      }),
      REQUEST_CONCURRENCY,
    );
    pending = pending.filter((item) => item.next !== undefined);
    if (!throttled) continue;
    throttledRounds += 1;
    if (throttledRounds >= policy.maxAttempts)
      throw new Error(`DynamoDB still throttled detector state writes after ${throttledRounds} rounds.`);
    await pause(throttledRounds, policy);
  }
  return answered;
}
