import {
  lostBatchAdvice,
  readMessage,
  stillInStream,
  STREAM_RETENTION_MS,
} from '../../../tools/redrive/messages';

/** An invocation record as Lambda sends an S3 event that failed every retry to its destination. */
const asyncRecord = {
  version: '1.0',
  timestamp: '2026-11-29T10:00:00.000Z',
  requestContext: {
    requestId: 'req-1',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lambda-validator-dev:$LATEST',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: {
    Records: [
      { s3: { bucket: { name: 's3-uploads-dev' }, object: { key: 'uploads/merchant-a/up-1%2Bx.csv' } } },
    ],
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: {
    errorType: 'SecretUnavailableError',
    errorMessage: 'the card-hash key could not be read',
  },
};

const streamRecord = {
  requestContext: {
    requestId: 'req-2',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lambda-anomaly-dev',
    condition: 'RetryAttemptsExhausted',
  },
  DDBStreamBatchInfo: {
    shardId: 'shardId-0001#v2',
    startSequenceNumber: '100',
    endSequenceNumber: '180',
    approximateArrivalOfFirstRecord: '2026-11-29T10:00:00.000Z',
    approximateArrivalOfLastRecord: '2026-11-29T10:00:05.000Z',
    batchSize: 3,
    streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x',
  },
};

describe('a failure queue message', () => {
  it('of an asynchronous event names the function, the file and why it failed, and keeps the event', () => {
    expect(readMessage(JSON.stringify(asyncRecord), 'm-1')).toEqual({
      kind: 'async',
      id: 'req-1',
      functionName: 'lambda-validator-dev',
      condition: 'RetriesExhausted',
      error: 'SecretUnavailableError: the card-hash key could not be read',
      event: asyncRecord.requestPayload,
      objectKeys: ['uploads/merchant-a/up-1+x.csv'],
    });
  });

  it('of a stream batch names its shard range', () => {
    const message = readMessage(JSON.stringify(streamRecord), 'm-2');
    expect(message).toMatchObject({
      kind: 'stream',
      id: 'req-2',
      functionName: 'lambda-anomaly-dev',
      batch: {
        shardId: 'shardId-0001#v2',
        startSequenceNumber: '100',
        endSequenceNumber: '180',
        batchSize: 3,
      },
    });
  });

  it('that is not a record Lambda writes is unreadable, with the reason', () => {
    expect(readMessage('not json', 'm-3')).toEqual({
      kind: 'unreadable',
      id: 'm-3',
      reason: 'the message is not JSON',
    });
    expect(readMessage(JSON.stringify({ requestPayload: { hello: 1 } }), 'm-4')).toMatchObject({
      kind: 'unreadable',
      reason: 'its requestPayload is not an S3 event',
    });
  });
});

describe('a stream batch', () => {
  const message = readMessage(JSON.stringify(streamRecord), 'm-2');
  if (message.kind !== 'stream') throw new Error('expected a stream message');
  const first = Date.parse(streamRecord.DDBStreamBatchInfo.approximateArrivalOfFirstRecord);

  it('can be read again for 24 hours after its first record was written, not after', () => {
    expect(stillInStream(message.batch, first + STREAM_RETENTION_MS - 1)).toBe(true);
    expect(stillInStream(message.batch, first + STREAM_RETENTION_MS)).toBe(false);
  });

  it('once lost, is described with what was lost and where its rows are', () => {
    expect(lostBatchAdvice(message)).toMatch(
      /^the stream no longer holds 3 record\(s\) of shard shardId-0001#v2 \(sequence 100 to 180, written 2026-11-29T10:00:00.000Z to 2026-11-29T10:00:05.000Z\).*by upload_id$/,
    );
  });
});
