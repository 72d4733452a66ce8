/**
 * One single mutation of the exported stack state per control: each breaks exactly the rule it is
 * named after, on one resource (found by its logical name), and says which resource the verdict
 * must name. Policies are matched by name, so a policy added to the pack without a mutation here
 * makes the coverage test fail.
 */
import type { GateResource } from '../../gate/types';

type Inputs = Record<string, unknown>;

export interface Mutation {
  policy: string;
  /** Logical name of the resource to change. */
  target: string;
  /** Logical name the violation must name (default: the target). */
  expect?: string;
  /** Change the (cloned) resource in place; return false to remove it from the state instead. */
  mutate: (r: GateResource) => void | false;
}

const doc = (json: unknown) => JSON.parse(String(json)) as { Statement: Record<string, unknown>[] };
const addStatement = (field: string, statement: Record<string, unknown>) => (r: GateResource) => {
  const d = doc(r.inputs[field]);
  d.Statement.push(statement);
  r.inputs[field] = JSON.stringify(d);
};
const set = (path: string, value: unknown) => (r: GateResource) => {
  const keys = path.split('.');
  let o = r.inputs as Inputs;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Inputs;
  if (value === undefined) delete o[keys[keys.length - 1]];
  else o[keys[keys.length - 1]] = value;
};

export const MUTATIONS: Mutation[] = [
  { policy: 'required-tags', target: 'alerts-topic', mutate: set('tags.Environment', 'staging') },
  { policy: 'log-group-retention', target: 'validator-logs', mutate: set('retentionInDays', 30) },
  { policy: 'lambda-own-log-group', target: 'anomaly-logs', expect: 'anomaly-function', mutate: () => false },
  {
    policy: 'lambda-xray-active',
    target: 'validator-function',
    mutate: set('tracingConfig.mode', 'PassThrough'),
  },
  { policy: 'apigateway-stage-xray', target: 'merchant-api-stage', mutate: set('xrayTracingEnabled', false) },
  {
    policy: 'lambda-reserved-concurrency',
    target: 'api-function',
    mutate: set('reservedConcurrentExecutions', 5),
  },
  {
    policy: 'iam-least-privilege',
    target: 'api-policy',
    mutate: addStatement('policy', { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }),
  },
  {
    policy: 'iam-no-broad-managed-policies',
    target: 'api-role',
    mutate: set('managedPolicyArns', ['arn:aws:iam::aws:policy/AdministratorAccess']),
  },
  {
    policy: 'iam-trust-service-principal',
    target: 'validator-role',
    mutate: addStatement('assumeRolePolicy', {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'sts:AssumeRole',
    }),
  },
  {
    policy: 'lambda-permission-source',
    target: 'uploads-invoke-validator',
    mutate: set('sourceAccount', undefined),
  },
  {
    policy: 'no-public-resource-policies',
    target: 'uploads-tls-only',
    mutate: addStatement('policy', {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::s3-uploads-dev/*',
    }),
  },
  {
    policy: 'no-protected-resources',
    target: 'transactions-table',
    mutate: (r) => {
      r.options = { ...r.options, protect: true };
    },
  },
  { policy: 's3-bucket-force-destroy', target: 'uploads-bucket', mutate: set('forceDestroy', false) },
  {
    policy: 'dynamodb-deletion-protection-disabled',
    target: 'transactions-table',
    mutate: set('deletionProtectionEnabled', true),
  },
  {
    policy: 'secret-immediate-deletion',
    target: 'card-hash-key-secret',
    mutate: set('recoveryWindowInDays', 30),
  },
  {
    policy: 'secret-customer-managed-key',
    target: 'card-hash-kms-key',
    expect: 'card-hash-key-secret',
    mutate: () => false,
  },
  { policy: 'kms-key-rotation', target: 'card-hash-kms-key', mutate: set('enableKeyRotation', false) },
  { policy: 'kms-key-decrypt-scoped', target: 'card-hash-kms-key', mutate: set('policy', undefined) },
  {
    policy: 's3-access-logging',
    target: 'access-logs-from-source',
    expect: 'uploads-bucket',
    mutate: () => false,
  },
  { policy: 'lambda-memory-size', target: 'anomaly-function', mutate: set('memorySize', 1024) },
  { policy: 'lambda-supported-runtime', target: 'validator-function', mutate: set('runtime', 'nodejs16.x') },
  { policy: 'dynamodb-on-demand', target: 'transactions-table', mutate: set('billingMode', 'PROVISIONED') },
  {
    policy: 'dynamodb-stream-new-and-old-images',
    target: 'transactions-table',
    mutate: set('streamViewType', 'KEYS_ONLY'),
  },
  {
    policy: 'dynamodb-point-in-time-recovery',
    target: 'transactions-table',
    mutate: set('pointInTimeRecovery.enabled', false),
  },
  {
    policy: 'dynamodb-encryption',
    target: 'detector-state-table',
    mutate: set('serverSideEncryption.enabled', false),
  },
  {
    policy: 's3-versioning-enabled',
    target: 'uploads-versioning',
    mutate: set('versioningConfiguration.status', 'Suspended'),
  },
  {
    policy: 's3-lifecycle-expiration',
    target: 'uploads-lifecycle',
    mutate: (r) => {
      const rules = r.inputs.rules as Inputs[];
      r.inputs.rules = [{ ...rules[0], expiration: { days: 365 } }];
    },
  },
  {
    policy: 's3-public-access-block',
    target: 'uploads-public-access',
    mutate: set('blockPublicPolicy', false),
  },
  { policy: 's3-encryption', target: 'uploads-encryption', mutate: set('rules', []) },
  {
    policy: 's3-tls-only',
    target: 'uploads-tls-only',
    mutate: (r) => {
      const d = doc(r.inputs.policy);
      r.inputs.policy = JSON.stringify({ ...d, Statement: d.Statement.filter((s) => s.Effect !== 'Deny') });
    },
  },
  {
    policy: 's3-bucket-protections-present',
    target: 'uploads-versioning',
    expect: 'uploads-bucket',
    mutate: () => false,
  },
  {
    policy: 's3-notification-filter',
    target: 'uploads-notify-validator',
    mutate: (r) => {
      const fns = r.inputs.lambdaFunctions as Inputs[];
      r.inputs.lambdaFunctions = [{ ...fns[0], filterSuffix: '.txt' }];
    },
  },
  {
    policy: 'apigateway-method-api-key',
    target: 'merchant-api-method-post-upload',
    mutate: set('apiKeyRequired', false),
  },
  { policy: 'sns-topic-encrypted', target: 'alerts-topic', mutate: set('kmsMasterKeyId', undefined) },
  {
    policy: 'sns-email-subscription',
    target: 'alerts-email',
    expect: 'alerts-topic',
    mutate: set('protocol', 'sms'),
  },
  { policy: 'resource-naming', target: 'alerts-topic', mutate: set('name', 'alerts') },
  { policy: 'allowed-region', target: 'aws-us-east-1', mutate: set('region', 'eu-west-1') },
  {
    policy: 'operations-alarms',
    target: 'operations-alarms-api-errors',
    expect: 'api-function',
    mutate: () => false,
  },
  // Advisory by default: the tests promote each to mandatory with a config file.
  {
    policy: 'lambda-async-failure-destination',
    target: 'validator-async',
    mutate: set('destinationConfig', undefined),
  },
  {
    policy: 'stream-mapping-failure-handling',
    target: 'anomaly-stream',
    mutate: set('bisectBatchOnFunctionError', false),
  },
  {
    policy: 'apigateway-access-logging',
    target: 'merchant-api-stage',
    mutate: set('accessLogSettings', undefined),
  },
  {
    policy: 'apigateway-throttling',
    target: 'merchant-api-usage-plan',
    mutate: set('throttleSettings', undefined),
  },
  // Enforced by the gate itself: packs never see retainOnDelete.
  {
    policy: 'no-retain-on-delete',
    target: 'uploads-bucket',
    mutate: (r) => {
      r.options = { ...r.options, retainOnDelete: true };
    },
  },
];

/** The resources with one mutation applied; untouched resources are shared, the target is cloned. */
export function applyMutation(resources: GateResource[], m: Mutation): GateResource[] {
  const index = resources.findIndex((r) => r.name === m.target);
  if (index < 0) throw new Error(`mutation for ${m.policy}: no resource named ${m.target}`);
  const clone = structuredClone(resources[index]);
  const keep = m.mutate(clone) !== false;
  // Stack policies read outputs, which in the gate's own state are a planned create's inputs: a
  // mutation of the inputs is a mutation of the resource's state too.
  if (clone.outputs) clone.outputs = clone.inputs;
  return keep ? resources.map((r, i) => (i === index ? clone : r)) : resources.filter((_, i) => i !== index);
}
