/**
 * The pipeline dashboard's body (CloudWatch dashboard JSON), from the stack's names: what an
 * operator looks at first when an alarm e-mail arrives. Plain data, so tests read it as JSON.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import { METRIC, SLA_SECONDS } from '../lambda/shared/contract';
import { FAILURE_QUEUE_PURPOSES, FUNCTION_PURPOSES, type StackNames } from './naming';

/** One line of a metric widget: namespace, metric name, dimension name/value pairs, then options. */
type MetricLine = (string | Record<string, string>)[];

export interface DashboardTargets {
  readonly region: string;
  readonly apiStage: string;
  /** ARNs of the operations alarms, shown with their state at the top. */
  readonly alarmArns: readonly string[];
}

const WIDTH = 12;
const HEIGHT = 6;

interface Widget {
  readonly title: string;
  readonly metrics: MetricLine[];
  /** Statistic for lines that name none. */
  readonly stat: string;
  readonly period?: number;
  readonly annotations?: Record<string, unknown>;
}

/** Two metric widgets per row, in the order of the list. */
function layout(widgets: readonly Widget[], region: string, top: number) {
  return widgets.map((w, i) => ({
    type: 'metric',
    x: (i % 2) * WIDTH,
    y: top + Math.floor(i / 2) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
    properties: {
      title: w.title,
      region,
      view: 'timeSeries',
      stacked: false,
      stat: w.stat,
      period: w.period ?? 300,
      metrics: w.metrics,
      yAxis: { left: { min: 0 } },
      ...(w.annotations ? { annotations: w.annotations } : {}),
    },
  }));
}

function widgets(names: StackNames, apiStage: string): Widget[] {
  const ns = names.metricsNamespace;
  const { validator, anomaly } = names.functions;
  const own = (service: string, metric: string, options: Record<string, string> = {}): MetricLine => [
    ns,
    metric,
    'service',
    service,
    options,
  ];
  const lambda = (metric: string, purpose: (typeof FUNCTION_PURPOSES)[number]): MetricLine => [
    'AWS/Lambda',
    metric,
    'FunctionName',
    names.functions[purpose].function,
    { label: `${purpose} ${metric}` },
  ];
  const tableThrottles = (table: string): MetricLine[] =>
    ['ReadThrottleEvents', 'WriteThrottleEvents'].map((m) => [
      'AWS/DynamoDB',
      m,
      'TableName',
      table,
      { label: `${table} ${m}` },
    ]);
  return [
    {
      title: 'Files by outcome',
      stat: 'Sum',
      metrics: [METRIC.filesCompleted, METRIC.filesRefused, METRIC.filesFailed].map((m) =>
        own(validator.metricsService, m),
      ),
    },
    {
      title: 'Rows stored and rejected',
      stat: 'Sum',
      metrics: [METRIC.rowsStored, METRIC.rowsRejected].map((m) => own(validator.metricsService, m)),
    },
    {
      title: `Upload to final manifest, seconds (SLA ${SLA_SECONDS} s)`,
      stat: 'Maximum',
      period: 60,
      metrics: ['p50', 'p99', 'Maximum'].map((stat) =>
        own(validator.metricsService, METRIC.uploadToManifestSeconds, { stat, label: stat }),
      ),
      annotations: { horizontal: [{ label: 'SLA', value: SLA_SECONDS }] },
    },
    {
      title: `Upload to alert, seconds (SLA ${SLA_SECONDS} s)`,
      stat: 'Maximum',
      period: 60,
      metrics: ['p50', 'p99', 'Maximum'].map((stat) =>
        own(anomaly.metricsService, METRIC.uploadToAlertSeconds, { stat, label: stat }),
      ),
      annotations: { horizontal: [{ label: 'SLA', value: SLA_SECONDS }] },
    },
    {
      title: 'Alerts sent',
      stat: 'Sum',
      metrics: [METRIC.alertsSent, METRIC.alertsFailed].map((m) => own(anomaly.metricsService, m)),
    },
    {
      title: 'Failures: failure queues and function errors',
      stat: 'Sum',
      period: 60,
      metrics: [
        ...FAILURE_QUEUE_PURPOSES.map((p): MetricLine => [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          names.functions[p].failureQueue ?? '',
          { stat: 'Maximum', label: `${p} failure queue` },
        ]),
        ...FUNCTION_PURPOSES.map((p) => lambda('Errors', p)),
        ['AWS/ApiGateway', '5XXError', 'ApiName', names.api, 'Stage', apiStage, { label: 'API 5XX' }],
      ],
    },
    {
      title: 'Throttles: functions and tables',
      stat: 'Sum',
      period: 60,
      metrics: [
        ...FUNCTION_PURPOSES.map((p) => lambda('Throttles', p)),
        ...tableThrottles(names.table),
        ...tableThrottles(names.stateTable),
      ],
    },
    {
      title: 'Lag: stream iterator age and S3 event age, ms',
      stat: 'Maximum',
      period: 60,
      metrics: [lambda('IteratorAge', 'anomaly'), lambda('AsyncEventAge', 'validator')],
      annotations: { horizontal: [{ label: 'alarm', value: 60_000 }] },
    },
  ];
}

/** The whole dashboard: the alarms' states on top, then the metric widgets two by two. */
export function dashboardBody(names: StackNames, targets: DashboardTargets): string {
  const alarmsWidget = {
    type: 'alarm',
    x: 0,
    y: 0,
    width: 2 * WIDTH,
    height: 4,
    properties: { title: 'Operations alarms', alarms: [...targets.alarmArns] },
  };
  return JSON.stringify({
    widgets: [alarmsWidget, ...layout(widgets(names, targets.apiStage), targets.region, alarmsWidget.height)],
  });
}
