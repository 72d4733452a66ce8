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
  // A key has no name of its own; this one is its Name tag (tag values: at most 256 characters).
  kms: 256,
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
  ...FUNCTION_PURPOSES.flatMap((p) => [['lambda', p] as const, ['role', p] as const, ['policy', p] as const]),
  ...FAILURE_QUEUE_PURPOSES.map((p) => ['sqs', `${p}-failures`] as const),
];

/** The physical names of one function and what it owns. */
export interface FunctionNames {
  readonly function: string;
  readonly logGroup: string;
  readonly role: string;
  readonly policy: string;
  /** Only for the functions in FAILURE_QUEUE_PURPOSES. */
  readonly failureQueue?: string;
}

/** Every physical name of the stack, computed once; components take these and know no rule. */
export type StackNames = { readonly [K in keyof typeof SHARED_RESOURCES]: string } & {
  readonly functions: Readonly<Record<FunctionPurpose, FunctionNames>>;
  readonly apiAccessLogGroup: string;
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
    return {
      function: name,
      logGroup: lambdaLogGroupName(name),
      role: resourceName('role', purpose, suffix),
      policy: resourceName('policy', purpose, suffix),
      failureQueue: FAILURE_QUEUE_PURPOSES.includes(purpose)
        ? resourceName('sqs', `${purpose}-failures`, suffix)
        : undefined,
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
