import * as pulumi from '@pulumi/pulumi';
import { pipelineAlarms } from './alarms';
import { AlarmTopicKey } from './components/alarm-topic-key';
import { AlertsTopic } from './components/alerts-topic';
import { PipelineAlarms } from './components/pipeline-alarms';
import { PipelineDashboard } from './components/pipeline-dashboard';
import { dashboardBody } from './dashboard';
import { arns, type ArnContext } from './iam';
import type { StackNames } from './naming';
import { topicArn } from './permissions';

export interface OperationsArgs {
  readonly names: StackNames;
  readonly arnContext: ArnContext;
  /** Subscribed to the operations topic. */
  readonly opsEmail: string;
  /** The merchant API's stage, a dimension of its metrics. */
  readonly apiStage: string;
}

/**
 * What operators see: the operations topic (its own, so fraud alerts and pipeline alarms reach
 * whoever handles each), an alarm with an action on every failure path and on the SLA, and the
 * pipeline dashboard. README "Operations" is the runbook.
 */
export function createOperations(args: OperationsArgs, opts: pulumi.CustomResourceOptions): void {
  const { names, arnContext: ctx } = args;
  const key = new AlarmTopicKey(
    'operations-key',
    { aliasName: names.opsTopicKey, region: ctx.region, accountId: ctx.accountId },
    opts,
  );
  const topic = new AlertsTopic(
    'operations',
    { topicName: names.opsTopic, alertEmail: args.opsEmail, kmsMasterKeyId: key.key.arn },
    opts,
  );
  const alarms = pipelineAlarms(names, { apiStage: args.apiStage });
  new PipelineAlarms(
    'operations-alarms',
    { alarms, actionArn: topicArn(ctx, names.opsTopic), actionTopic: topic.topic },
    opts,
  );
  const body = pulumi
    .all(alarms.map((a) => arns.alarm(ctx, a.name)))
    .apply((alarmArns) => dashboardBody(names, { region: ctx.region, apiStage: args.apiStage, alarmArns }));
  new PipelineDashboard('operations', { dashboardName: names.dashboard, body }, opts);
}
