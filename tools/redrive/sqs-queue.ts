/**
 * Reading a failure queue whole, without deleting anything. SQS has no "peek": a received message
 * is hidden from every other reader for its visibility timeout, then comes back by itself. So the
 * queue is paged through with a timeout chosen for the purpose (see aws-target.ts), each message
 * kept once by its MessageId, until a poll brings nothing new.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 */
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** One message as received; the receipt handle is the latest one, the only one that deletes it. */
export interface ReceivedMessage {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
  receiptHandle: string;
}

/** SQS returns at most 10 messages per call. */
const MAX_PER_POLL = 10;
/**
 * Long polling asks every SQS server, so an empty answer means the queue has no visible message; a
 * short poll samples some servers and may answer empty while messages wait.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
 */
const WAIT_SECONDS = 1;

export async function queueUrlOf(sqs: SQSClient, queueName: string): Promise<string> {
  const answer = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  if (!answer.QueueUrl) throw new Error(`SQS gave no URL for ${queueName}`);
  return answer.QueueUrl;
}

/**
 * Every message of the queue, each once. A poll that brings no message not seen before ends it:
 * either the queue has nothing visible left, or the first messages came back after their visibility
 * timeout, which means all were seen (the timeout is far longer than a page takes). A message seen
 * again keeps its newest receipt handle, as DeleteMessage requires.
 */
export async function receiveAll(
  sqs: SQSClient,
  queueUrl: string,
  visibilityTimeoutSeconds: number,
): Promise<ReceivedMessage[]> {
  const seen = new Map<string, ReceivedMessage>();
  for (;;) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: MAX_PER_POLL,
        VisibilityTimeout: visibilityTimeoutSeconds,
        WaitTimeSeconds: WAIT_SECONDS,
      }),
    );
    let fresh = 0;
    for (const m of page.Messages ?? []) {
      if (!m.MessageId || !m.ReceiptHandle) continue;
      const known = seen.get(m.MessageId);
      if (known) {
        known.receiptHandle = m.ReceiptHandle;
        continue;
      }
      seen.set(m.MessageId, {
        queueUrl,
        messageId: m.MessageId,
        body: m.Body ?? '',
        receiptHandle: m.ReceiptHandle,
      });
      fresh++;
    }
    if (fresh === 0) return [...seen.values()];
  }
}

export async function deleteReceived(sqs: SQSClient, message: ReceivedMessage): Promise<void> {
  await sqs.send(
    new DeleteMessageCommand({ QueueUrl: message.queueUrl, ReceiptHandle: message.receiptHandle }),
  );
}
