import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { STATE_TABLE_KEY } from '../../lambda/shared/contract';
import { NEW_TABLE_READS, NEW_TABLE_WRITES } from '../config';
import { tagsFor } from '../tags';

export interface DetectorStateTableArgs {
  readonly tableName: string;
}

/**
 * The anomaly detector's durable state (card-day and merchant windows, card profiles, sent-alert
 * keys): one string key `pk`, on-demand, items expire through TTL on `expires_at` (the README's
 * retention horizon), encrypted with the AWS-managed KMS key, point-in-time recovery like every
 * table, no stream (nothing reads its changes) and no deletion protection (destroyable).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
export class DetectorStateTable extends pulumi.ComponentResource {
  public readonly table: aws.dynamodb.Table;

  constructor(name: string, args: DetectorStateTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:data:DetectorStateTable', name, {}, opts);
    this.table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        name: args.tableName,
        billingMode: 'PAY_PER_REQUEST',
        // Stated, at what a new table gets free: the detector's rate is bound by its CPU, not this
        // table (npm run bench), and the pack wants every table's warm throughput chosen.
        warmThroughput: { writeUnitsPerSecond: NEW_TABLE_WRITES, readUnitsPerSecond: NEW_TABLE_READS },
        hashKey: STATE_TABLE_KEY.partition,
        attributes: [{ name: STATE_TABLE_KEY.partition, type: 'S' }],
        ttl: { attributeName: STATE_TABLE_KEY.ttl, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: false,
        tags: tagsFor(args.tableName),
      },
      { parent: this },
    );
    this.registerOutputs({ tableName: this.table.name });
  }
}
