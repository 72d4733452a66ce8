/**
 * The DynamoDB sink: inserts each batch with conditional writes, so a stored transaction can
 * never be overwritten, not even by two invocations racing on the same key.
 *
 * BatchWriteItem cannot carry a condition, and one PutItem per row costs about 0.5 ms of client
 * CPU per request (measured in `npm run bench`), far too much for a million rows. PartiQL
 * `INSERT` is DynamoDB's conditional batch write: BatchExecuteStatement takes 25 statements per
 * request, each one succeeds or fails on its own, an `INSERT` onto an existing key fails with
 * `DuplicateItem` instead of replacing it, and each costs one write unit like a put. The role
 * holds `dynamodb:PartiQLInsert`, not `BatchWriteItem`: IAM itself cannot let it overwrite.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
 *
 * A duplicate is then read back (BatchGetItem, strongly consistent): the same content means the
 * row was delivered before (unchanged: nothing written, no stream record, no alert); different
 * content is a conflict, handed back to the core to reject.
 */
import {
  type AttributeValue,
  type BatchStatementError,
  type BatchStatementRequest,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ATTR } from '../../shared/contract';
import { DirectBatchExecuteStatementCommand, DirectBatchGetItemCommand } from '../../shared/direct-commands';
import { WriteFailedError } from '../../shared/errors';
import type { BatchOutcome, ItemSink, StoredItem } from '../core/types';
import { chunksOf, runBounded } from '../../shared/run-bounded';
import { RETRYABLE_STATEMENT_ERRORS, STATEMENTS_PER_BATCH, TABLE_NAME } from '../../shared/batch-statements';
import { DEFAULT_RETRY, untilDone, type RetryPolicy } from '../../shared/retry';

/** BatchExecuteStatement limit (statements per request). */
export const WRITE_CHUNK = STATEMENTS_PER_BATCH;
/** BatchGetItem limit (keys per request). */
export const GET_CHUNK = 100;
/** Rounds of insert-then-compare for a key whose stored item vanished in between (a deletion). */
const MAX_ROUNDS = 3;

const EXISTS = new Set(['DuplicateItem', 'ConditionalCheckFailed']);

type Key = Record<string, AttributeValue>;

export interface DynamoSinkOptions {
  readonly tableName: string;
  readonly concurrency: number;
  readonly retry?: RetryPolicy;
}

/** A stored item's key as one string: its partition and sort key values (both strings). */
function keyOf(transactionId: string | undefined, timestamp: string | undefined): string {
  return `${transactionId}\n${timestamp}`;
}

/** What every request of one sink shares. */
interface SinkContext {
  readonly dynamo: DynamoDBClient;
  readonly table: string;
  readonly policy: RetryPolicy;
  readonly concurrency: number;
  /** One statement text per set of present attributes (optional columns vary); values are parameters. */
  readonly statements: Map<string, string>;
}

/** A stored item's value as an attribute value: its fields are strings and finite numbers only. */
function attributeOf(value: string | number): AttributeValue {
  return typeof value === 'number' ? { N: String(value) } : { S: value };
}

function insertOf(ctx: SinkContext, item: StoredItem): BatchStatementRequest {
  const names = Object.keys(item).filter((name) => item[name as keyof StoredItem] !== undefined);
  const signature = names.join(',');
  let statement = ctx.statements.get(signature);
  if (statement === undefined) {
    statement = `INSERT INTO "${ctx.table}" VALUE {${names.map((name) => `'${name}': ?`).join(', ')}}`;
    ctx.statements.set(signature, statement);
  }
  return {
    Statement: statement,
    Parameters: names.map((name) => attributeOf(item[name as keyof StoredItem] as string | number)),
  };
}

/** Inserts up to 25 items; resolves to the ones whose key already existed. */
async function insertChunk(
  ctx: SinkContext,
  items: readonly StoredItem[],
  signal?: AbortSignal,
): Promise<StoredItem[]> {
  const existing: StoredItem[] = [];
  await untilDone(
    'Writing transactions (BatchExecuteStatement INSERT)',
    items,
    async (pending) => {
      const result = await ctx.dynamo.send(
        new DirectBatchExecuteStatementCommand({ Statements: pending.map((item) => insertOf(ctx, item)) }),
        {
          abortSignal: signal,
        },
      );
      const responses = result.Responses ?? [];
      if (responses.length !== pending.length) {
        throw new WriteFailedError(
          `BatchExecuteStatement answered ${responses.length} of ${pending.length} statements.`,
        );
      }
      const retry: StoredItem[] = [];
      responses.forEach((response, i) => {
        const error: BatchStatementError | undefined = response.Error;
        if (!error) return;
        const code = error.Code ?? 'an error without a code';
        if (EXISTS.has(code)) existing.push(pending[i]);
        else if (RETRYABLE_STATEMENT_ERRORS.has(code)) retry.push(pending[i]);
        // The code only: a message could quote a value of the row.
        else throw new WriteFailedError(`Writing a transaction failed: ${code}.`);
      });
      return retry.length > 0 ? retry : undefined;
    },
    ctx.policy,
    signal,
  );
  return existing;
}

/** content_hash of every key of `keys` that exists. Strongly consistent, so a concurrent insert is seen. */
async function storedHashes(
  ctx: SinkContext,
  keys: Key[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const request = {
    Keys: keys,
    ConsistentRead: true,
    ProjectionExpression: '#pk, #sk, #hash',
    ExpressionAttributeNames: { '#pk': ATTR.transactionId, '#sk': ATTR.timestamp, '#hash': ATTR.contentHash },
  };
  await untilDone(
    'Reading stored transactions (BatchGetItem)',
    request,
    async (pending) => {
      const result = await ctx.dynamo.send(
        new DirectBatchGetItemCommand({ RequestItems: { [ctx.table]: pending } }),
        { abortSignal: signal },
      );
      for (const item of result.Responses?.[ctx.table] ?? [])
        found.set(
          keyOf(item[ATTR.transactionId]?.S, item[ATTR.timestamp]?.S),
          String(item[ATTR.contentHash]?.S),
        );
      const left = result.UnprocessedKeys?.[ctx.table];
      return left?.Keys && left.Keys.length > 0 ? { ...request, Keys: left.Keys as Key[] } : undefined;
    },
    ctx.policy,
    signal,
  );
  return found;
}

async function insertAll(ctx: SinkContext, items: readonly StoredItem[], signal?: AbortSignal) {
  const parts = chunksOf(items, WRITE_CHUNK).map((part) => () => insertChunk(ctx, part, signal));
  return (await runBounded(parts, ctx.concurrency)).flat();
}

/** Sorts items by what their keys hold now: the same content, other content, or nothing. */
async function compare(ctx: SinkContext, items: readonly StoredItem[], signal?: AbortSignal) {
  const keys = items.map((item) => ({
    [ATTR.transactionId]: { S: item.transaction_id },
    [ATTR.timestamp]: { S: item.timestamp },
  }));
  const maps = await runBounded(
    chunksOf(keys, GET_CHUNK).map((part) => () => storedHashes(ctx, part, signal)),
    ctx.concurrency,
  );
  const hashes = new Map(maps.flatMap((map) => [...map]));
  const absent: StoredItem[] = [];
  const conflicts: StoredItem[] = [];
  let unchanged = 0;
  for (const item of items) {
    const hash = hashes.get(keyOf(item.transaction_id, item.timestamp));
    if (hash === undefined) absent.push(item);
    else if (hash === item.content_hash) unchanged++;
    else conflicts.push(item);
  }
  return { absent, unchanged, conflicts };
}

export function createDynamoSink(dynamo: DynamoDBClient, options: DynamoSinkOptions): ItemSink {
  const table = options.tableName;
  if (!TABLE_NAME.test(table)) throw new Error(`Not a DynamoDB table name: ${JSON.stringify(table)}.`);
  const ctx: SinkContext = {
    dynamo,
    table,
    policy: options.retry ?? DEFAULT_RETRY,
    concurrency: options.concurrency,
    statements: new Map(),
  };

  // After a batch that was mostly stored already (a re-delivered file, or the retry of one cut off
  // at the time limit), the next batch is read before it is inserted: a new on-demand table serves
  // three times as many strongly consistent reads as writes, and a read costs about a fifth of a
  // (failed) conditional write. The insert that follows is still conditional, so a race stays safe.
  let readFirst = false;

  async function writeBatch(items: readonly StoredItem[], signal?: AbortSignal): Promise<BatchOutcome> {
    let toInsert: readonly StoredItem[] = items;
    let stored = 0;
    let unchanged = 0;
    const conflicts: StoredItem[] = [];
    const settle = (known: Awaited<ReturnType<typeof compare>>) => {
      unchanged += known.unchanged;
      conflicts.push(...known.conflicts);
      toInsert = known.absent;
    };
    if (readFirst) settle(await compare(ctx, items, signal));
    // An existing key whose item is gone by the time it is read (a deletion) is inserted again.
    for (let round = 1; toInsert.length > 0; round++) {
      if (round > MAX_ROUNDS) {
        throw new WriteFailedError(
          `${toInsert.length} transactions kept being deleted while they were written; stopped after ${MAX_ROUNDS} rounds.`,
        );
      }
      const existing = await insertAll(ctx, toInsert, signal);
      stored += toInsert.length - existing.length;
      settle(
        existing.length > 0
          ? await compare(ctx, existing, signal)
          : { absent: [], unchanged: 0, conflicts: [] },
      );
    }
    readFirst = stored * 2 < items.length;
    return { stored, unchanged, conflicts };
  }

  return { writeBatch };
}
