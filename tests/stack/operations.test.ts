import { isDeepStrictEqual } from 'node:util';
import { synthesize, SynthResource, SynthResult } from '../../gate/synth/synthesize';
import { METRIC } from '../../lambda/shared/contract';
import { byName, input, ofType } from './helpers';

let stack: SynthResult;
let alarms: SynthResource[];
beforeAll(async () => {
  stack = await synthesize({ stack: 'dev' });
  alarms = ofType(stack, 'aws:cloudwatch/metricAlarm:MetricAlarm');
});

const OPS_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:sns-operations-dev';

type Dimensions = Record<string, string>;
interface Query {
  id: string;
  expression?: string;
  returnData?: boolean;
  metric?: { namespace: string; metricName: string; dimensions: Dimensions; stat: string; period: number };
}

/** The metrics an alarm reads, whether it reads one directly or several through metric math. */
function watched(alarm: SynthResource): { namespace: string; metricName: string; dimensions: Dimensions }[] {
  const queries = input<Query[] | undefined>(alarm, 'metricQueries');
  if (queries) return queries.flatMap((q) => (q.metric ? [q.metric] : []));
  return [
    {
      namespace: input<string>(alarm, 'namespace'),
      metricName: input<string>(alarm, 'metricName'),
      dimensions: input<Dimensions>(alarm, 'dimensions'),
    },
  ];
}

/** The alarms reading `metricName` in `namespace` with exactly these dimensions. */
function alarmsOn(namespace: string, metricName: string, dimensions: Dimensions): SynthResource[] {
  return alarms.filter((a) =>
    watched(a).some(
      (m) =>
        m.namespace === namespace &&
        m.metricName === metricName &&
        isDeepStrictEqual(m.dimensions, dimensions),
    ),
  );
}

const names = (type: string, key = 'name') => ofType(stack, type).map((r) => input<string>(r, key));
const env = (fn: SynthResource) => input<{ variables: Record<string, string> }>(fn, 'environment').variables;

describe('the operations topic', () => {
  it('e-mails alertEmail when no opsEmail is set', () => {
    const topic = byName(ofType(stack, 'aws:sns/topic:Topic'), 'operations-topic');
    expect(topic.inputs).toMatchObject({ name: 'sns-operations-dev' });
    const subscription = byName(
      ofType(stack, 'aws:sns/topicSubscription:TopicSubscription'),
      'operations-email',
    );
    expect(subscription.inputs).toMatchObject({
      protocol: 'email',
      endpoint: 'alerts@example.com',
      topic: OPS_TOPIC_ARN,
    });
  });

  // alias/aws/sns would do for the alerts topic, but its key policy does not let CloudWatch use it.
  it('is encrypted with a rotated key of its own that CloudWatch alarms of this account only may use', () => {
    const [key] = ofType(stack, 'aws:kms/key:Key');
    const topic = byName(ofType(stack, 'aws:sns/topic:Topic'), 'operations-topic');
    expect(input<string>(topic, 'kmsMasterKeyId')).toMatch(/^arn:aws:kms:us-east-1:123456789012:/);
    expect(topic.propertyDependencies?.kmsMasterKeyId).toEqual([key.urn]);
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 7 });
    const statements = JSON.parse(input<string>(key, 'policy')).Statement as Record<string, unknown>[];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' },
        },
      }),
    );
    expect(statements.filter((st) => JSON.stringify(st.Principal).includes('"*"'))).toEqual([]);
    expect(input(ofType(stack, 'aws:kms/alias:Alias')[0], 'name')).toBe('alias/kms-operations-dev');
  });
});

describe('the operations alarms', () => {
  it('each notify the operations topic when they fire and when they clear, created after it', () => {
    const topicUrn = byName(ofType(stack, 'aws:sns/topic:Topic'), 'operations-topic').urn;
    // 2 failure queues, errors and throttles of 3 functions, 2 lags, 2 tables, the API, the SLA.
    expect(alarms).toHaveLength(15);
    for (const alarm of alarms) {
      expect({ alarm: alarm.name, ...alarm.inputs }).toMatchObject({
        alarm: alarm.name,
        actionsEnabled: true,
        alarmActions: [OPS_TOPIC_ARN],
        okActions: [OPS_TOPIC_ARN],
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
      expect(alarm.dependencies).toContain(topicUrn);
    }
  });

  it('watch every failure queue for any message', () => {
    const queues = names('aws:sqs/queue:Queue');
    expect(queues.sort()).toEqual(['sqs-anomaly-failures-dev', 'sqs-validator-failures-dev']);
    for (const queue of queues) {
      const [alarm] = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: queue });
      expect(alarm.inputs).toMatchObject({
        statistic: 'Maximum',
        period: 60,
        threshold: 0,
        evaluationPeriods: 1,
      });
    }
  });

  it("watch every function's errors and throttles", () => {
    const functions = names('aws:lambda/function:Function');
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn('AWS/Lambda', metric, { FunctionName: fn });
        expect({ fn, metric, count: found.length }).toEqual({ fn, metric, count: 1 });
        expect(found[0].inputs).toMatchObject({ statistic: 'Sum', period: 300, threshold: 0 });
      }
    }
  });

  it("watch the stream mapping's iterator age and the validator's asynchronous event age", () => {
    const [iterator] = alarmsOn('AWS/Lambda', 'IteratorAge', { FunctionName: 'lambda-anomaly-dev' });
    expect(iterator.inputs).toMatchObject({ statistic: 'Maximum', threshold: 60_000, evaluationPeriods: 3 });
    const [eventAge] = alarmsOn('AWS/Lambda', 'AsyncEventAge', { FunctionName: 'lambda-validator-dev' });
    expect(eventAge.inputs).toMatchObject({ statistic: 'Maximum', threshold: 60_000, evaluationPeriods: 1 });
  });

  it("watch every table's read and write throttles, summed with missing points as zero", () => {
    const tables = names('aws:dynamodb/table:Table');
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      const [alarm] = alarmsOn('AWS/DynamoDB', 'ReadThrottleEvents', { TableName: table });
      expect(alarmsOn('AWS/DynamoDB', 'WriteThrottleEvents', { TableName: table })).toEqual([alarm]);
      const queries = input<Query[]>(alarm, 'metricQueries');
      expect(queries.filter((q) => q.returnData)).toEqual([
        expect.objectContaining({ expression: 'FILL(m0, 0) + FILL(m1, 0)' }),
      ]);
      expect(alarm.inputs).toMatchObject({ threshold: 0, evaluationPeriods: 3, datapointsToAlarm: 3 });
    }
  });

  it("watch the merchant API stage's 5XX errors", () => {
    const api = input<string>(ofType(stack, 'aws:apigateway/restApi:RestApi')[0], 'name');
    const stage = input<string>(ofType(stack, 'aws:apigateway/stage:Stage')[0], 'stageName');
    const [alarm] = alarmsOn('AWS/ApiGateway', '5XXError', { ApiName: api, Stage: stage });
    expect(alarm.inputs).toMatchObject({ statistic: 'Sum', threshold: 0 });
  });

  it('fire when one file takes more than 300 s, on the metric the validator emits', () => {
    const validator = byName(ofType(stack, 'aws:lambda/function:Function'), 'validator-function');
    const { POWERTOOLS_METRICS_NAMESPACE: namespace, POWERTOOLS_SERVICE_NAME: service } = env(validator);
    expect(namespace).toBe('TransactionProcessor/dev');
    const [sla] = alarmsOn(namespace, METRIC.uploadToManifestSeconds, { service });
    // Maximum: the SLA is per file, so one slow file breaches it whatever the others did.
    expect(sla.inputs).toMatchObject({
      statistic: 'Maximum',
      period: 60,
      threshold: 300,
      evaluationPeriods: 1,
    });
  });

  it('fire when an alert is sent more than 300 s after its file, on the metric the detector emits', () => {
    const anomaly = byName(ofType(stack, 'aws:lambda/function:Function'), 'anomaly-function');
    const { POWERTOOLS_METRICS_NAMESPACE: namespace, POWERTOOLS_SERVICE_NAME: service } = env(anomaly);
    const [sla] = alarmsOn(namespace, METRIC.uploadToAlertSeconds, { service });
    expect(sla.inputs).toMatchObject({
      statistic: 'Maximum',
      period: 60,
      threshold: 300,
      evaluationPeriods: 1,
    });
  });

  it("give each function's metrics its environment's namespace", () => {
    for (const fn of ofType(stack, 'aws:lambda/function:Function')) {
      expect(env(fn).POWERTOOLS_METRICS_NAMESPACE).toBe('TransactionProcessor/dev');
    }
  });
});

interface Widget {
  type: string;
  properties: { title?: string; alarms?: string[]; metrics?: (string | Record<string, string>)[][] };
}

describe('the pipeline dashboard', () => {
  let widgets: Widget[];
  beforeAll(() => {
    const [dashboard] = ofType(stack, 'aws:cloudwatch/dashboard:Dashboard');
    expect(input(dashboard, 'dashboardName')).toBe('dashboard-pipeline-dev');
    widgets = JSON.parse(input<string>(dashboard, 'dashboardBody')).widgets;
  });
  const titled = (title: RegExp) => {
    const found = widgets.filter((w) => title.test(w.properties.title ?? ''));
    expect(found).toHaveLength(1);
    return found[0].properties.metrics ?? [];
  };
  const metricNames = (lines: (string | Record<string, string>)[][]) => lines.map((l) => l[1]);

  it('shows the state of every operations alarm', () => {
    const [alarmWidget] = widgets.filter((w) => w.type === 'alarm');
    const expected = names('aws:cloudwatch/metricAlarm:MetricAlarm').map(
      (n) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${n}`,
    );
    expect([...(alarmWidget.properties.alarms ?? [])].sort()).toEqual(expected.sort());
  });

  it('shows files by outcome, rows stored and rejected, and alerts sent', () => {
    expect(metricNames(titled(/^Files by outcome/))).toEqual([
      'FilesCompleted',
      'FilesRefused',
      'FilesFailed',
    ]);
    expect(metricNames(titled(/^Rows stored and rejected/))).toEqual(['RowsStored', 'RowsRejected']);
    expect(metricNames(titled(/^Alerts sent/))).toContain('AlertsSent');
  });

  it('shows the SLA latency as p50, p99 and maximum, to the manifest and to the alerts', () => {
    for (const [title, metric] of [
      [/^Upload to final manifest/, METRIC.uploadToManifestSeconds],
      [/^Upload to alert/, METRIC.uploadToAlertSeconds],
    ] as const) {
      const lines = titled(title);
      expect(lines.map((l) => [l[1], (l[l.length - 1] as Record<string, string>).stat])).toEqual([
        [metric, 'p50'],
        [metric, 'p99'],
        [metric, 'Maximum'],
      ]);
    }
  });

  it('shows failures, throttles and iterator age of the resources the stack really has', () => {
    const failures = titled(/^Failures/);
    const throttles = titled(/^Throttles/);
    const lag = titled(/^Lag/);
    const dimensionValues = (lines: (string | Record<string, string>)[][]) => lines.map((l) => l[3]);
    expect(dimensionValues(failures)).toEqual(
      expect.arrayContaining([...names('aws:sqs/queue:Queue'), ...names('aws:lambda/function:Function')]),
    );
    expect(dimensionValues(throttles)).toEqual(
      expect.arrayContaining([
        ...names('aws:lambda/function:Function'),
        ...names('aws:dynamodb/table:Table'),
      ]),
    );
    expect(metricNames(lag)).toEqual(['IteratorAge', 'AsyncEventAge']);
  });
});
