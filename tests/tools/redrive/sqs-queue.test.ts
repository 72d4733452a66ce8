/** Reading a failure queue whole without deleting: pages of 10, each message once, newest handle kept. */
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { receiveAll } from '../../../tools/redrive/sqs-queue';

const sqs = mockClient(SQSClient);
const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/sqs-validator-failures-ci';
const message = (id: number, handle = `rh-${id}`): Message => ({
  MessageId: `m-${id}`,
  ReceiptHandle: handle,
  Body: `{"n":${id}}`,
});
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

beforeEach(() => sqs.reset());

describe('receiving a whole failure queue', () => {
  it('pages until a poll brings nothing, with long polling and the visibility timeout it is given', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: range(1, 10) })
      .resolvesOnce({ Messages: range(11, 20) })
      .resolvesOnce({ Messages: range(21, 23) })
      .resolves({});
    const all = await receiveAll(new SQSClient({ region: 'us-east-1' }), URL, 10);
    expect(all.map((m) => m.messageId)).toEqual(range(1, 23).map((m) => m.MessageId));
    const calls = sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(4);
    for (const input of calls) {
      expect(input).toEqual({
        QueueUrl: URL,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 10,
        WaitTimeSeconds: 1,
      });
    }
  });

  it('lists a message that comes back once, and keeps its newest receipt handle for the delete', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: range(1, 10) })
      .resolvesOnce({ Messages: [message(1, 'rh-1-again'), message(11)] })
      .resolves({ Messages: [message(2, 'rh-2-again')] });
    const all = await receiveAll(new SQSClient({ region: 'us-east-1' }), URL, 10);
    expect(all).toHaveLength(11);
    expect(all.find((m) => m.messageId === 'm-1')?.receiptHandle).toBe('rh-1-again');
    expect(all.find((m) => m.messageId === 'm-2')?.receiptHandle).toBe('rh-2-again');
    // The third poll brought only a message already seen: every message was seen, the listing ends.
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(3);
  });

  it('ends at once on an empty queue', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });
    expect(await receiveAll(new SQSClient({ region: 'us-east-1' }), URL, 10)).toEqual([]);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
  });
});
