/**
 * What a failure queue holds, read into what can be replayed. Lambda writes an invocation record
 * for an asynchronous event that failed every retry (its `requestPayload` is the original event) and
 * one for a stream batch that failed every retry (`DDBStreamBatchInfo` names the shard range):
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 * Pure: the local failure file and SQS both hand these records over as JSON text.
 */

/** The shard range of a stream batch, as the record names it. */
export interface StreamBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

interface Common {
  /** The record's request id: what the function's logs name, and how a message is removed. */
  readonly id: string;
  readonly functionName: string;
  /** RetriesExhausted, EventAgeExceeded, RecordAgeExceeded… */
  readonly condition: string;
  readonly error: string;
}

export type RedriveMessage =
  | (Common & { readonly kind: 'async'; readonly event: unknown; readonly objectKeys: readonly string[] })
  | (Common & { readonly kind: 'stream'; readonly batch: StreamBatchInfo })
  | { readonly kind: 'unreadable'; readonly id: string; readonly reason: string };

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** `arn:aws:lambda:…:function:NAME[:qualifier]` -> NAME. */
function functionNameOf(record: Json): string {
  const arn = text(obj(record.requestContext).functionArn);
  return text(record.functionName) || arn.split(':function:').pop()?.split(':')[0] || 'unknown function';
}

function errorOf(record: Json): string {
  const response = obj(record.responsePayload);
  const message = text(response.errorMessage) || text(obj(record.error).message) || text(record.error);
  const type = text(response.errorType) || text(obj(record.error).name);
  return [type, message].filter(Boolean).join(': ') || 'no error recorded';
}

/** The object keys of an S3 event (URL-encoded in the event, as S3 sends them). */
function objectKeysOf(event: unknown): string[] {
  const records = obj(event).Records;
  if (!Array.isArray(records)) return [];
  return records.map((r) => decodeURIComponent(text(obj(obj(obj(r).s3).object).key).replace(/\+/g, ' ')));
}

/** One message of a failure queue (its JSON body), or why it cannot be replayed. */
export function readMessage(body: string, fallbackId: string): RedriveMessage {
  let record: Json;
  try {
    record = obj(JSON.parse(body));
  } catch {
    return { kind: 'unreadable', id: fallbackId, reason: 'the message is not JSON' };
  }
  const context = obj(record.requestContext);
  const common = {
    id: text(context.requestId) || fallbackId,
    functionName: functionNameOf(record),
    condition: text(context.condition) || 'unknown condition',
    error: errorOf(record),
  };
  const batch = obj(record.DDBStreamBatchInfo);
  if (text(batch.shardId) && text(batch.startSequenceNumber) && text(batch.endSequenceNumber)) {
    return {
      ...common,
      kind: 'stream',
      batch: {
        shardId: text(batch.shardId),
        startSequenceNumber: text(batch.startSequenceNumber),
        endSequenceNumber: text(batch.endSequenceNumber),
        approximateArrivalOfFirstRecord: text(batch.approximateArrivalOfFirstRecord),
        approximateArrivalOfLastRecord: text(batch.approximateArrivalOfLastRecord),
        batchSize: Number(batch.batchSize ?? 0),
        streamArn: text(batch.streamArn),
      },
    };
  }
  if ('requestPayload' in record) {
    const keys = objectKeysOf(record.requestPayload);
    if (keys.length === 0)
      return { kind: 'unreadable', id: common.id, reason: 'its requestPayload is not an S3 event' };
    return { ...common, kind: 'async', event: record.requestPayload, objectKeys: keys };
  }
  return {
    kind: 'unreadable',
    id: common.id,
    reason: 'it is neither an invocation record (requestPayload) nor a stream batch (DDBStreamBatchInfo)',
  };
}

/** DynamoDB Streams keeps records 24 hours: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html */
export const STREAM_RETENTION_MS = 24 * 3600 * 1000;

/** Whether the stream may still hold the whole batch (its first record is younger than 24 h). */
export function stillInStream(batch: StreamBatchInfo, nowMs: number): boolean {
  const first = Date.parse(batch.approximateArrivalOfFirstRecord);
  return !Number.isNaN(first) && nowMs - first < STREAM_RETENTION_MS;
}

/** What was lost when a batch left the stream, and where its rows are. */
export function lostBatchAdvice(m: Extract<RedriveMessage, { kind: 'stream' }>): string {
  const b = m.batch;
  return (
    `the stream no longer holds ${b.batchSize} record(s) of shard ${b.shardId} ` +
    `(sequence ${b.startSequenceNumber} to ${b.endSequenceNumber}, written ${b.approximateArrivalOfFirstRecord} ` +
    `to ${b.approximateArrivalOfLastRecord}), so they were never checked for fraud: find the uploads ` +
    'whose manifests (reports/) finished in that interval and read their rows from the table by upload_id'
  );
}
