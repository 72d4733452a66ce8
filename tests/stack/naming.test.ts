import {
  lambdaLogGroupName,
  maxSuffixLength,
  NAME_LIMITS,
  NAMED_RESOURCES,
  NamingError,
  resourceName,
  stackNames,
} from '../../stack/naming';

describe('resource names', () => {
  it('follow {resource-type}-{purpose}-{environmentSuffix}', () => {
    expect(resourceName('lambda', 'validator', 'dev')).toBe('lambda-validator-dev');
    expect(resourceName('s3', 'uploads', 'prod-eu')).toBe('s3-uploads-prod-eu');
  });

  it('allow a suffix of 47 characters, the Lambda function name being the tightest fit', () => {
    expect(maxSuffixLength()).toBe(47);
    expect(resourceName('lambda', 'validator', 'x'.repeat(47))).toHaveLength(NAME_LIMITS.lambda);
  });

  it('fit their AWS limit for every named resource with the longest valid suffix', () => {
    const suffix = 'x'.repeat(maxSuffixLength());
    for (const [kind, purpose] of NAMED_RESOURCES) {
      expect(resourceName(kind, purpose, suffix).length).toBeLessThanOrEqual(NAME_LIMITS[kind]);
    }
  });

  it('refuse a name over its limit, saying how long the suffix may be', () => {
    expect(() => resourceName('lambda', 'validator', 'x'.repeat(48))).toThrow(NamingError);
    expect(() => resourceName('lambda', 'validator', 'x'.repeat(48))).toThrow(
      'The lambda name "lambda-validator-' + 'x'.repeat(48) + '" is 65 characters; AWS allows at most 64',
    );
  });

  it('put function logs where Lambda writes them', () => {
    expect(lambdaLogGroupName('lambda-api-dev')).toBe('/aws/lambda/lambda-api-dev');
  });
});

describe('the stack names, computed once from one list', () => {
  const names = stackNames('dev');
  const fixed = [
    names.bucket,
    names.accessLogBucket,
    names.table,
    names.stateTable,
    names.topic,
    names.opsTopic,
    names.opsTopicKey,
    names.dashboard,
    names.iteratorAgeAlarm,
    names.asyncEventAgeAlarm,
    names.tableThrottlesAlarm,
    names.stateTableThrottlesAlarm,
    names.api5xxAlarm,
    names.slaAlarm,
    names.alertSlaAlarm,
    names.secret,
    names.cardHashKey,
    names.api,
    names.usagePlan,
    names.apiLogsRole,
    names.apiLogsPolicy,
    ...Object.values(names.functions).flatMap((f) =>
      [
        f.function,
        f.role,
        f.policy,
        f.errorsAlarm,
        f.throttlesAlarm,
        f.failureQueue ?? [],
        f.failureQueueAlarm ?? [],
      ].flat(),
    ),
  ];

  it('name each entry of the list exactly once, and nothing else', () => {
    expect([...fixed].sort()).toEqual(
      NAMED_RESOURCES.map(([kind, purpose]) => `${kind}-${purpose}-dev`).sort(),
    );
  });

  it('derive the log groups and API keys from those names', () => {
    expect(names.functions.validator.logGroup).toBe('/aws/lambda/lambda-validator-dev');
    expect(names.apiAccessLogGroup).toBe('/aws/apigateway/apigw-merchant-dev');
    expect(names.apiKey('merchant-a')).toBe('apikey-merchant-a-dev');
    expect(names.functions.api.failureQueue).toBeUndefined();
    expect(names.functions.api.failureQueueAlarm).toBeUndefined();
  });

  it("keep each environment's metrics apart: one namespace per suffix, one service per function", () => {
    expect(names.metricsNamespace).toBe('TransactionProcessor/dev');
    expect(stackNames('prod').metricsNamespace).toBe('TransactionProcessor/prod');
    expect(names.functions.validator.metricsService).toBe('transaction-processor-validator');
  });
});
