import { resourcePolicy } from '../lib/define';
import { asArray, describe } from '../lib/values';

interface Target {
  events?: string[];
  filterPrefix?: string;
  filterSuffix?: string;
}

interface Config {
  prefix: string;
  suffix: string;
}

const TARGET_KINDS = ['lambdaFunctions', 'queues', 'topics'] as const;

/** Only new CSV uploads trigger processing; reports the validator writes must never re-trigger it. */
export const s3NotificationFilter = resourcePolicy<
  Partial<Record<(typeof TARGET_KINDS)[number], Target[]>>,
  Config
>(
  {
    id: 's3-notification-filter',
    displayName: 'S3 notifications fire only for uploaded CSV files',
    description:
      'Every S3 bucket notification target must filter on the uploads prefix and the .csv suffix (defaults uploads/ and .csv) and only on ObjectCreated events. Without the filter, the reports the validator writes to the same bucket would invoke it again, in a loop.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['2.2.4'] },
    remediationSteps:
      "Set `filterPrefix: 'uploads/'`, `filterSuffix: '.csv'` and `events: ['s3:ObjectCreated:*']` on every target of the aws.s3.BucketNotification.",
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html',
    config: {
      prefix: { type: 'string', minLength: 1, default: 'uploads/' },
      suffix: { type: 'string', minLength: 1, default: '.csv' },
    },
  },
  ['aws:s3/bucketNotification:BucketNotification'],
  ({ props, config, report }) => {
    for (const kind of TARGET_KINDS) {
      asArray<Target>(props[kind]).forEach((target, index) => {
        const where = `${kind}[${index}]`;
        if (target.filterPrefix !== config.prefix) {
          report(
            `${where}.filterPrefix should be "${config.prefix}"; found ${describe(target.filterPrefix)}.`,
          );
        }
        if (target.filterSuffix !== config.suffix) {
          report(
            `${where}.filterSuffix should be "${config.suffix}"; found ${describe(target.filterSuffix)}.`,
          );
        }
        const events = asArray<string>(target.events);
        if (events.length === 0 || !events.every((e) => e.startsWith('s3:ObjectCreated:'))) {
          report(`${where}.events should only be s3:ObjectCreated events; found ${describe(events)}.`);
        }
      });
    }
  },
);
