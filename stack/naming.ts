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
} as const;

export type ResourceKind = keyof typeof NAME_LIMITS;

/** Lowercase letters, digits and single hyphens inside; valid in every name kind above (S3 is strictest). */
export const SUFFIX_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** Every fixed (kind, purpose) the program names; the longest decides how long a suffix may be. */
export const NAMED_RESOURCES: ReadonlyArray<readonly [ResourceKind, string]> = [
  ['s3', 'uploads'],
  ['dynamodb', 'transactions'],
  ['dynamodb', 'detector-state'],
  ['sns', 'alerts'],
  ['sqs', 'validator-failures'],
  ['sqs', 'anomaly-failures'],
  ['secret', 'card-hash-key'],
  ['lambda', 'validator'],
  ['lambda', 'anomaly'],
  ['lambda', 'api'],
  ['role', 'validator'],
  ['role', 'anomaly'],
  ['role', 'api'],
  ['role', 'apigw-logs'],
  ['policy', 'validator'],
  ['policy', 'anomaly'],
  ['policy', 'api'],
  ['policy', 'apigw-logs'],
  ['apigw', 'merchant'],
  ['usageplan', 'merchants'],
];

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
