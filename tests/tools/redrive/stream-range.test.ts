/** A stream batch read again on AWS: exactly its range, or lost, or (part read) failed for now. */
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import type { StreamBatchInfo } from '../../../tools/redrive/messages';
import { RecordsLostError } from '../../../tools/redrive/redrive';
import { readStreamRange } from '../../../tools/redrive/stream-range';
import { STREAM_ARN, streamRecord } from './aws-fixtures';

const streams = mockClient(DynamoDBStreamsClient);
const client = () => new DynamoDBStreamsClient({ region: 'us-east-1' });
const BATCH: StreamBatchInfo = {
  shardId: 'shardId-1',
  startSequenceNumber: '100',
  endSequenceNumber: '300',
  approximateArrivalOfFirstRecord: '2026-11-29T11:00:00.000Z',
  approximateArrivalOfLastRecord: '2026-11-29T11:00:00.000Z',
  batchSize: 3,
  streamArn: STREAM_ARN,
};
const sequences = (records: Awaited<ReturnType<typeof readStreamRange>>) =>
  records.map((r) => r.dynamodb?.SequenceNumber);

beforeEach(() => {
  streams.reset();
  streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
});

describe('reading a stream batch again', () => {
  it('compares sequence numbers as numbers, not text', async () => {
    const batch = { ...BATCH, startSequenceNumber: '9', endSequenceNumber: '10' };
    streams
      .on(GetRecordsCommand)
      .resolves({ Records: [9, 10, 11].map(streamRecord), NextShardIterator: 'it-2' });
    expect(sequences(await readStreamRange(client(), batch))).toEqual(['9', '10']);
  });

  it('ends at a closed shard once its last record is read', async () => {
    streams.on(GetRecordsCommand).resolves({ Records: [100, 200, 300].map(streamRecord) });
    expect(sequences(await readStreamRange(client(), BATCH))).toEqual(['100', '200', '300']);
  });

  it('says the records are lost when the stream or shard no longer exists', async () => {
    streams
      .on(GetShardIteratorCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    await expect(readStreamRange(client(), BATCH)).rejects.toBeInstanceOf(RecordsLostError);
  });

  it('says the records are lost when they are trimmed while being read', async () => {
    streams
      .on(GetRecordsCommand)
      .rejects(new TrimmedDataAccessException({ message: 'trimmed', $metadata: {} }));
    await expect(readStreamRange(client(), BATCH)).rejects.toBeInstanceOf(RecordsLostError);
  });

  it('does not replay part of a batch: without its last record it fails, to be tried again', async () => {
    streams.on(GetRecordsCommand).resolves({ Records: [], NextShardIterator: 'it-2' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({ Records: [streamRecord(100)], NextShardIterator: 'it-2' });
    const error = await readStreamRange(client(), BATCH).catch((e: Error) => e);
    expect(error).not.toBeInstanceOf(RecordsLostError);
    expect((error as Error).message).toMatch(/read 1 of its records but not its last \(sequence 300\)/);
    // A bounded number of empty pages, not a loop forever.
    expect(streams.commandCalls(GetRecordsCommand).length).toBeLessThanOrEqual(12);
  });
});
