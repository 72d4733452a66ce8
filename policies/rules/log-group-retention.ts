import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

interface Config {
  retentionDays: number;
}

/** Application logs are kept exactly N days: never forever (AWS's default), never longer than needed. */
export const logGroupRetention = resourcePolicy<{ retentionInDays?: number }, Config>(
  {
    id: 'log-group-retention',
    displayName: 'Log groups keep logs for exactly the configured days',
    description:
      'Every CloudWatch log group must set retentionInDays to the configured value (default 7). Without it CloudWatch keeps logs forever; application logs hold no card data and the audit trail lives in DynamoDB (with point-in-time recovery) and the versioned bucket.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['3.2.1'] },
    remediationSteps:
      'Set `retentionInDays` on the aws.cloudwatch.LogGroup to the configured value (default 7).',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
    config: {
      retentionDays: {
        type: 'integer',
        enum: [
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
          3653,
        ],
        default: 7,
        description: 'Required retention; one of the values CloudWatch Logs accepts.',
      },
    },
  },
  ['aws:cloudwatch/logGroup:LogGroup'],
  ({ props, config, report }) => {
    if (props.retentionInDays !== config.retentionDays) {
      report(`retentionInDays should be ${config.retentionDays}; found ${describe(props.retentionInDays)}.`);
    }
  },
);
