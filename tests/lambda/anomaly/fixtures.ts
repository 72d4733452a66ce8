/** Builders of stored items and stream records for the anomaly tests. */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { InsertedTransaction } from '../../../lambda/anomaly/anomaly';
import { DEFAULTS } from '../../../lambda/shared/contract';
import type { AnomalyThresholds } from '../../../lambda/anomaly/thresholds';
import { toStoredTransaction, type StreamImage } from '../../../lambda/anomaly/transaction';

export const LIMITS: AnomalyThresholds = { ...DEFAULTS, highRiskCountries: [...DEFAULTS.highRiskCountries] };

export const BASE_TIME = Date.parse('2026-03-01T12:00:00.000Z');

export interface ItemOverrides {
  id?: string;
  offsetSeconds?: number;
  merchant?: string;
  amount?: number | string;
  currency?: string;
  card?: string;
  last4?: string;
  country?: string;
  description?: string;
}

/** A stored item as the validator writes it (amount a number; card only as last4 + hash). */
export const storedItem = (o: ItemOverrides = {}): Record<string, unknown> => ({
  transaction_id: o.id ?? 'tx-1',
  timestamp: new Date(BASE_TIME + (o.offsetSeconds ?? 0) * 1000).toISOString(),
  merchant_id: o.merchant ?? 'merchant-a',
  amount: o.amount ?? 25.5,
  currency: o.currency ?? 'USD',
  card_last4: o.last4 ?? '1111',
  card_hash: o.card ?? 'aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa1111bbbb2222',
  upload_id: 'up-2f1c2b7e-6a4d-4c1e-9b8a-0f6e5d4c3b2a',
  source_line: 2,
  content_hash: 'c0ffee',
  ...(o.country ? { country: o.country } : {}),
  ...(o.description ? { description: o.description } : {}),
});

export const image = (item: Record<string, unknown>): StreamImage => marshall(item) as StreamImage;

let sequence = 1000;
export const nextSequenceNumber = (): string => String((sequence += 1));

export const inserted = (o: ItemOverrides = {}): InsertedTransaction => ({
  sequenceNumber: nextSequenceNumber(),
  transaction: toStoredTransaction(image(storedItem(o))),
});

export const streamRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { oldItem?: Record<string, unknown>; newItem?: Record<string, unknown> },
  sequenceNumber = nextSequenceNumber(),
): DynamoDBRecord => ({
  eventID: `event-${sequenceNumber}`,
  eventName,
  eventSource: 'aws:dynamodb',
  eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-03-01T00:00:00.000',
  dynamodb: {
    SequenceNumber: sequenceNumber,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
    ...(images.oldItem ? { OldImage: image(images.oldItem) as never } : {}),
    ...(images.newItem ? { NewImage: image(images.newItem) as never } : {}),
  },
});
