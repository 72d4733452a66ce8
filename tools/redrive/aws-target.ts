/**
 * The failure queues of a deployed stack (`npm run redrive -- --stack NAME`): the two SQS on-failure
 * destinations, replayed by invoking the stack's functions synchronously. Credentials come from the
 * SDK's default chain (AWS_PROFILE, SSO, environment, instance role), or the stack file's
 * aws:profile; AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULTS, KEYS } from '../../lambda/shared/contract';
import { parseUploadKey } from '../../lambda/validator/upload-key';
import { unavailableOr } from './aws-errors';
import type { AwsStack, FailingFunction } from './aws-stack';
import { invokeAndWait } from './lambda-invoke';
import { readMessage, type RedriveMessage } from './messages';
import type { RedriveTarget } from './redrive';
import { deleteReceived, queueUrlOf, receiveAll, type ReceivedMessage } from './sqs-queue';
import { readStreamRange } from './stream-range';

type Message<K extends RedriveMessage['kind']> = Extract<RedriveMessage, { kind: K }>;

/**
 * A dry run only looks, so it hides each message from other readers briefly: 10 s pages through
 * about a thousand messages before the first comes back (each poll takes tens of milliseconds), and
 * keeps the queue's ApproximateNumberOfMessagesVisible, which the failure alarm samples each minute,
 * from reading 0 for long (which would clear the alarm and fire it again). A message that comes back
 * before the listing ends is recognised by its MessageId, never listed twice, and never deleted.
 */
export const DRY_RUN_VISIBILITY_SECONDS = 10;
/**
 * `--apply` keeps each message hidden while it is replayed, so that no other reader replays it at
 * the same time: the longest replay (the validator's timeout) and a margin for the stream re-read
 * and the calls around it. A message replayed later than that in a long run may come back meanwhile;
 * its newest receipt handle still deletes it, and a second replay by someone else is harmless.
 */
export const APPLY_VISIBILITY_SECONDS =
  Math.max(DEFAULTS.validatorTimeoutSeconds, DEFAULTS.anomalyTimeoutSeconds) + 60;

export interface AwsTarget extends RedriveTarget {
  close(): void;
}

/** `uploads/{merchant}/{upload}.csv` -> where its manifest (the outcome of the replay) is. */
function manifestOf(bucket: string, key: string): string {
  const upload = parseUploadKey(key);
  return upload
    ? `s3://${bucket}/${KEYS.manifestKey(upload.merchantId, upload.uploadId)}`
    : 'not an upload key';
}

/** A message names the function it failed in; only the stack's own function of that kind is invoked. */
function assertFunction(m: Message<'async' | 'stream'>, expected: FailingFunction, stack: string): void {
  if (m.functionName !== expected.functionName) {
    throw new Error(
      `it names ${m.functionName}, not ${expected.functionName} of stack ${stack}: not replayed`,
    );
  }
}

export function awsTarget(stack: AwsStack, options: { readonly apply: boolean }): AwsTarget {
  const client = { region: stack.region, ...(stack.profile ? { profile: stack.profile } : {}) };
  const sqs = new SQSClient(client);
  const lambda = new LambdaClient(client);
  const streams = new DynamoDBStreamsClient(client);
  const received = new Map<RedriveMessage, ReceivedMessage>();
  const visibility = options.apply ? APPLY_VISIBILITY_SECONDS : DRY_RUN_VISIBILITY_SECONDS;

  async function listQueue(queueName: string): Promise<RedriveMessage[]> {
    try {
      const messages = await receiveAll(sqs, await queueUrlOf(sqs, queueName), visibility);
      return messages.map((r) => {
        const m = readMessage(r.body, `message ${r.messageId}`);
        received.set(m, r);
        return m;
      });
    } catch (error) {
      throw unavailableOr(error, `cannot read ${queueName}`);
    }
  }

  async function invoke<T>(functionName: string, event: unknown) {
    try {
      return await invokeAndWait<T>(lambda, functionName, event);
    } catch (error) {
      throw unavailableOr(error, `cannot invoke ${functionName}`);
    }
  }

  return {
    description: `stack ${stack.stack} on AWS (${stack.region}: ${stack.validator.queueName}, ${stack.anomaly.queueName})`,
    async list() {
      return [...(await listQueue(stack.validator.queueName)), ...(await listQueue(stack.anomaly.queueName))];
    },
    async replayAsync(m) {
      assertFunction(m, stack.validator, stack.stack);
      const { requestId } = await invoke(m.functionName, m.event);
      const manifests = m.objectKeys.map((key) => manifestOf(stack.bucket, key)).join(', ');
      return `${m.functionName} finished without an error (request ${requestId}); the counts are in ${manifests}`;
    },
    async replayStream(m) {
      assertFunction(m, stack.anomaly, stack.stack);
      const records = await readStreamRange(streams, m.batch).catch((error: unknown) => {
        throw unavailableOr(error, `cannot read ${m.batch.streamArn}`);
      });
      const { requestId, result } = await invoke<{ batchItemFailures?: unknown[] }>(m.functionName, {
        Records: records,
      });
      const failed = result?.batchItemFailures?.length ?? 0;
      if (failed > 0)
        throw new Error(`${failed} of ${records.length} records failed again (request ${requestId})`);
      return `${records.length} records checked again (request ${requestId})`;
    },
    async remove(m) {
      const message = received.get(m);
      if (!message) throw new Error('it was not received in this run');
      try {
        await deleteReceived(sqs, message);
      } catch (error) {
        throw unavailableOr(error, `cannot delete from ${message.queueUrl.split('/').pop()}`);
      }
      received.delete(m);
    },
    close() {
      sqs.destroy();
      lambda.destroy();
      streams.destroy();
    },
  };
}
