/**
 * The PartiQL statements of the detector's state writes, with their values as parameters. An
 * UPDATE returns the item as it is after it (`RETURNING ALL NEW *`, which BatchExecuteStatement
 * honours per statement, in `Responses[].Item`), and a conditional one that fails returns the item
 * that failed it (ALL_OLD), so a write and the read of its result are one linearizable operation,
 * as UpdateItem's ReturnValues ALL_NEW was.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.update.html
 */
import type { AttributeValue, BatchStatementRequest } from '@aws-sdk/client-dynamodb';
import { STATE_TABLE_KEY } from '../../shared/contract';
import type { Item } from './stored-item';

export type Attributes = [name: string, value: AttributeValue][];

/** `"name"` for a PartiQL path (attribute names here are letters, digits, `-`, `_`; quotes doubled anyway). */
export function quotedName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'name'` for a key of a PartiQL tuple (`INSERT … VALUE {'name': ?}`). */
export function tupleKey(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

const PK = quotedName(STATE_TABLE_KEY.partition);
const TTL = quotedName(STATE_TABLE_KEY.ttl);

/** The item an INSERT of these attributes creates: what it holds once the INSERT succeeds. */
export function insertedItem(pk: string, attributes: Attributes, expiresAtSec: number): Item {
  return {
    [STATE_TABLE_KEY.partition]: { S: pk },
    [STATE_TABLE_KEY.ttl]: { N: String(expiresAtSec) },
    ...Object.fromEntries(attributes),
  };
}

export function stateStatements(table: string) {
  const from = quotedName(table);

  /** Creates the item; fails with `DuplicateItem` when it exists. */
  function insert(pk: string, attributes: Attributes, expiresAtSec: number): BatchStatementRequest {
    const keys = Object.keys(insertedItem(pk, attributes, expiresAtSec));
    return {
      Statement: `INSERT INTO ${from} VALUE {${keys.map((k) => `${tupleKey(k)}: ?`).join(', ')}}`,
      Parameters: [{ S: pk }, { N: String(expiresAtSec) }, ...attributes.map(([, value]) => value)],
    };
  }

  /**
   * Sets the attributes (and the expiry) of an existing item, if `condition` holds; fails with
   * `ConditionalCheckFailed` when it does not (the item comes back) or the item does not exist (no
   * item comes back).
   */
  function update(
    pk: string,
    attributes: Attributes,
    expiresAtSec: number,
    condition?: { text: string; parameters: AttributeValue[] },
  ): BatchStatementRequest {
    const sets = [TTL, ...attributes.map(([name]) => quotedName(name))].map((n) => `SET ${n} = ?`).join(' ');
    const where = `${PK} = ?${condition ? ` AND (${condition.text})` : ''}`;
    return {
      Statement: `UPDATE ${from} ${sets} WHERE ${where} RETURNING ALL NEW *`,
      Parameters: [
        { N: String(expiresAtSec) },
        ...attributes.map(([, value]) => value),
        { S: pk },
        ...(condition?.parameters ?? []),
      ],
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
  }

  return { insert, update };
}

export type StateStatements = ReturnType<typeof stateStatements>;
