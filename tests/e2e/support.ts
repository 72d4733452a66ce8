/** Helpers of the end-to-end tests: read back what the local run stored, with real SDK clients. */
import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { LocalPipeline } from '../../tools/local/pipeline';

export const clientsFor = (pipeline: LocalPipeline) => ({
  dynamo: new DynamoDBClient({ ...pipeline.clientConfig, endpoint: pipeline.endpoints.dynamodb }),
  s3: new S3Client({ ...pipeline.clientConfig, endpoint: pipeline.endpoints.s3, forcePathStyle: true }),
});

/** Every item of the table, as DynamoDB JSON text (for scans). */
export async function tableText(dynamo: DynamoDBClient, tableName: string): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start as never }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

/** Every object under `reports/` (manifests and rejected rows), concatenated. */
export async function reportsText(s3: S3Client, bucket: string): Promise<{ keys: string[]; text: string }> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/' }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!).filter(Boolean);
  const bodies = await Promise.all(
    keys.map(async (Key) =>
      (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString(),
    ),
  );
  return { keys, text: bodies.join('\n') };
}

/** Changes a stored field behind the pipeline's back, as an insider with table access could. */
export async function tamperWith(
  dynamo: DynamoDBClient,
  tableName: string,
  transactionId: string,
  timestamp: string,
) {
  await dynamo.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { transaction_id: { S: transactionId }, timestamp: { S: timestamp } },
      UpdateExpression: 'SET amount = :amount',
      ExpressionAttributeValues: { ':amount': { N: '4200.5' } },
    }),
  );
}
