import type { PolicyResource } from '@pulumi/policy';
import { stackPolicy } from '../lib/define';
import { knownOrUndefined, peek } from '../lib/unknown';
import { asArray } from '../lib/values';

interface Config {
  functionMetrics: string[];
  queueMetrics: string[];
}

const FUNCTION = 'aws:lambda/function:Function';
const QUEUE = 'aws:sqs/queue:Queue';
const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';

/** Where failed work goes: the property that names the destination, per resource type. */
const DESTINATIONS: Record<string, { property: string; path: string[] }> = {
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig': {
    property: 'destinationConfig',
    path: ['destinationConfig', 'onFailure', 'destination'],
  },
  'aws:lambda/eventSourceMapping:EventSourceMapping': {
    property: 'destinationConfig',
    path: ['destinationConfig', 'onFailure', 'destinationArn'],
  },
  [FUNCTION]: { property: 'deadLetterConfig', path: ['deadLetterConfig', 'targetArn'] },
};

/** A metric an alarm watches: its own, or one of its metric-math queries. */
interface Watched {
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, unknown>;
}

/** The value at `path`: a string, 'unknown' (at preview) or undefined (not set). */
function valueAt(props: Record<string, unknown>, path: readonly string[]): string | 'unknown' | undefined {
  let node: unknown = props;
  for (const key of path) {
    const state = peek(node, key).state;
    if (state === 'unknown') return 'unknown';
    if (state === 'absent') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? node : undefined;
}

/** A queue that receives failed work: its name when known, and the resource to report against. */
interface FailureQueue {
  readonly name?: string;
  readonly at: PolicyResource;
}

/**
 * The SQS queues failed work is sent to: named by the destination ARN when known (the name is its
 * last field), else the queue of this stack the property depends on (the engine records it).
 */
function failureQueues(resources: PolicyResource[]): FailureQueue[] {
  const queues = resources.filter((r) => r.type === QUEUE);
  const found = new Map<string, FailureQueue>();
  for (const r of resources) {
    const destination = DESTINATIONS[r.type];
    const value = destination && valueAt(r.props, destination.path);
    if (!destination || value === undefined) continue;
    if (value !== 'unknown') {
      const name = value.split(':').pop()!;
      const queue = queues.find((q) => knownOrUndefined(q.props, 'name') === name);
      if (value.split(':')[2] === 'sqs') found.set(queue?.urn ?? name, { name, at: queue ?? r });
      continue;
    }
    const deps = r.propertyDependencies[destination.property] ?? r.dependencies;
    for (const queue of queues.filter((q) => deps.some((d) => d.urn === q.urn))) {
      found.set(queue.urn, { name: knownOrUndefined<string>(queue.props, 'name'), at: queue });
    }
  }
  return [...found.values()];
}

function watchedMetrics(alarm: PolicyResource): Watched[] {
  const own = {
    namespace: knownOrUndefined<string>(alarm.props, 'namespace'),
    metricName: knownOrUndefined<string>(alarm.props, 'metricName'),
    dimensions: knownOrUndefined<Record<string, unknown>>(alarm.props, 'dimensions'),
  };
  const queries = asArray<Record<string, unknown>>(knownOrUndefined(alarm.props, 'metricQueries'));
  return [own, ...queries.map((q) => knownOrUndefined<Watched>(q, 'metric') ?? {})];
}

/** An alarm acts when actions are enabled (the default) and it names at least one alarm action. */
function hasAction(alarm: PolicyResource): boolean {
  if (knownOrUndefined(alarm.props, 'actionsEnabled') === false) return false;
  const actions = peek(alarm.props, 'alarmActions');
  if (actions.state === 'unknown') return true;
  return asArray(knownOrUndefined(alarm.props, 'alarmActions')).length > 0;
}

/**
 * The alarms watching one of `metrics` in `namespace` with dimension `dimension` designating the
 * resource named `name`; when either is unknown at preview, those whose dimensions depend on `owner`.
 */
function alarmsOn(
  alarms: PolicyResource[],
  namespace: string,
  metrics: readonly string[],
  dimension: string,
  name: string | undefined,
  owner: PolicyResource,
): PolicyResource[] {
  return alarms.filter((alarm) =>
    watchedMetrics(alarm).some((m) => {
      if (m.namespace !== namespace || !metrics.includes(m.metricName ?? '')) return false;
      const value = peek(m.dimensions, dimension);
      if (value.state === 'absent') return false;
      if (value.state === 'known' && name !== undefined) return m.dimensions?.[dimension] === name;
      return (alarm.propertyDependencies.dimensions ?? alarm.dependencies).some((d) => d.urn === owner.urn);
    }),
  );
}

/** What is wrong with the alarms `found` for one resource, or undefined when one of them acts. */
function verdict(what: string, metrics: readonly string[], found: PolicyResource[]): string | undefined {
  if (found.some(hasAction)) return undefined;
  const on = metrics.join(' or ');
  if (found.length === 0)
    return `${what} should have a CloudWatch alarm with an action on ${on}; found none.`;
  return `${what} should have a CloudWatch alarm with an action on ${on}; found ${found
    .map((a) => String(knownOrUndefined(a.props, 'name') ?? a.name))
    .join(', ')}, with no alarm action.`;
}

export const operationsAlarms = stackPolicy<Config>(
  {
    id: 'operations-alarms',
    displayName: 'Every function and failure destination has an alarm with an action',
    description:
      'Every Lambda function must have a CloudWatch alarm with an action on its errors, and every SQS queue that receives failed work (an on-failure destination or dead-letter queue) must have one on its visible messages. A failure that nobody is told about is a control failure that goes unaddressed.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['10.7.2', '10.7.3'] },
    remediationSteps:
      "Declare an aws.cloudwatch.MetricAlarm per function (AWS/Lambda Errors, dimension FunctionName) and per failure queue (AWS/SQS ApproximateNumberOfMessagesVisible, dimension QueueName), each with `alarmActions` naming the operations topic; don't set `actionsEnabled: false`.",
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
    config: {
      functionMetrics: {
        type: 'array',
        items: { type: 'string' },
        default: ['Errors'],
        description: 'AWS/Lambda metrics, any of which a function alarm may watch.',
      },
      queueMetrics: {
        type: 'array',
        items: { type: 'string' },
        default: ['ApproximateNumberOfMessagesVisible'],
        description: 'AWS/SQS metrics, any of which a failure queue alarm may watch.',
      },
    },
  },
  ({ resources, config, report }) => {
    const alarms = resources.filter((r) => r.type === ALARM);
    for (const fn of resources.filter((r) => r.type === FUNCTION)) {
      const name = knownOrUndefined<string>(fn.props, 'name');
      const found = alarmsOn(alarms, 'AWS/Lambda', config.functionMetrics, 'FunctionName', name, fn);
      const problem = verdict(`function ${name ?? fn.name}`, config.functionMetrics, found);
      if (problem) report(problem, fn.urn);
    }
    for (const { name, at } of failureQueues(resources)) {
      const found = alarmsOn(alarms, 'AWS/SQS', config.queueMetrics, 'QueueName', name, at);
      const problem = verdict(`failure queue ${name ?? at.name}`, config.queueMetrics, found);
      if (problem) report(problem, at.urn);
    }
  },
);
