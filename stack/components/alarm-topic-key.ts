import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { KEY_ADMINISTRATION_ACTIONS } from '../key-policy';
import { tagsFor } from '../tags';

export interface AlarmTopicKeyArgs {
  /** The key's alias, without `alias/` (naming.ts computes it). */
  readonly aliasName: string;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
}

/**
 * A customer-managed KMS key for a topic that CloudWatch alarms publish to. The AWS-managed key
 * `alias/aws/sns` cannot be used there: its key policy does not let CloudWatch call kms:Decrypt and
 * kms:GenerateDataKey, and cannot be changed, so every alarm action would fail and nobody be told.
 * https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * Rotated yearly; a destroyed key waits the 7-day minimum before KMS deletes it.
 */
export class AlarmTopicKey extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;

  constructor(name: string, args: AlarmTopicKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:security:AlarmTopicKey', name, {}, opts);
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: 'Encrypts the operations topic; CloudWatch alarms of this account may use it',
        enableKeyRotation: true,
        deletionWindowInDays: 7,
        policy: keyPolicy(args.region, args.accountId),
        tags: tagsFor(args.aliasName),
      },
      { parent: this },
    );
    new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.aliasName}`, targetKeyId: this.key.keyId },
      { parent: this },
    );
    this.registerOutputs({ keyArn: this.key.arn });
  }
}

/**
 * The account administers the key through IAM (administration actions only); CloudWatch may
 * encrypt and decrypt with it for this account's alarms only (the confused-deputy conditions).
 */
function keyPolicy(region: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(accountId).apply((account) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          // Administration only, as for the card-hash key: no principal of the account may use the
          // key through an IAM policy of its own (kms-key-decrypt-scoped).
          Sid: 'AccountAdministersTheKeyThroughIam',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: [...KEY_ADMINISTRATION_ACTIONS],
          Resource: '*',
        },
        {
          Sid: 'CloudWatchAlarmsOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${region}:${account}:alarm:*` },
          },
        },
      ],
    }),
  );
}
