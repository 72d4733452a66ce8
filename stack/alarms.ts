/**
 * What the operations alarms watch, and when they fire: plain data, one entry per alarm, turned into
 * CloudWatch alarms by components/pipeline-alarms.ts. README "Operations" explains each threshold,
 * period and missing-data choice; keep the two in step.
 *
 * Missing data is "not breaching" everywhere: AWS publishes Lambda, DynamoDB and API Gateway metrics
 * only when something happens, and SQS stops publishing for a queue idle for six hours (a queue that
 * holds a message is never idle), so no data means nothing to report.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
 */
import type * as pulumi from '@pulumi/pulumi';
import { METRIC, SLA_SECONDS } from '../lambda/shared/contract';
import { FAILURE_QUEUE_PURPOSES, FUNCTION_PURPOSES, type StackNames } from './naming';

export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic: 'Sum' | 'Maximum';
}

/** One alarm: a single metric, or the sum of several (a table's read and write throttles). */
export interface AlarmSpec {
  /** Logical name, stable across environments (`validator-errors`). */
  readonly id: string;
  /** Physical name (naming.ts). */
  readonly name: string;
  /** What it means when it fires; the runbook in the README says what to do. */
  readonly description: string;
  readonly metrics: readonly AlarmMetric[];
  readonly periodSeconds: number;
  /** Fires above this value (GreaterThanThreshold). */
  readonly threshold: number;
  /** Consecutive periods that must all breach. */
  readonly evaluationPeriods: number;
}

/** What the alarms need besides the names: the API stage, which the API component chooses. */
export interface AlarmTargets {
  readonly apiStage: pulumi.Input<string>;
}

const LAMBDA = 'AWS/Lambda';

function lambdaMetric(functionName: string, metricName: string, statistic: AlarmMetric['statistic']) {
  return { namespace: LAMBDA, metricName, dimensions: { FunctionName: functionName }, statistic };
}

/** Each function's errors and throttles, and each failure queue holding anything. */
function functionAlarms(names: StackNames): AlarmSpec[] {
  return FUNCTION_PURPOSES.flatMap((purpose) => {
    const fn = names.functions[purpose];
    return [
      {
        id: `${purpose}-errors`,
        name: fn.errorsAlarm,
        description: `${fn.function} failed at least one invocation in 5 minutes (Errors).`,
        metrics: [lambdaMetric(fn.function, 'Errors', 'Sum')],
        periodSeconds: 300,
        threshold: 0,
        evaluationPeriods: 1,
      },
      {
        id: `${purpose}-throttles`,
        name: fn.throttlesAlarm,
        description: `${fn.function} was throttled at its reserved concurrency at least once in 5 minutes (Throttles).`,
        metrics: [lambdaMetric(fn.function, 'Throttles', 'Sum')],
        periodSeconds: 300,
        threshold: 0,
        evaluationPeriods: 1,
      },
    ];
  });
}

function failureQueueAlarms(names: StackNames): AlarmSpec[] {
  return FAILURE_QUEUE_PURPOSES.map((purpose) => {
    const fn = names.functions[purpose];
    if (!fn.failureQueue || !fn.failureQueueAlarm) {
      throw new Error(`naming.ts names no failure queue or alarm for ${fn.function}`);
    }
    return {
      id: `${purpose}-failures`,
      name: fn.failureQueueAlarm,
      description: `${fn.failureQueue} holds work that ${fn.function} gave up on after its retries (README runbook: replay it).`,
      metrics: [
        {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: { QueueName: fn.failureQueue },
          statistic: 'Maximum',
        },
      ],
      periodSeconds: 60,
      threshold: 0,
      evaluationPeriods: 1,
    };
  });
}

/** The stream mapping's lag and the validator's queueing delay: both eat into the 5-minute SLA. */
function lagAlarms(names: StackNames): AlarmSpec[] {
  const { anomaly, validator } = names.functions;
  return [
    {
      id: 'anomaly-iterator-age',
      name: names.iteratorAgeAlarm,
      description: `${anomaly.function} has been more than 60 s behind the transactions stream for 3 minutes (IteratorAge).`,
      metrics: [lambdaMetric(anomaly.function, 'IteratorAge', 'Maximum')],
      periodSeconds: 60,
      threshold: 60_000, // milliseconds
      evaluationPeriods: 3,
    },
    {
      id: 'validator-event-age',
      name: names.asyncEventAgeAlarm,
      description: `An S3 event waited more than 60 s before ${validator.function} ran it: throttled or retried (AsyncEventAge).`,
      metrics: [lambdaMetric(validator.function, 'AsyncEventAge', 'Maximum')],
      periodSeconds: 60,
      threshold: 60_000, // milliseconds
      evaluationPeriods: 1,
    },
  ];
}

/**
 * DynamoDB's ThrottledRequests exists only per operation; ReadThrottleEvents and WriteThrottleEvents
 * count the same throttling per table: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
 */
function tableThrottleAlarm(id: string, alarmName: string, tableName: string): AlarmSpec {
  const metric = (metricName: string): AlarmMetric => ({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensions: { TableName: tableName },
    statistic: 'Sum',
  });
  return {
    id,
    name: alarmName,
    description: `${tableName} throttled requests in each of 3 consecutive minutes (ReadThrottleEvents + WriteThrottleEvents).`,
    metrics: [metric('ReadThrottleEvents'), metric('WriteThrottleEvents')],
    periodSeconds: 60,
    threshold: 0,
    evaluationPeriods: 3,
  };
}

/** Every operations alarm of the stack, in the order the runbook lists them. */
export function pipelineAlarms(names: StackNames, targets: AlarmTargets): AlarmSpec[] {
  return [
    ...failureQueueAlarms(names),
    ...functionAlarms(names),
    ...lagAlarms(names),
    tableThrottleAlarm('transactions-throttles', names.tableThrottlesAlarm, names.table),
    tableThrottleAlarm('detector-state-throttles', names.stateTableThrottlesAlarm, names.stateTable),
    {
      id: 'merchant-api-5xx',
      name: names.api5xxAlarm,
      description: `${names.api} answered at least one request with a 5XX error in 5 minutes.`,
      metrics: [
        {
          namespace: 'AWS/ApiGateway',
          metricName: '5XXError',
          dimensions: { ApiName: names.api, Stage: targets.apiStage },
          statistic: 'Sum',
        },
      ],
      periodSeconds: 300,
      threshold: 0,
      evaluationPeriods: 1,
    },
    {
      id: 'file-sla',
      name: names.slaAlarm,
      description: `A file took more than ${SLA_SECONDS} s from upload to its final manifest (the SLA).`,
      metrics: [
        {
          namespace: names.metricsNamespace,
          metricName: METRIC.uploadToManifestSeconds,
          dimensions: { service: names.functions.validator.metricsService },
          statistic: 'Maximum',
        },
      ],
      periodSeconds: 60,
      threshold: SLA_SECONDS,
      evaluationPeriods: 1,
    },
    {
      id: 'alert-sla',
      name: names.alertSlaAlarm,
      description: `An alert was sent more than ${SLA_SECONDS} s after its file was uploaded (the SLA counts alerts too).`,
      metrics: [
        {
          namespace: names.metricsNamespace,
          metricName: METRIC.uploadToAlertSeconds,
          dimensions: { service: names.functions.anomaly.metricsService },
          statistic: 'Maximum',
        },
      ],
      periodSeconds: 60,
      threshold: SLA_SECONDS,
      evaluationPeriods: 1,
    },
  ];
}
