import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

/** What DynamoDB gives any new on-demand table: a warm throughput below it is not a choice. */
const NEW_TABLE = { writeUnitsPerSecond: 4000, readUnitsPerSecond: 12_000 };

interface TableProps {
  billingMode?: string;
  warmThroughput?: { writeUnitsPerSecond?: number; readUnitsPerSecond?: number };
}

export const dynamodbOnDemand = resourcePolicy<TableProps>(
  {
    id: 'dynamodb-on-demand',
    displayName: 'DynamoDB tables use on-demand capacity with a chosen warm throughput',
    description:
      'Every DynamoDB table must use billingMode PAY_PER_REQUEST and state its warm throughput (the reads and writes per second it serves from its creation). On-demand capacity absorbs a burst of uploaded rows without throttled, lost writes and without capacity planning; a new table serves only 4,000 writes/s until it has grown, so the rate the SLA needs is set, not hoped for.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['2.2.1'], fsbp: ['DynamoDB.1'] },
    remediationSteps:
      "Set `billingMode: 'PAY_PER_REQUEST'` on the aws.dynamodb.Table, remove read/write capacity, and set `warmThroughput: { writeUnitsPerSecond, readUnitsPerSecond }` (at least 4000 and 12000).",
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput.html',
  },
  ['aws:dynamodb/table:Table'],
  ({ props, report }) => {
    if (props.billingMode !== 'PAY_PER_REQUEST') {
      report(`billingMode should be "PAY_PER_REQUEST"; found ${describe(props.billingMode)}.`);
    }
    const warm = props.warmThroughput;
    for (const key of ['writeUnitsPerSecond', 'readUnitsPerSecond'] as const) {
      const value = warm?.[key];
      if (typeof value !== 'number' || value < NEW_TABLE[key]) {
        report(`warmThroughput.${key} should be at least ${NEW_TABLE[key]}; found ${describe(value)}.`);
      }
    }
  },
);
