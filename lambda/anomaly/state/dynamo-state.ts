/**
 * The state port on a DynamoDB table (one string key `pk`, TTL on `expires_at`). Entries and
 * profile days are written for a whole batch at once as PartiQL statements (dynamo-state-writes.ts);
 * reads are strongly consistent BatchGetItem calls; an alert claim is one conditional UpdateItem,
 * and a claim that loses returns the item that beat it (ReturnValuesOnConditionCheckFailure
 * ALL_OLD), so the claim and the read of its result are one linearizable operation. The role needs
 * dynamodb:PartiQLInsert, PartiQLUpdate, UpdateItem and BatchGetItem on this table only.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 */
import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { STATE_TABLE_KEY } from '../../shared/contract';
import { DirectBatchGetItemCommand } from '../../shared/direct-commands';
import { chunksOf, runBounded } from '../../shared/run-bounded';
import { ALERT, parseAlert, parseStateItem, type Item } from './stored-item';
import { dynamoStateWrites } from './dynamo-state-writes';
import { type AlertStatus, type ClaimResult, type StateItem, type StateStore } from './store';

/** BatchGetItem's limit. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
const KEYS_PER_READ = 100;
const READ_ATTEMPTS = 8;
const READ_CONCURRENCY = 4;
const PK = STATE_TABLE_KEY.partition;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function dynamoStateStore(client: DynamoDBClient, tableName: string): StateStore {
  const key = (pk: string): Item => ({ [PK]: { S: pk } });

  async function update(input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName'>) {
    await client.send(new UpdateItemCommand({ TableName: tableName, ...input }));
  }

  /** Pushes an existing item's expiry to `expiresAtSec` (never creates one). */
  async function refreshExpiry(pk: string, expiresAtSec: number, onlyIf?: { status: AlertStatus }) {
    try {
      await update({
        Key: key(pk),
        UpdateExpression: 'SET #x = :x',
        ConditionExpression: onlyIf ? '#st = :st' : 'attribute_exists(#pk)',
        ExpressionAttributeNames: {
          '#x': STATE_TABLE_KEY.ttl,
          ...(onlyIf ? { '#st': ALERT.status } : { '#pk': STATE_TABLE_KEY.partition }),
        },
        ExpressionAttributeValues: {
          ':x': { N: String(expiresAtSec) },
          ...(onlyIf ? { ':st': { S: onlyIf.status } } : {}),
        },
      });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * One BatchGetItem of up to 100 keys, with its unprocessed keys retried. `keysOnly`: an
   * eventually consistent read of the key alone (half the read units; the answer is tiny), enough
   * to tell which items exist.
   */
  async function readChunk(pks: readonly string[], into: Map<string, StateItem>, keysOnly: boolean) {
    let pending: Item[] = pks.map(key);
    const how = keysOnly
      ? { ConsistentRead: false, ProjectionExpression: '#pk', ExpressionAttributeNames: { '#pk': PK } }
      : { ConsistentRead: true };
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= READ_ATTEMPTS)
        throw new Error(`DynamoDB left ${pending.length} state reads unprocessed.`);
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt) * Math.random());
      const out = await client.send(
        new DirectBatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ...how } } }),
      );
      for (const item of out.Responses?.[tableName] ?? []) {
        into.set(item[PK]?.S ?? '', parseStateItem(item));
      }
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
    }
  }

  async function readAll(pks: readonly string[], keysOnly: boolean) {
    const items = new Map<string, StateItem>();
    // A few chunks at a time: a backfill can read many large card-days, and memory is 512 MB.
    await runBounded(
      chunksOf([...new Set(pks)], KEYS_PER_READ).map((chunk) => () => readChunk(chunk, items, keysOnly)),
      READ_CONCURRENCY,
    );
    return items;
  }

  const read = (pks: readonly string[]) => readAll(pks, false);
  const existing = async (pks: readonly string[]) => new Set((await readAll(pks, true)).keys());

  async function claimAlert(
    pk: string,
    claim: { token: string; nowMs: number; staleBeforeMs: number; expiresAtSec: number },
  ): Promise<ClaimResult> {
    try {
      await update({
        Key: key(pk),
        UpdateExpression: 'SET #st = :pending, #tk = :tk, #ca = :now, #x = :x',
        ConditionExpression:
          'attribute_not_exists(#st) OR #st = :released OR (#st = :pending AND #ca < :stale)',
        ExpressionAttributeNames: {
          '#st': ALERT.status,
          '#tk': ALERT.token,
          '#ca': ALERT.claimedAt,
          '#x': STATE_TABLE_KEY.ttl,
        },
        ExpressionAttributeValues: {
          ':pending': { S: 'pending' },
          ':released': { S: 'released' },
          ':tk': { S: claim.token },
          ':now': { N: String(claim.nowMs) },
          ':stale': { N: String(claim.staleBeforeMs) },
          ':x': { N: String(claim.expiresAtSec) },
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = parseAlert(error.Item ?? {}) ?? {
        status: 'pending',
        token: '',
        claimedAtMs: claim.nowMs,
      };
      // Found again: the key must outlive the state that can find it again, or it would be re-sent.
      if (current.status === 'sent') await refreshExpiry(pk, claim.expiresAtSec, { status: 'sent' });
      return { claimed: false, current };
    }
  }

  async function finishAlert(pk: string, token: string, status: 'sent' | 'released') {
    try {
      await update({
        Key: key(pk),
        UpdateExpression: 'SET #st = :st',
        ConditionExpression: '#tk = :tk',
        ExpressionAttributeNames: { '#st': ALERT.status, '#tk': ALERT.token },
        ExpressionAttributeValues: { ':st': { S: status }, ':tk': { S: token } },
      });
    } catch (error) {
      // Another invocation took the claim over after our lease: it decides now.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  const writes = dynamoStateWrites(client, tableName, { read, existing });
  return { ...writes, read, claimAlert, finishAlert };
}
