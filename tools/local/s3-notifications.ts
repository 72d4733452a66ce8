/**
 * S3 event notifications, as the bucket's notification configuration delivers them: which object
 * events reach which function (event type, key prefix and suffix filters), and the event record
 * the function receives (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 * Pure: unit-tested without a server.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { NotificationDefinition } from './definitions';

/** What the local S3 server reports for a stored or removed object. */
export interface ObjectEvent {
  /** e.g. `ObjectCreated:Put` */
  eventName: string;
  bucket: string;
  /** The raw (decoded) key. */
  key: string;
  size?: number;
  eTag?: string;
  versionId?: string;
  sequencer: string;
  sourceIp?: string;
}

/** `s3:ObjectCreated:*` matches `ObjectCreated:Put`; an exact type matches itself. */
export const eventTypeMatches = (pattern: string, eventName: string): boolean => {
  const wanted = pattern.replace(/^s3:/, '');
  return wanted.endsWith(':*') ? eventName.startsWith(wanted.slice(0, -1)) : wanted === eventName;
};

/** The notifications a given object event triggers (the filters apply to the raw key). */
export const matchingNotifications = (
  notifications: readonly NotificationDefinition[],
  event: ObjectEvent,
): NotificationDefinition[] =>
  notifications.filter(
    (n) =>
      n.events.some((pattern) => eventTypeMatches(pattern, event.eventName)) &&
      event.key.startsWith(n.prefix) &&
      event.key.endsWith(n.suffix),
  );

/** Keys in event records are URL-encoded, spaces as `+` (the validator decodes them). */
export const encodeEventKey = (key: string): string =>
  encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

export const toS3Event = (event: ObjectEvent, region: string, configurationId: string): S3Event => {
  const record: S3EventRecord = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: new Date().toISOString(),
    eventName: event.eventName,
    userIdentity: { principalId: 'AWS:LOCALMERCHANT' },
    requestParameters: { sourceIPAddress: event.sourceIp ?? '127.0.0.1' },
    responseElements: { 'x-amz-request-id': event.sequencer, 'x-amz-id-2': 'local' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: {
        name: event.bucket,
        ownerIdentity: { principalId: 'LOCAL' },
        arn: `arn:aws:s3:::${event.bucket}`,
      },
      object: {
        key: encodeEventKey(event.key),
        size: event.size ?? 0,
        eTag: event.eTag ?? '',
        ...(event.versionId ? { versionId: event.versionId } : {}),
        sequencer: event.sequencer,
      },
    },
  };
  return { Records: [record] };
};
