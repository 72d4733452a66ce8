/**
 * The SNS adapter: one Publish per alert, with the subject for e-mail subscribers and message
 * attributes (severity, rule, merchant) for subscription filter policies.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertMessage } from './alerts';
import type { AlertPublisher } from './once';

export const snsAlertPublisher =
  (sns: SNSClient, topicArn: string): AlertPublisher =>
  async (alert: AlertMessage) => {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: alert.subject,
        Message: alert.body,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: alert.attributes.severity },
          rule: { DataType: 'String', StringValue: alert.attributes.rule },
          merchant: { DataType: 'String', StringValue: alert.attributes.merchant },
        },
      }),
    );
  };
