import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AlarmSpec } from '../alarms';
import { tagsFor } from '../tags';

export interface PipelineAlarmsArgs {
  /** What each alarm watches and when it fires (stack/alarms.ts). */
  readonly alarms: readonly AlarmSpec[];
  /**
   * Where every alarm reports, when it fires and when it clears: the operations topic's ARN, built
   * from its name so that it is known at the first preview (the pack checks every alarm's actions).
   */
  readonly actionArn: pulumi.Input<string>;
  /** The topic itself, created first so that no alarm ever points at a topic that does not exist. */
  readonly actionTopic: pulumi.Resource;
}

/**
 * One CloudWatch alarm per spec, each notifying the operations topic on ALARM and on OK (so the
 * e-mail thread also says when a problem is over). A spec with several metrics alarms on their sum.
 */
export class PipelineAlarms extends pulumi.ComponentResource {
  public readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: PipelineAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:operations:PipelineAlarms', name, {}, opts);
    this.alarms = args.alarms.map(
      (spec) =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-${spec.id}`,
          {
            name: spec.name,
            alarmDescription: spec.description,
            comparisonOperator: 'GreaterThanThreshold',
            threshold: spec.threshold,
            evaluationPeriods: spec.evaluationPeriods,
            datapointsToAlarm: spec.evaluationPeriods,
            treatMissingData: 'notBreaching',
            actionsEnabled: true,
            alarmActions: [args.actionArn],
            okActions: [args.actionArn],
            ...metricArgs(spec),
            tags: tagsFor(spec.name),
          },
          { parent: this, dependsOn: [args.actionTopic] },
        ),
    );
    this.registerOutputs({ alarmNames: args.alarms.map((a) => a.name) });
  }
}

/** A single metric as the alarm's own; several as a sum, each missing point counting as zero. */
function metricArgs(spec: AlarmSpec): Partial<aws.cloudwatch.MetricAlarmArgs> {
  if (spec.metrics.length === 1) {
    const [m] = spec.metrics;
    return {
      namespace: m.namespace,
      metricName: m.metricName,
      dimensions: m.dimensions,
      statistic: m.statistic,
      period: spec.periodSeconds,
    };
  }
  const ids = spec.metrics.map((_, i) => `m${i}`);
  return {
    metricQueries: [
      ...spec.metrics.map((m, i) => ({
        id: ids[i],
        returnData: false,
        metric: {
          namespace: m.namespace,
          metricName: m.metricName,
          dimensions: m.dimensions,
          stat: m.statistic,
          period: spec.periodSeconds,
        },
      })),
      {
        id: 'total',
        label: spec.metrics.map((m) => m.metricName).join(' + '),
        returnData: true,
        expression: ids.map((id) => `FILL(${id}, 0)`).join(' + '),
      },
    ],
  };
}
