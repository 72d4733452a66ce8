import type { NotificationDefinition } from '../../../tools/local/definitions';
import {
  encodeEventKey,
  eventTypeMatches,
  matchingNotifications,
  toS3Event,
  type ObjectEvent,
} from '../../../tools/local/s3-notifications';

const NOTIFICATION: NotificationDefinition = {
  functionName: 'validator',
  events: ['s3:ObjectCreated:*'],
  prefix: 'uploads/',
  suffix: '.csv',
};
const event = (key: string, eventName = 'ObjectCreated:Put'): ObjectEvent => ({
  eventName,
  bucket: 'bucket',
  key,
  size: 10,
  eTag: 'abc',
  sequencer: '0A1B',
});

describe('S3 notification filters', () => {
  test.each([
    ['s3:ObjectCreated:*', 'ObjectCreated:Put', true],
    ['s3:ObjectCreated:*', 'ObjectCreated:CompleteMultipartUpload', true],
    ['s3:ObjectCreated:*', 'ObjectRemoved:Delete', false],
    ['s3:ObjectCreated:Put', 'ObjectCreated:Post', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(eventTypeMatches(pattern, name)).toBe(expected);
  });

  test.each([
    ['uploads/merchant-a/up-1.csv', true],
    ['reports/merchant-a/up-1.json', false],
    ['reports/merchant-a/up-1.rejects.csv', false],
    ['uploads/merchant-a/up-1.txt', false],
  ])('%s triggers the validator: %s', (key, expected) => {
    expect(matchingNotifications([NOTIFICATION], event(key))).toHaveLength(expected ? 1 : 0);
  });

  test('a removed object triggers nothing', () => {
    expect(matchingNotifications([NOTIFICATION], event('uploads/a/b.csv', 'ObjectRemoved:Delete'))).toEqual(
      [],
    );
  });
});

describe('the S3 event record', () => {
  test('keys are URL-encoded with spaces as +, slashes kept', () => {
    expect(encodeEventKey('uploads/m a/x+y é.csv')).toBe('uploads/m+a/x%2By+%C3%A9.csv');
  });

  test('has the fields the validator reads', () => {
    const record = toS3Event(event('uploads/m/a b.csv'), 'us-east-1', 'cfg').Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'bucket', arn: 'arn:aws:s3:::bucket' },
        object: { key: 'uploads/m/a+b.csv', size: 10 },
      },
    });
  });
});
