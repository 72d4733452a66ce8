/**
 * The state port on a DynamoDB table (one string key `pk`, TTL on `expires_at`). Each write is an
 * UpdateItem that returns the item as it is afterwards (ReturnValues ALL_NEW), and a conditional
 * write that loses returns the item that beat it (ReturnValuesOnConditionCheckFailure ALL_OLD), so
 * a write and the read of its result are one linearizable operation. Reads are strongly
 * consistent BatchGetItem calls. The role needs only dynamodb:UpdateItem and BatchGetItem.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { STATE_TABLE_KEY } from '../../shared/contract';
import { runBounded } from '../../shared/run-bounded';
import type { DayAggregate } from '../profile';
import { ENTRY_PREFIX } from './entries';
import {
  StateItemFullError,
  type AlertRecord,
  type AlertStatus,
  type ClaimResult,
  type StateItem,
  type StateStore,
} from './store';

export { StateItemFullError } from './store';

type Item = Record<string, AttributeValue>;

/** Entries per UpdateItem: keeps the expression far below DynamoDB's 4 KB expression limit. */
const ENTRIES_PER_UPDATE = 100;
/** BatchGetItem's limit. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
const KEYS_PER_READ = 100;
const READ_ATTEMPTS = 8;
const READ_CONCURRENCY = 4;
const DAY_ATTRIBUTE = /^([ns])(-?\d+)$/;
const ALERT = { status: 'alert_status', token: 'claim_token', claimedAt: 'claimed_at' } as const;

function parseAlert(item: Item): AlertRecord | undefined {
  const status = item[ALERT.status]?.S as AlertStatus | undefined;
  if (!status) return undefined;
  return {
    status,
    token: item[ALERT.token]?.S ?? '',
    claimedAtMs: Number(item[ALERT.claimedAt]?.N ?? 0),
  };
}

/** Reads any state item (the kinds never share attribute names). */
export function parseStateItem(item: Item | undefined): StateItem {
  const entries: Record<string, string> = {};
  const counts = new Map<number, number>();
  const sums = new Map<number, number>();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (name.startsWith(ENTRY_PREFIX) && value.S !== undefined) {
      entries[name] = value.S;
      continue;
    }
    const day = DAY_ATTRIBUTE.exec(name);
    if (day && value.N !== undefined) (day[1] === 'n' ? counts : sums).set(Number(day[2]), Number(value.N));
  }
  const days = new Map<number, DayAggregate>();
  for (const [day, count] of counts) days.set(day, { count, sum: sums.get(day) ?? 0 });
  return { entries, days, alert: item ? parseAlert(item) : undefined };
}

function isItemTooLarge(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === 'ValidationException' && /item size/i.test(e.message ?? '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function dynamoStateStore(client: DynamoDBClient, tableName: string): StateStore {
  const key = (pk: string): Item => ({ [STATE_TABLE_KEY.partition]: { S: pk } });

  async function update(input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName'>) {
    try {
      const out = await client.send(new UpdateItemCommand({ TableName: tableName, ...input }));
      return out.Attributes;
    } catch (error) {
      if (isItemTooLarge(error)) {
        const pk = input.Key?.[STATE_TABLE_KEY.partition]?.S ?? '';
        throw new StateItemFullError(
          `The detector state item ${pk.split('#').slice(0, 1).join('')}#… is full (400 KB).`,
        );
      }
      throw error;
    }
  }

  async function addEntries(pk: string, entries: Readonly<Record<string, string>>, expiresAtSec: number) {
    const names = Object.keys(entries);
    let after: Item | undefined;
    for (let from = 0; from < Math.max(names.length, 1); from += ENTRIES_PER_UPDATE) {
      const chunk = names.slice(from, from + ENTRIES_PER_UPDATE);
      const attributeNames: Record<string, string> = { '#x': STATE_TABLE_KEY.ttl };
      const values: Item = { ':x': { N: String(expiresAtSec) } };
      const sets = ['#x = :x'];
      chunk.forEach((name, i) => {
        attributeNames[`#e${i}`] = name;
        values[`:e${i}`] = { S: entries[name] };
        sets.push(`#e${i} = :e${i}`);
      });
      after = await update({
        Key: key(pk),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: attributeNames,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      });
    }
    return parseStateItem(after);
  }

  async function recordDay(pk: string, day: number, aggregate: DayAggregate, expiresAtSec: number) {
    try {
      const after = await update({
        Key: key(pk),
        UpdateExpression: 'SET #n = :n, #s = :s, #x = :x',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :n',
        ExpressionAttributeNames: { '#n': `n${day}`, '#s': `s${day}`, '#x': STATE_TABLE_KEY.ttl },
        ExpressionAttributeValues: {
          ':n': { N: String(aggregate.count) },
          ':s': { N: String(aggregate.sum) },
          ':x': { N: String(expiresAtSec) },
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return parseStateItem(after);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The day was already as complete; the item still lives on from this write.
      await refreshExpiry(pk, expiresAtSec);
      return parseStateItem(error.Item);
    }
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

  async function readChunk(pks: readonly string[], into: Map<string, StateItem>): Promise<void> {
    let pending: Item[] = pks.map(key);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= READ_ATTEMPTS)
        throw new Error(`DynamoDB left ${pending.length} state reads unprocessed.`);
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt) * Math.random());
      const out = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[tableName] ?? []) {
        into.set(item[STATE_TABLE_KEY.partition]?.S ?? '', parseStateItem(item));
      }
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
    }
  }

  async function read(pks: readonly string[]) {
    const unique = [...new Set(pks)];
    const items = new Map<string, StateItem>();
    const chunks: string[][] = [];
    for (let from = 0; from < unique.length; from += KEYS_PER_READ)
      chunks.push(unique.slice(from, from + KEYS_PER_READ));
    // A few chunks at a time: a backfill can read many large card-days, and memory is 512 MB.
    await runBounded(
      chunks.map((chunk) => () => readChunk(chunk, items)),
      READ_CONCURRENCY,
    );
    return items;
  }

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

  return { addEntries, recordDay, read, claimAlert, finishAlert };
}
