import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { StreamMappingDefinition } from '../../../tools/local/definitions';
import { startStreamPoller, toLambdaRecord } from '../../../tools/local/stream-poller';

const STREAM = 'arn:aws:dynamodb:us-east-1:1:table/t/stream/2026';
const MAPPING: StreamMappingDefinition = {
  functionName: 'anomaly',
  batchSize: 100,
  batchingWindowSeconds: 0.3,
  bisectOnError: true,
  maximumRetryAttempts: 1,
  maximumRecordAgeSeconds: 3600,
  reportBatchItemFailures: true,
  startingPosition: 'LATEST',
};
const sdkRecord = (seq: number): _Record => ({
  eventID: `e${seq}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    SequenceNumber: String(seq),
    ApproximateCreationDateTime: new Date(),
    NewImage: { transaction_id: { S: `tx-${seq}` } },
  },
});
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => sdkRecord(from + i));

/** A shard that returns the given pages of records, then nothing. */
const fakeStream = (pages: _Record[][]) => {
  const streams = mockClient(DynamoDBStreamsClient);
  streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
  streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
  let page = 0;
  streams
    .on(GetRecordsCommand)
    .callsFake(async () => ({ Records: pages[page++] ?? [], NextShardIterator: `it-${page}` }));
  return streams;
};

const run = async (pages: _Record[][], invoke: (records: DynamoDBRecord[]) => Promise<unknown>) => {
  const streams = fakeStream(pages);
  const batches: number[][] = [];
  const failures: Record<string, unknown>[] = [];
  const poller = startStreamPoller({
    client: new DynamoDBStreamsClient({ region: 'us-east-1' }),
    streamArn: STREAM,
    functionArn: 'arn:aws:lambda:us-east-1:1:function:anomaly',
    mapping: MAPPING,
    invoke: async ({ Records }) => {
      batches.push(Records.map((r) => Number(r.dynamodb!.SequenceNumber)));
      return invoke(Records);
    },
    onFailure: (record) => failures.push(record),
    pollIntervalMs: 20,
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await poller.idle();
  } finally {
    await poller.stop();
    streams.restore();
  }
  return { batches, failures };
};

describe('the local event source mapping', () => {
  test('records read in several pages wait for the batching window and go in one batch', async () => {
    const { batches } = await run([range(1, 3), range(4, 2)], async () => null);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  test('a full batch is delivered at once, in order, at most batchSize records each', async () => {
    const { batches } = await run([range(1, 250)], async () => null);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(range(1, 250).map((r) => Number(r.dynamodb!.SequenceNumber)));
  });

  test('a record that keeps failing goes to the failure destination with the batch info, not the record', async () => {
    const { failures } = await run([range(1, 2)], async (records) =>
      records.some((r) => r.dynamodb!.SequenceNumber === '2')
        ? { batchItemFailures: [{ itemIdentifier: '2' }] }
        : null,
    );
    expect(failures).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 2,
        }),
        DDBStreamBatchInfo: expect.objectContaining({
          shardId: 'shard-1',
          startSequenceNumber: '2',
          endSequenceNumber: '2',
          batchSize: 1,
          streamArn: STREAM,
        }),
      }),
    ]);
    expect(JSON.stringify(failures)).not.toContain('tx-2');
  });
});

describe('the Lambda record shape', () => {
  test('epoch seconds for the creation time, and the stream ARN', () => {
    const record = toLambdaRecord(
      {
        ...sdkRecord(7),
        dynamodb: { SequenceNumber: '7', ApproximateCreationDateTime: new Date(1_700_000_000_500) },
      },
      STREAM,
    );
    expect(record).toMatchObject({
      eventSourceARN: STREAM,
      dynamodb: { SequenceNumber: '7', ApproximateCreationDateTime: 1_700_000_000 },
    });
  });
});
