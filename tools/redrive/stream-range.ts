/**
 * A stream batch read again from a DynamoDB stream on AWS: the records of one shard from the
 * batch's first sequence number to its last, in the shape Lambda gives the function. The stream
 * keeps records 24 hours; a range it trimmed is reported as lost (RecordsLostError), so the run
 * says where the rows are instead.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { toLambdaRecord } from '../local/stream-poller';
import type { StreamBatchInfo } from './messages';
import { RecordsLostError } from './redrive';

/**
 * GetRecords may answer an empty page while records lie further on in the shard ("it might take
 * multiple calls to get to a portion of the shard that contains stream records"), so a few empty
 * pages in a row are read past before giving up on reaching the batch's last record.
 */
const MAX_EMPTY_PAGES = 10;

/** The stream no longer holds these records, or no longer exists. */
const LOST = new Set(['TrimmedDataAccessException', 'ResourceNotFoundException']);

const sequenceOf = (sequence: string | undefined): bigint => BigInt(sequence ?? '0');

async function lostIfTrimmed<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (LOST.has((error as Error).name)) throw new RecordsLostError((error as Error).message);
    throw error;
  }
}

/** The batch's records, first to last; RecordsLostError when the stream no longer holds them. */
export async function readStreamRange(
  streams: DynamoDBStreamsClient,
  batch: StreamBatchInfo,
): Promise<DynamoDBRecord[]> {
  const streamArn = batch.streamArn;
  if (!streamArn) throw new Error('the message names no stream (DDBStreamBatchInfo.streamArn)');
  const end = sequenceOf(batch.endSequenceNumber);
  let iterator = (
    await lostIfTrimmed(
      streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: batch.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: batch.startSequenceNumber,
        }),
      ),
    )
  ).ShardIterator;
  const found: DynamoDBRecord[] = [];
  let complete = false;
  let emptyPages = 0;
  while (iterator && !complete && emptyPages < MAX_EMPTY_PAGES) {
    const page = await lostIfTrimmed(streams.send(new GetRecordsCommand({ ShardIterator: iterator })));
    const records = page.Records ?? [];
    emptyPages = records.length === 0 ? emptyPages + 1 : 0;
    for (const record of records) {
      const sequence = sequenceOf(record.dynamodb?.SequenceNumber);
      complete = sequence >= end;
      if (sequence > end) break;
      found.push(toLambdaRecord(record, streamArn));
      if (complete) break;
    }
    iterator = page.NextShardIterator;
  }
  if (found.length === 0) throw new RecordsLostError('none of its records is in the stream');
  if (complete) return found;
  // Part of the range only: replaying it would check some records and drop the rest from the queue.
  throw new Error(
    `read ${found.length} of its records but not its last (sequence ${batch.endSequenceNumber}); try again later`,
  );
}
