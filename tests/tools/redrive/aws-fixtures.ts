/**
 * What the failure queues of a deployed stack hold (Lambda's invocation records, as SQS bodies) and
 * what its stream holds, for the AWS target's tests. Stack `ci`, suffix `ci`; no card numbers.
 */
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import type { Message } from '@aws-sdk/client-sqs';
import type { AwsStack } from '../../../tools/redrive/aws-stack';

export const STACK: AwsStack = {
  stack: 'ci',
  region: 'us-east-1',
  bucket: 's3-uploads-ci',
  validator: { functionName: 'lambda-validator-ci', queueName: 'sqs-validator-failures-ci' },
  anomaly: { functionName: 'lambda-anomaly-ci', queueName: 'sqs-anomaly-failures-ci' },
};
const ACCOUNT = '123456789012';
export const QUEUE_URL = {
  validator: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/sqs-validator-failures-ci`,
  anomaly: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/sqs-anomaly-failures-ci`,
};
export const STREAM_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/dynamodb-transactions-ci/stream/2026-11-01T00:00:00.000`;
export const NOW = Date.parse('2026-11-29T12:00:00.000Z');
export const UPLOAD_KEY = 'uploads/merchant-a/up-0a1b2c3d-0000-4000-8000-00000000000a.csv';

const functionArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

/** The original S3 event of the file the validator gave up on. */
export const S3_EVENT = {
  Records: [
    {
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Post',
      eventTime: '2026-11-29T10:00:00.000Z',
      s3: { bucket: { name: 's3-uploads-ci' }, object: { key: UPLOAD_KEY, size: 120 } },
    },
  ],
};

/** An SQS message holding the invocation record of an S3 event that failed every retry. */
export function asyncFailure(messageId: string, receiptHandle = `rh-${messageId}`): Message {
  const record = {
    version: '1.0',
    timestamp: '2026-11-29T10:03:00.000Z',
    requestContext: {
      requestId: `req-${messageId}`,
      functionArn: `${functionArn('lambda-validator-ci')}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: S3_EVENT,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'the table was unavailable' },
  };
  return { MessageId: messageId, ReceiptHandle: receiptHandle, Body: JSON.stringify(record) };
}

/** An SQS message naming a stream batch (sequence 100 to 300 of one shard) that failed every retry. */
export function streamFailure(messageId: string, firstArrival = '2026-11-29T11:00:00.000Z'): Message {
  const record = {
    version: '1.0',
    timestamp: '2026-11-29T11:05:00.000Z',
    requestContext: {
      requestId: `req-${messageId}`,
      functionArn: functionArn('lambda-anomaly-ci'),
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    DDBStreamBatchInfo: {
      shardId: 'shardId-00000001700000000000-0000abcd',
      startSequenceNumber: '100',
      endSequenceNumber: '300',
      approximateArrivalOfFirstRecord: firstArrival,
      approximateArrivalOfLastRecord: firstArrival,
      batchSize: 3,
      streamArn: STREAM_ARN,
    },
  };
  return { MessageId: messageId, ReceiptHandle: `rh-${messageId}`, Body: JSON.stringify(record) };
}

/** A stream record as the DynamoDB Streams API gives it (the SDK's shape). */
export function streamRecord(sequence: number): _Record {
  return {
    eventID: `event-${sequence}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: new Date('2026-11-29T11:00:00.000Z'),
      Keys: {
        transaction_id: { S: `merchant-a#t-${sequence}` },
        timestamp: { S: '2026-11-29T10:59:00.000Z' },
      },
      NewImage: { transaction_id: { S: `merchant-a#t-${sequence}` }, blob: { B: new Uint8Array([1, 2, 3]) } },
      SequenceNumber: String(sequence),
      SizeBytes: 80,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** An Invoke answer: the function's JSON result, or its error. */
export function invokeAnswer(result: unknown, functionError?: string) {
  return {
    StatusCode: 200,
    FunctionError: functionError,
    Payload: new Uint8Array(Buffer.from(JSON.stringify(result))) as InvokeCommandOutput['Payload'],
    $metadata: { requestId: 'inv-1' },
  };
}
