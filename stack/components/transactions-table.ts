import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TABLE_KEY } from '../../lambda/shared/contract';
import { tagsFor } from '../tags';

export interface TransactionsTableArgs {
  readonly tableName: string;
  /** DynamoDB warm throughput: what the table serves from its creation, still on demand. */
  readonly warmThroughput: { readonly writeUnitsPerSecond: number; readonly readUnitsPerSecond: number };
}

/**
 * Transactions with full history: partition `transaction_id`, sort `timestamp`; on-demand billing
 * warmed to the throughput the SLA needs (config `tableWarmWritesPerSecond`),
 * a NEW_AND_OLD_IMAGES stream (the anomaly detector compares images to detect tampering), point-in-time
 * recovery and encryption at rest. No deletion protection: the stack must stay destroyable.
 */
export class TransactionsTable extends pulumi.ComponentResource {
  public readonly table: aws.dynamodb.Table;

  constructor(name: string, args: TransactionsTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:data:TransactionsTable', name, {}, opts);
    this.table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        name: args.tableName,
        billingMode: 'PAY_PER_REQUEST',
        warmThroughput: args.warmThroughput,
        hashKey: TABLE_KEY.partition,
        rangeKey: TABLE_KEY.sort,
        attributes: [
          { name: TABLE_KEY.partition, type: 'S' },
          { name: TABLE_KEY.sort, type: 'S' },
        ],
        streamEnabled: true,
        streamViewType: 'NEW_AND_OLD_IMAGES',
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: false,
        tags: tagsFor(args.tableName),
      },
      { parent: this },
    );
    this.registerOutputs({ tableName: this.table.name, streamArn: this.table.streamArn });
  }
}
