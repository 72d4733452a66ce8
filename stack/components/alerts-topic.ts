import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { tagsFor } from '../tags';

export interface AlertsTopicArgs {
  readonly topicName: string;
  /** Receives every message; AWS sends a confirmation e-mail that must be accepted once. */
  readonly alertEmail: string;
  /**
   * The KMS key that encrypts the topic. @default "alias/aws/sns" (the AWS-managed key, which only
   * principals of the account can use: enough for functions, not for CloudWatch alarms)
   */
  readonly kmsMasterKeyId?: pulumi.Input<string>;
}

/**
 * An e-mail topic: SNS encrypted at rest and one e-mail subscription. The anomaly alerts use one
 * (under the AWS-managed key), the operations alarms another (under a key CloudWatch may use).
 */
export class AlertsTopic extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;

  constructor(name: string, args: AlertsTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:messaging:AlertsTopic', name, {}, opts);
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: args.topicName,
        kmsMasterKeyId: args.kmsMasterKeyId ?? 'alias/aws/sns',
        tags: tagsFor(args.topicName),
      },
      { parent: this },
    );
    new aws.sns.TopicSubscription(
      `${name}-email`,
      { topic: this.topic.arn, protocol: 'email', endpoint: args.alertEmail },
      { parent: this },
    );
    this.registerOutputs({ topicArn: this.topic.arn });
  }
}
