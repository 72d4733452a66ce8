import { stackPolicy } from '../lib/define';
import { knownOrUndefined } from '../lib/unknown';

const TOPIC = 'aws:sns/topic:Topic';
const SUBSCRIPTION = 'aws:sns/topicSubscription:TopicSubscription';

/** An alert nobody receives is no alert: every topic reaches a human by e-mail. */
export const snsEmailSubscription = stackPolicy(
  {
    id: 'sns-email-subscription',
    displayName: 'Every SNS topic has an e-mail subscription',
    description:
      'Every SNS topic in the stack must have at least one aws.sns.TopicSubscription with protocol email. Anomaly alerts must reach the compliance team; a topic without subscribers drops them.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['10.4.1', '12.10.5'] },
    remediationSteps:
      "Add an aws.sns.TopicSubscription with `protocol: 'email'`, `topic: topic.arn` and the team's address; the recipient must confirm it.",
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html',
  },
  ({ resources, report }) => {
    const emailSubscriptions = resources.filter(
      (r) => r.type === SUBSCRIPTION && knownOrUndefined(r.props, 'protocol') === 'email',
    );
    for (const topic of resources.filter((r) => r.type === TOPIC)) {
      const arn = knownOrUndefined(topic.props, 'arn');
      const subscribed = emailSubscriptions.some((s) => {
        const target = knownOrUndefined(s.props, 'topic');
        // The topic ARN is unknown at preview; the engine still records which resource it came from.
        if (target !== undefined && arn !== undefined) return target === arn;
        return (s.propertyDependencies.topic ?? s.dependencies).some((d) => d.urn === topic.urn);
      });
      if (!subscribed)
        report(`topic ${topic.name} should have an e-mail subscription; found none.`, topic.urn);
    }
  },
);
