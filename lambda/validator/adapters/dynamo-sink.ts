/**
 * The DynamoDB sink: checks which keys already exist (BatchGetItem), then writes only new items
 * (BatchWriteItem, 25 per request, bounded concurrency). Existing keys are never overwritten:
 * same content means the row was delivered before (unchanged: no write, so no stream record and
 * no alert); different content is a conflict, handed back to the core to reject.
 * Limits: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 * (25 requests) and API_BatchGetItem.html (100 keys); both may return unprocessed entries.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ATTR } from '../../shared/contract';
import { WriteFailedError } from '../../shared/errors';
import type { BatchOutcome, ItemSink, StoredItem } from '../core/types';
import { DEFAULT_RETRY, isRetryable, pause, runBounded, type RetryPolicy } from './retry';

export const WRITE_CHUNK = 25;
export const GET_CHUNK = 100;

type Key = Record<string, string>;

export interface DynamoSinkOptions {
  readonly tableName: string;
  readonly concurrency: number;
  readonly retry?: RetryPolicy;
}

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

const keyOf = (item: { [ATTR.transactionId]?: unknown; [ATTR.timestamp]?: unknown }): string =>
  `${item[ATTR.transactionId]}\n${item[ATTR.timestamp]}`;

/** Calls `send` until nothing is left unprocessed, retrying throttling; throws WriteFailedError when exhausted. */
const untilProcessed = async <T>(
  what: string,
  initial: T,
  send: (pending: T) => Promise<T | undefined>,
  policy: RetryPolicy,
): Promise<void> => {
  let pending: T | undefined = initial;
  let lastError: unknown;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (attempt > 0) await pause(attempt, policy);
    try {
      pending = await send(pending as T);
      lastError = undefined;
      if (pending === undefined) return;
    } catch (error) {
      if (!isRetryable(error)) {
        throw new WriteFailedError(`${what} failed: ${(error as Error).name ?? 'error'}.`, { cause: error });
      }
      lastError = error;
    }
  }
  const reason = lastError ? `throttled (${(lastError as Error).name})` : 'items still unprocessed';
  throw new WriteFailedError(`${what} did not complete after ${policy.maxAttempts} attempts: ${reason}.`, {
    cause: lastError,
  });
};

export const createDynamoSink = (doc: DynamoDBDocumentClient, options: DynamoSinkOptions): ItemSink => {
  const policy = options.retry ?? DEFAULT_RETRY;
  const table = options.tableName;

  /** content_hash of every key of `keys` that exists. Strongly consistent, so a previous run's writes are seen. */
  const existingHashes = async (keys: Key[]): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    const request = {
      Keys: keys,
      ConsistentRead: true,
      ProjectionExpression: '#pk, #sk, #hash',
      ExpressionAttributeNames: {
        '#pk': ATTR.transactionId,
        '#sk': ATTR.timestamp,
        '#hash': ATTR.contentHash,
      },
    };
    await untilProcessed(
      'Reading existing transactions (BatchGetItem)',
      request,
      async (pending) => {
        const result = await doc.send(new BatchGetCommand({ RequestItems: { [table]: pending } }));
        for (const item of result.Responses?.[table] ?? [])
          found.set(keyOf(item), String(item[ATTR.contentHash]));
        const left = result.UnprocessedKeys?.[table];
        return left?.Keys && left.Keys.length > 0 ? { ...request, Keys: left.Keys as Key[] } : undefined;
      },
      policy,
    );
    return found;
  };

  const writeChunk = async (items: readonly StoredItem[]): Promise<void> => {
    const requests = items.map((item) => ({ PutRequest: { Item: { ...item } } }));
    await untilProcessed(
      'Writing transactions (BatchWriteItem)',
      requests,
      async (pending) => {
        const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        const left = result.UnprocessedItems?.[table];
        return left && left.length > 0 ? (left as typeof requests) : undefined;
      },
      policy,
    );
  };

  return {
    async writeBatch(items: readonly StoredItem[]): Promise<BatchOutcome> {
      const keys = items.map((item) => ({
        [ATTR.transactionId]: item.transaction_id,
        [ATTR.timestamp]: item.timestamp,
      }));
      const maps = await runBounded(
        chunk(keys, GET_CHUNK).map((part) => () => existingHashes(part)),
        options.concurrency,
      );
      const existing = new Map<string, string>(maps.flatMap((map) => [...map]));
      const fresh: StoredItem[] = [];
      const conflicts: StoredItem[] = [];
      let unchanged = 0;
      for (const item of items) {
        const hash = existing.get(keyOf(item));
        if (hash === undefined) fresh.push(item);
        else if (hash === item.content_hash) unchanged++;
        else conflicts.push(item);
      }
      await runBounded(
        chunk(fresh, WRITE_CHUNK).map((part) => () => writeChunk(part)),
        options.concurrency,
      );
      return { stored: fresh.length, unchanged, conflicts };
    },
  };
};
