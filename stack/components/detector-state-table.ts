import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { STATE_TABLE_KEY } from '../../lambda/shared/contract';
import { tagsFor } from '../tags';

export interface DetectorStateTableArgs {
  readonly tableName: string;
  /** Reads and writes per second the table serves from its creation (config.ts, stateTableWarmThroughput). */
  readonly warmThroughput: { readonly writeUnitsPerSecond: number; readonly readUnitsPerSecond: number };
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
        // Warm, like the transactions table: a new table's 4,000 writes/s would cap the detector
        // at about 2,000 transactions/s (npm run bench, load model); the pack wants it stated.
        warmThroughput: { ...args.warmThroughput },
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
