import type { PolicyResource } from '@pulumi/policy';
import { stackPolicy } from '../lib/define';
import { knownOrUndefined, peek } from '../lib/unknown';

const FUNCTION = 'aws:lambda/function:Function';
const LOG_GROUP = 'aws:cloudwatch/logGroup:LogGroup';

/**
 * The log group a function writes to: loggingConfig.logGroup, else AWS's default
 * `/aws/lambda/<function name>`, which Lambda creates on first write with no retention at all.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html
 */
function targetLogGroup(
  fn: PolicyResource,
  logGroups: PolicyResource[],
): PolicyResource | 'unresolved' | undefined {
  const loggingConfig = knownOrUndefined<Record<string, unknown>>(fn.props, 'loggingConfig');
  const configured = loggingConfig ? peek(loggingConfig, 'logGroup') : { state: 'absent' as const };
  if (configured.state === 'unknown') {
    // Unknown at preview: the group the property depends on is the target (the engine records it).
    const deps = fn.propertyDependencies.loggingConfig ?? fn.dependencies;
    return deps.find((d) => d.type === LOG_GROUP) ?? 'unresolved';
  }
  const name =
    configured.state === 'known' ? String(loggingConfig?.logGroup) : `/aws/lambda/${fn.props.name}`;
  return logGroups.find((g) => knownOrUndefined(g.props, 'name') === name);
}

export const lambdaOwnLogGroup = stackPolicy(
  {
    id: 'lambda-own-log-group',
    displayName: 'Every Lambda function has its own managed log group',
    description:
      'Every Lambda function must write to a CloudWatch log group declared in this stack and used by no other function. Otherwise Lambda creates /aws/lambda/<name> itself, with no retention, so logs would be kept forever.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['3.2.1', '10.2.1'] },
    remediationSteps:
      "Declare an aws.cloudwatch.LogGroup per function (name `/aws/lambda/<function name>`, retention 7 days) and set the function's `loggingConfig.logGroup` to its name.",
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html',
  },
  ({ resources, report }) => {
    const logGroups = resources.filter((r) => r.type === LOG_GROUP);
    const owners = new Map<string, string>();
    for (const fn of resources.filter((r) => r.type === FUNCTION)) {
      const target = targetLogGroup(fn, logGroups);
      if (target === 'unresolved') {
        report(
          'loggingConfig.logGroup should name a log group of this stack; found a value that depends on no log group.',
          fn.urn,
        );
        continue;
      }
      if (!target) {
        report(
          `the function should write to a log group declared in this stack; found none named ${JSON.stringify(
            knownOrUndefined<Record<string, unknown>>(fn.props, 'loggingConfig')?.logGroup ??
              `/aws/lambda/${fn.props.name}`,
          )}.`,
          fn.urn,
        );
        continue;
      }
      const previous = owners.get(target.urn);
      if (previous)
        report(
          `each function should have its own log group; ${target.name} is also used by ${previous}.`,
          fn.urn,
        );
      else owners.set(target.urn, fn.name);
    }
  },
);
