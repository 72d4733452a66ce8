/**
 * One helper for every physical name: `{resource-type}-{purpose}-{environmentSuffix}`.
 * Names are deterministic so that ARNs in IAM documents can be built before anything exists
 * (known at the first preview). Each kind carries its AWS length limit, so a suffix that would
 * push any derived name past its limit is refused with a clear message before anything is created.
 */

/** Maximum physical-name lengths, per AWS service quotas/naming rules. */
export const NAME_LIMITS = {
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  s3: 63,
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
  dynamodb: 255,
  sns: 256,
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html
  sqs: 80,
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName)
  lambda: 64,
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  role: 64,
  policy: 128,
  secret: 512,
  apigw: 1024,
  usageplan: 1024,
  apikey: 1024,
  loggroup: 512,
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmName)
  alarm: 255,
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName)
  dashboard: 255,
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html (AliasName, with `alias/`)
  kms: 250,
} as const;

export type ResourceKind = keyof typeof NAME_LIMITS;

/** Lowercase letters, digits and single hyphens inside; valid in every name kind above (S3 is strictest). */
export const SUFFIX_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** The functions of the stack; each owns a function, a role, an inline policy and a log group. */
export const FUNCTION_PURPOSES = ['validator', 'anomaly', 'api'] as const;
export type FunctionPurpose = (typeof FUNCTION_PURPOSES)[number];
/** The functions whose failures go to a queue of their own (asynchronous or stream invocations). */
export const FAILURE_QUEUE_PURPOSES: readonly FunctionPurpose[] = ['validator', 'anomaly'];

/** The stack's one-of-a-kind resources: what they are for -> (kind, purpose). */
const SHARED_RESOURCES = {
  bucket: ['s3', 'uploads'],
  accessLogBucket: ['s3', 'access-logs'],
  table: ['dynamodb', 'transactions'],
  stateTable: ['dynamodb', 'detector-state'],
  topic: ['sns', 'alerts'],
  /** Operations alarms (failures, throttles, lag, the SLA); fraud alerts keep their own topic. */
  opsTopic: ['sns', 'operations'],
  /** The operations topic's key: CloudWatch alarms cannot publish to a topic under alias/aws/sns. */
  opsTopicKey: ['kms', 'operations'],
  dashboard: ['dashboard', 'pipeline'],
  iteratorAgeAlarm: ['alarm', 'anomaly-iterator-age'],
  asyncEventAgeAlarm: ['alarm', 'validator-event-age'],
  tableThrottlesAlarm: ['alarm', 'transactions-throttles'],
  stateTableThrottlesAlarm: ['alarm', 'detector-state-throttles'],
  api5xxAlarm: ['alarm', 'merchant-api-5xx'],
  slaAlarm: ['alarm', 'file-sla'],
  alertSlaAlarm: ['alarm', 'alert-sla'],
  secret: ['secret', 'card-hash-key'],
  cardHashKey: ['kms', 'card-hash-key'],
  api: ['apigw', 'merchant'],
  usagePlan: ['usageplan', 'merchants'],
  apiLogsRole: ['role', 'apigw-logs'],
  apiLogsPolicy: ['policy', 'apigw-logs'],
} as const satisfies Record<string, readonly [ResourceKind, string]>;

/** Every fixed (kind, purpose) the program names, from the one list above and the functions. */
export const NAMED_RESOURCES: ReadonlyArray<readonly [ResourceKind, string]> = [
  ...Object.values(SHARED_RESOURCES),
  ...FUNCTION_PURPOSES.flatMap((p) => [
    ['lambda', p] as const,
    ['role', p] as const,
    ['policy', p] as const,
    ['alarm', `${p}-errors`] as const,
    ['alarm', `${p}-throttles`] as const,
  ]),
  ...FAILURE_QUEUE_PURPOSES.flatMap((p) => [
    ['sqs', `${p}-failures`] as const,
    ['alarm', `${p}-failures`] as const,
  ]),
];

/**
 * The CloudWatch namespace of the functions' own metrics (EMF), one per environment: the alarms of
 * one stack must not count the files of another stack in the same account.
 */
export function metricsNamespace(suffix: string): string {
  return `TransactionProcessor/${suffix}`;
}

/** The `service` dimension Powertools adds to every metric and log line of a function. */
export function metricsService(purpose: FunctionPurpose): string {
  return `transaction-processor-${purpose}`;
}

/** The physical names of one function and what it owns. */
export interface FunctionNames {
  readonly function: string;
  readonly logGroup: string;
  readonly role: string;
  readonly policy: string;
  /** Only for the functions in FAILURE_QUEUE_PURPOSES. */
  readonly failureQueue?: string;
  /** The `service` dimension of the function's metrics (and of its log lines). */
  readonly metricsService: string;
  readonly errorsAlarm: string;
  readonly throttlesAlarm: string;
  /** The alarm on the failure queue holding messages; with the queue only. */
  readonly failureQueueAlarm?: string;
}

/** Every physical name of the stack, computed once; components take these and know no rule. */
export type StackNames = { readonly [K in keyof typeof SHARED_RESOURCES]: string } & {
  readonly functions: Readonly<Record<FunctionPurpose, FunctionNames>>;
  readonly apiAccessLogGroup: string;
  /** Namespace of the functions' own metrics (EMF). */
  readonly metricsNamespace: string;
  /** The API key of one merchant. */
  readonly apiKey: (merchantId: string) => string;
};

export class NamingError extends Error {
  override readonly name = 'NamingError';
}

/** `{kind}-{purpose}-{suffix}`, checked against the kind's AWS length limit. */
export function resourceName(kind: ResourceKind, purpose: string, suffix: string): string {
  const name = `${kind}-${purpose}-${suffix}`;
  const limit = NAME_LIMITS[kind];
  if (name.length > limit) {
    throw new NamingError(
      `The ${kind} name "${name}" is ${name.length} characters; AWS allows at most ${limit}. ` +
        `Use an environmentSuffix of at most ${maxSuffixLength()} characters.`,
    );
  }
  return name;
}

/** Every physical name of the stack for one environment suffix. */
export function stackNames(suffix: string): StackNames {
  const shared = Object.fromEntries(
    Object.entries(SHARED_RESOURCES).map(([what, [kind, purpose]]) => [
      what,
      resourceName(kind, purpose, suffix),
    ]),
  ) as { [K in keyof typeof SHARED_RESOURCES]: string };
  const functionNames = (purpose: FunctionPurpose): FunctionNames => {
    const name = resourceName('lambda', purpose, suffix);
    const hasQueue = FAILURE_QUEUE_PURPOSES.includes(purpose);
    return {
      function: name,
      logGroup: lambdaLogGroupName(name),
      role: resourceName('role', purpose, suffix),
      policy: resourceName('policy', purpose, suffix),
      failureQueue: hasQueue ? resourceName('sqs', `${purpose}-failures`, suffix) : undefined,
      metricsService: metricsService(purpose),
      errorsAlarm: resourceName('alarm', `${purpose}-errors`, suffix),
      throttlesAlarm: resourceName('alarm', `${purpose}-throttles`, suffix),
      failureQueueAlarm: hasQueue ? resourceName('alarm', `${purpose}-failures`, suffix) : undefined,
    };
  };
  return {
    ...shared,
    functions: {
      validator: functionNames('validator'),
      anomaly: functionNames('anomaly'),
      api: functionNames('api'),
    },
    apiAccessLogGroup: apiAccessLogGroupName(shared.api),
    metricsNamespace: metricsNamespace(suffix),
    apiKey: (merchantId) => resourceName('apikey', merchantId, suffix),
  };
}

/** The longest suffix for which every name in NAMED_RESOURCES fits its limit. */
export function maxSuffixLength(): number {
  return Math.min(
    ...NAMED_RESOURCES.map(([kind, purpose]) => NAME_LIMITS[kind] - `${kind}-${purpose}-`.length),
  );
}

/** Lambda writes to `/aws/lambda/<function name>`; AWS requires exactly that name for its own group. */
export function lambdaLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** API Gateway access logs: a group of our own, named after the API. */
export function apiAccessLogGroupName(apiName: string): string {
  return `/aws/apigateway/${apiName}`;
}
