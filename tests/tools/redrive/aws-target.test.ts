/**
 * `npm run redrive -- --stack NAME` against a deployed stack, with SQS, Lambda and DynamoDB Streams
 * mocked (aws-sdk-client-mock): what is read, invoked and deleted, and what each line says.
 */
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  APPLY_VISIBILITY_SECONDS,
  awsTarget,
  DRY_RUN_VISIBILITY_SECONDS,
} from '../../../tools/redrive/aws-target';
import { exitCodeOf, runRedrive, TargetUnavailableError } from '../../../tools/redrive/redrive';
import {
  asyncFailure,
  invokeAnswer,
  NOW,
  QUEUE_URL,
  S3_EVENT,
  STACK,
  STREAM_ARN,
  streamFailure,
  streamRecord,
} from './aws-fixtures';

/** A record of the event the detector was invoked with (JSON, as Lambda delivers it). */
interface SentRecord {
  eventSource: string;
  eventSourceARN: string;
  dynamodb: {
    SequenceNumber: string;
    ApproximateCreationDateTime: number;
    NewImage: Record<string, unknown>;
  };
}

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const streams = mockClient(DynamoDBStreamsClient);

/** Each queue hands out its messages once, then nothing (they are hidden while in flight). */
function queues(validator: Message[], anomaly: Message[]) {
  sqs
    .on(GetQueueUrlCommand, { QueueName: STACK.validator.queueName })
    .resolves({ QueueUrl: QUEUE_URL.validator });
  sqs
    .on(GetQueueUrlCommand, { QueueName: STACK.anomaly.queueName })
    .resolves({ QueueUrl: QUEUE_URL.anomaly });
  sqs
    .on(ReceiveMessageCommand, { QueueUrl: QUEUE_URL.validator })
    .resolvesOnce({ Messages: validator })
    .resolves({});
  sqs
    .on(ReceiveMessageCommand, { QueueUrl: QUEUE_URL.anomaly })
    .resolvesOnce({ Messages: anomaly })
    .resolves({});
  sqs.on(DeleteMessageCommand).resolves({});
}

async function run(apply: boolean) {
  const target = awsTarget(STACK, { apply });
  const lines: string[] = [];
  try {
    const summary = await runRedrive(target, { apply, say: (l) => lines.push(l), now: () => NOW });
    return { lines, summary, code: exitCodeOf(summary, apply) };
  } finally {
    target.close();
  }
}

const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input);
const invoked = () =>
  lambda.commandCalls(InvokeCommand).map((c) => ({
    FunctionName: c.args[0].input.FunctionName,
    InvocationType: c.args[0].input.InvocationType,
    event: JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString('utf8')),
  }));

beforeEach(() => {
  sqs.reset();
  lambda.reset();
  streams.reset();
});

describe('npm run redrive on AWS', () => {
  it('lists both failure queues in a dry run, hiding messages only briefly, and deletes nothing', async () => {
    queues([asyncFailure('a')], [streamFailure('b')]);
    const { lines, code } = await run(false);
    expect(lines[0]).toBe(
      'redrive: stack ci on AWS (us-east-1: sqs-validator-failures-ci, sqs-anomaly-failures-ci) (dry run: add --apply to replay)',
    );
    expect(lines[1]).toMatch(
      /^\[1\/2\] lambda-validator-ci uploads\/merchant-a\/up-.*\.csv \(RetriesExhausted: .*\): would replay$/,
    );
    expect(lines[2]).toMatch(
      /^\[2\/2\] lambda-anomaly-ci shard .* sequence 100\.\.300 \(3 records\) .*: would replay$/,
    );
    expect(code).toBe(1);
    const visibility = sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input.VisibilityTimeout);
    expect(new Set(visibility)).toEqual(new Set([DRY_RUN_VISIBILITY_SECONDS]));
    expect(DRY_RUN_VISIBILITY_SECONDS).toBeLessThanOrEqual(10);
    expect(deleted()).toEqual([]);
    expect(invoked()).toEqual([]);
  });

  it('replays a file with its original S3 event, synchronously, then deletes its message', async () => {
    queues([asyncFailure('a')], []);
    lambda.on(InvokeCommand).resolves(invokeAnswer(null));
    const { lines, summary, code } = await run(true);
    expect(invoked()).toEqual([
      { FunctionName: 'lambda-validator-ci', InvocationType: 'RequestResponse', event: S3_EVENT },
    ]);
    expect(deleted()).toEqual([{ QueueUrl: QUEUE_URL.validator, ReceiptHandle: 'rh-a' }]);
    expect(lines[1]).toMatch(
      /: replayed: lambda-validator-ci finished without an error \(request inv-1\); the counts are in s3:\/\/s3-uploads-ci\/reports\/merchant-a\/up-.*\.json$/,
    );
    expect(summary).toEqual({ listed: 1, replayed: 1, failed: 0, lost: 0 });
    expect(code).toBe(0);
    // Hidden for the whole replay: longer than the validator may run.
    expect(sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input.VisibilityTimeout).toBe(
      APPLY_VISIBILITY_SECONDS,
    );
    expect(APPLY_VISIBILITY_SECONDS).toBeGreaterThan(290);
  });

  it('keeps a message whose function fails again, and says what the function said', async () => {
    queues([asyncFailure('a')], []);
    lambda
      .on(InvokeCommand)
      .resolves(invokeAnswer({ errorType: 'Error', errorMessage: 'still broken' }, 'Unhandled'));
    const { lines, summary, code } = await run(true);
    expect(lines[1]).toMatch(
      /: failed again, kept in the queue: lambda-validator-ci failed \(request inv-1\): Error: still broken$/,
    );
    expect(deleted()).toEqual([]);
    expect(summary).toEqual({ listed: 1, replayed: 0, failed: 1, lost: 0 });
    expect(code).toBe(1);
  });

  it('re-reads a stream batch the stream still holds and invokes the detector with exactly its records', async () => {
    queues([], [streamFailure('b')]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({ Records: [streamRecord(100), streamRecord(200)], NextShardIterator: 'it-2' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'it-2' })
      .resolves({ Records: [], NextShardIterator: 'it-3' });
    streams
      .on(GetRecordsCommand, { ShardIterator: 'it-3' })
      .resolves({ Records: [streamRecord(300), streamRecord(400)], NextShardIterator: 'it-4' });
    lambda.on(InvokeCommand).resolves(invokeAnswer({ batchItemFailures: [] }));
    const { lines, code } = await run(true);

    expect(streams.commandCalls(GetShardIteratorCommand)[0].args[0].input).toEqual({
      StreamArn: STREAM_ARN,
      ShardId: 'shardId-00000001700000000000-0000abcd',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: '100',
    });
    const [call] = invoked();
    expect(call.FunctionName).toBe('lambda-anomaly-ci');
    expect(call.InvocationType).toBe('RequestResponse');
    const records = (call.event as { Records: SentRecord[] }).Records;
    expect(records.map((r) => r.dynamodb.SequenceNumber)).toEqual(['100', '200', '300']);
    // Lambda's event shape: the source ARN, epoch seconds, binary values in base64.
    expect(records[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventSourceARN: STREAM_ARN });
    expect(records[0].dynamodb.ApproximateCreationDateTime).toBe(
      Date.parse('2026-11-29T11:00:00.000Z') / 1000,
    );
    expect(records[0].dynamodb.NewImage.blob).toEqual({ B: 'AQID' });
    expect(deleted()).toEqual([{ QueueUrl: QUEUE_URL.anomaly, ReceiptHandle: 'rh-b' }]);
    expect(lines[1]).toMatch(/: replayed: 3 records checked again \(request inv-1\)$/);
    expect(code).toBe(0);
  });

  it('keeps a stream batch whose records fail again in the detector', async () => {
    queues([], [streamFailure('b')]);
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    streams
      .on(GetRecordsCommand)
      .resolves({ Records: [100, 200, 300].map(streamRecord), NextShardIterator: 'it-2' });
    lambda.on(InvokeCommand).resolves(invokeAnswer({ batchItemFailures: [{ itemIdentifier: '200' }] }));
    const { lines, summary } = await run(true);
    expect(lines[1]).toMatch(/: failed again, kept in the queue: 1 of 3 records failed again/);
    expect(deleted()).toEqual([]);
    expect(summary.failed).toBe(1);
  });

  it('reports a range the stream has trimmed as lost, with where its rows are, and keeps the message', async () => {
    queues([], [streamFailure('b')]);
    streams
      .on(GetShardIteratorCommand)
      .rejects(new TrimmedDataAccessException({ message: 'trimmed', $metadata: {} }));
    const { lines, summary, code } = await run(true);
    expect(lines[1]).toMatch(
      /: lost: the stream no longer holds 3 record\(s\) of shard .*read their rows from the table/,
    );
    expect(invoked()).toEqual([]);
    expect(deleted()).toEqual([]);
    expect(summary).toEqual({ listed: 1, replayed: 0, failed: 0, lost: 1 });
    expect(code).toBe(1);
  });

  it('does not invoke a function of another stack that a message names', async () => {
    const foreign = asyncFailure('a');
    foreign.Body = foreign.Body!.replace(/lambda-validator-ci/g, 'lambda-validator-prod');
    queues([foreign], []);
    const { lines } = await run(true);
    expect(lines[1]).toMatch(
      /failed again, kept in the queue: it names lambda-validator-prod, not lambda-validator-ci/,
    );
    expect(invoked()).toEqual([]);
    expect(deleted()).toEqual([]);
  });

  it('stops with one line when AWS denies reading a queue', async () => {
    queues([], []);
    const denied = Object.assign(
      new Error('User: arn:aws:iam::123456789012:user/ops is not authorized to perform: sqs:receivemessage'),
      {
        name: 'AccessDenied',
      },
    );
    sqs.on(ReceiveMessageCommand, { QueueUrl: QUEUE_URL.validator }).rejects(denied);
    const error = await run(false).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toMatch(
      /^cannot read sqs-validator-failures-ci: AccessDenied: User: .* not authorized .* \(README "npm run redrive" lists the permissions it needs\)$/,
    );
  });

  it('stops with one line when the validator may not be invoked, instead of failing every message', async () => {
    queues([asyncFailure('a'), asyncFailure('c')], []);
    lambda.on(InvokeCommand).rejects(
      Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), {
        name: 'AccessDeniedException',
      }),
    );
    await expect(run(true)).rejects.toThrow(/^cannot invoke lambda-validator-ci: AccessDeniedException: /);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(deleted()).toEqual([]);
  });
});
