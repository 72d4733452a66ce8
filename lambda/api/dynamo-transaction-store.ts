/**
 * TransactionStore on DynamoDB: one Query on the partition key (all versions of one merchant's id), only the
 * attributes the API shows (not the card hash), amounts kept as exact decimal strings.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.html
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ATTR, transactionKey } from '../shared/contract';
import type { TransactionStore } from './ports';

const SHOWN = [
  ATTR.transactionId,
  ATTR.timestamp,
  ATTR.merchantId,
  ATTR.amount,
  ATTR.currency,
  ATTR.cardLast4,
  ATTR.cardType,
  ATTR.country,
  ATTR.description,
  ATTR.uploadId,
];

// `timestamp` is a DynamoDB reserved word, so every name goes through a placeholder.
const names = Object.fromEntries(SHOWN.map((name, index) => [`#a${index}`, name]));

export const dynamoTransactionStore = (dynamo: DynamoDBClient, tableName: string): TransactionStore => ({
  versions: async (merchantId, transactionId) => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamo.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :id',
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: { ...names, '#pk': ATTR.transactionId },
          ExpressionAttributeValues: { ':id': { S: transactionKey(merchantId, transactionId) } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? [])
        items.push(unmarshall(item, { wrapNumbers: (value: string) => value }));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  },
});
