import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize, SynthResult } from '../../gate/synth/synthesize';
import { byName, input, ofType, oneOfType } from './helpers';

let stack: SynthResult;
beforeAll(async () => {
  stack = await synthesize({ stack: 'dev' });
});

const FUNCTIONS = ['validator', 'anomaly', 'api'] as const;

describe.each(FUNCTIONS)('the %s function', (fn) => {
  const fnResource = () => byName(ofType(stack, 'aws:lambda/function:Function'), `${fn}-function`);

  it('runs nodejs24.x with 512 MB, 10 reserved executions and active X-Ray tracing', () => {
    expect(fnResource().inputs).toMatchObject({
      name: `lambda-${fn}-dev`,
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      memorySize: 512,
      reservedConcurrentExecutions: 10,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: `/aws/lambda/lambda-${fn}-dev` },
    });
  });

  it("has a timeout within the 5-minute SLA, the API one within API Gateway's 29 s", () => {
    expect(input<number>(fnResource(), 'timeout')).toBe({ validator: 290, anomaly: 60, api: 10 }[fn]);
  });

  it("keeps Lambda's smallest /tmp, 512 MB: nothing is spooled there (the validator streams its rejects to S3)", () => {
    expect(input(fnResource(), 'ephemeralStorage')).toEqual({ size: 512 });
  });

  it('ships a minified esbuild bundle with its source map', () => {
    const code = input<{ path: string }>(fnResource(), 'code');
    expect(code.path).toBe(path.resolve(__dirname, '..', '..', '.bundle', fn));
    expect(fs.readdirSync(code.path).sort()).toEqual(['index.js', 'index.js.map']);
    const js = fs.readFileSync(path.join(code.path, 'index.js'), 'utf8');
    expect(js).toContain('sourceMappingURL=index.js.map');
    // Minified: identifiers renamed (recorded as `names` in the map) and long lines, not indented source.
    expect(js.length / js.split('\n').length).toBeGreaterThan(100);
    const map = JSON.parse(fs.readFileSync(path.join(code.path, 'index.js.map'), 'utf8'));
    expect(map.names.length).toBeGreaterThan(0);
    expect(map.sources).toContain(`../../lambda/${fn}/handler.ts`);
  });

  it('owns a log group kept 7 days, created before the function, as is its role policy', () => {
    const logGroup = byName(ofType(stack, 'aws:cloudwatch/logGroup:LogGroup'), `${fn}-logs`);
    expect(logGroup.inputs).toMatchObject({ name: `/aws/lambda/lambda-${fn}-dev`, retentionInDays: 7 });
    expect(fnResource().dependencies).toContain(logGroup.urn);
    // Tracing, the stream mapping and the invoke config are checked against the role's permissions.
    const policy = byName(ofType(stack, 'aws:iam/rolePolicy:RolePolicy'), `${fn}-policy`);
    expect(fnResource().dependencies).toContain(policy.urn);
  });

  it('runs as its own role, trusted only by Lambda', () => {
    const role = byName(ofType(stack, 'aws:iam/role:Role'), `${fn}-role`);
    expect(input(role, 'name')).toBe(`role-${fn}-dev`);
    expect(JSON.parse(input<string>(role, 'assumeRolePolicy'))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    expect(input(fnResource(), 'role')).toBe(`arn:aws:iam::123456789012:role/role-${fn}-dev`);
  });
});

describe('function environments', () => {
  const env = (fn: string) =>
    input<{ variables: Record<string, string> }>(
      byName(ofType(stack, 'aws:lambda/function:Function'), `${fn}-function`),
      'environment',
    ).variables;

  it('give the validator its table, bucket, secret and limits', () => {
    expect(env('validator')).toMatchObject({
      TABLE_NAME: 'dynamodb-transactions-dev',
      BUCKET_NAME: 's3-uploads-dev',
      CARD_HASH_SECRET_ID: 'secret-card-hash-key-dev',
      MAX_FILE_BYTES: expect.stringMatching(/^\d+$/),
      MAX_LINE_BYTES: expect.stringMatching(/^\d+$/),
      MAX_ROWS: '1000000',
      MAX_AMOUNT: expect.stringMatching(/^\d+$/),
    });
  });

  it('give the anomaly detector the topic, its state table and every rule threshold', () => {
    const vars = env('anomaly');
    expect(vars.TOPIC_ARN).toBe('arn:aws:sns:us-east-1:123456789012:sns-alerts-dev');
    expect(vars.STATE_TABLE_NAME).toBe('dynamodb-detector-state-dev');
    expect(Object.keys(vars).filter((k) => k.startsWith('ANOMALY_'))).toHaveLength(14);
  });

  it('give the API the API-key-id-to-merchant map', () => {
    expect(JSON.parse(env('api').API_KEY_MERCHANTS)).toEqual({
      'apikey-merchant-a-dev-id': 'merchant-a',
      'apikey-merchant-b-dev-id': 'merchant-b',
    });
    expect(env('api')).toMatchObject({
      TABLE_NAME: 'dynamodb-transactions-dev',
      BUCKET_NAME: 's3-uploads-dev',
    });
  });
});

describe('failure handling', () => {
  it('retries the validator twice on asynchronous events, then sends them to its SQS queue', () => {
    expect(
      oneOfType(stack, 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig').inputs,
    ).toMatchObject({
      functionName: 'lambda-validator-dev',
      maximumRetryAttempts: 2,
      destinationConfig: {
        onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:sqs-validator-failures-dev' },
      },
    });
  });

  it('maps the table stream to the anomaly function with partial failures, bisect and bounded retries', () => {
    expect(oneOfType(stack, 'aws:lambda/eventSourceMapping:EventSourceMapping').inputs).toMatchObject({
      functionName: 'arn:aws:lambda:us-east-1:123456789012:function:lambda-anomaly-dev',
      eventSourceArn: expect.stringContaining('table/dynamodb-transactions-dev/stream/'),
      startingPosition: 'LATEST',
      batchSize: 100,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 3600,
      functionResponseTypes: ['ReportBatchItemFailures'],
      destinationConfig: {
        onFailure: { destinationArn: 'arn:aws:sqs:us-east-1:123456789012:sqs-anomaly-failures-dev' },
      },
    });
  });

  it('creates failure queues only for the asynchronously invoked functions, encrypted', () => {
    const queues = ofType(stack, 'aws:sqs/queue:Queue').map((q) => q.inputs);
    expect(queues.map((q) => q.name).sort()).toEqual([
      'sqs-anomaly-failures-dev',
      'sqs-validator-failures-dev',
    ]);
    for (const q of queues) expect(q.sqsManagedSseEnabled).toBe(true);
  });
});

describe('the merchant API', () => {
  /** `VERB /path` of every method, following each resource's parent chain to the root. */
  function routes(): string[] {
    const resources = ofType(stack, 'aws:apigateway/resource:Resource');
    const pathOf = (id: unknown): string => {
      if (id === 'root-resource-id') return '';
      // Under mocks a resource's id is `<logical name>-id` (gate/synth/mock-values.ts).
      const resource = resources.find((r) => `${r.name}-id` === id);
      if (!resource) throw new Error(`unknown resource id ${String(id)}`);
      return `${pathOf(resource.inputs.parentId)}/${String(resource.inputs.pathPart)}`;
    };
    return ofType(stack, 'aws:apigateway/method:Method').map(
      (m) => `${m.inputs.httpMethod} ${pathOf(m.inputs.resourceId)}`,
    );
  }

  it('exposes exactly POST /upload and GET /status/{transaction_id}, both requiring an API key', () => {
    expect(routes().sort()).toEqual(['GET /status/{transaction_id}', 'POST /upload']);
    for (const m of ofType(stack, 'aws:apigateway/method:Method')) {
      expect(m.inputs).toMatchObject({ apiKeyRequired: true, authorization: 'NONE' });
    }
    const get = ofType(stack, 'aws:apigateway/method:Method').find((m) => m.inputs.httpMethod === 'GET');
    expect(get?.inputs.requestParameters).toEqual({ 'method.request.path.transaction_id': true });
  });

  it('proxies each method, and only those, to the API function', () => {
    const methods = ofType(stack, 'aws:apigateway/method:Method');
    const integrations = ofType(stack, 'aws:apigateway/integration:Integration');
    expect(integrations).toHaveLength(methods.length);
    for (const method of methods) {
      const integration = integrations.find(
        (i) =>
          i.inputs.resourceId === method.inputs.resourceId &&
          i.inputs.httpMethod === method.inputs.httpMethod,
      );
      expect(integration?.inputs).toMatchObject({
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: expect.stringContaining('function:lambda-api-dev/invocations'),
      });
    }
  });

  it('redeploys when a route, its method settings or its integration target change', () => {
    const deployment = oneOfType(stack, 'aws:apigateway/deployment:Deployment');
    const routesTrigger = JSON.parse(String((deployment.inputs.triggers as Record<string, string>).routes));
    expect(routesTrigger).toHaveLength(2);
    for (const route of routesTrigger) {
      expect(route).toMatchObject({
        apiKeyRequired: true,
        authorization: 'NONE',
        type: 'AWS_PROXY',
        uri: expect.stringContaining('lambda-api-dev'),
      });
    }
    for (const r of [
      ...ofType(stack, 'aws:apigateway/method:Method'),
      ...ofType(stack, 'aws:apigateway/integration:Integration'),
    ]) {
      expect(deployment.dependencies).toContain(r.urn);
    }
    expect(oneOfType(stack, 'aws:apigateway/stage:Stage').inputs.deployment).toBe(
      'merchant-api-deployment-id',
    );
  });

  it('lets only this API invoke the function', () => {
    const permission = byName(
      ofType(stack, 'aws:lambda/permission:Permission'),
      'merchant-api-invoke-api-function',
    );
    expect(permission.inputs).toMatchObject({
      principal: 'apigateway.amazonaws.com',
      function: 'lambda-api-dev',
      sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:apigw-merchant-dev-id/*/*',
    });
  });

  it('deploys a stage with X-Ray, access logs kept 7 days, and method throttling', () => {
    const stage = oneOfType(stack, 'aws:apigateway/stage:Stage');
    const accessLogs = byName(ofType(stack, 'aws:cloudwatch/logGroup:LogGroup'), 'merchant-api-access-logs');
    expect(accessLogs.inputs).toMatchObject({
      name: '/aws/apigateway/apigw-merchant-dev',
      retentionInDays: 7,
    });
    expect(stage.inputs).toMatchObject({
      stageName: 'v1',
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: expect.stringContaining('/aws/apigateway/apigw-merchant-dev') },
    });
    const format = JSON.parse(String((stage.inputs.accessLogSettings as { format: string }).format));
    expect(format).toMatchObject({ requestId: '$context.requestId', apiKeyId: '$context.identity.apiKeyId' });
    expect(stage.dependencies).toContain(oneOfType(stack, 'aws:apigateway/account:Account').urn);
    // The burst equals the API function's reserved concurrency, so bursts are not turned into 5xx.
    expect(oneOfType(stack, 'aws:apigateway/methodSettings:MethodSettings').inputs).toMatchObject({
      restApi: 'apigw-merchant-dev-id',
      stageName: 'v1',
      methodPath: '*/*',
      settings: { throttlingRateLimit: 20, throttlingBurstLimit: 10, metricsEnabled: true },
    });
  });

  it('binds one API key per merchant to a usage plan with throttle and quota', () => {
    expect(oneOfType(stack, 'aws:apigateway/usagePlan:UsagePlan').inputs).toMatchObject({
      name: 'usageplan-merchants-dev',
      apiStages: [{ apiId: 'apigw-merchant-dev-id', stage: 'v1' }],
      throttleSettings: { rateLimit: 5, burstLimit: 5 }, // per key, below the stage's: no merchant starves others
      quotaSettings: { limit: 100000, period: 'DAY' },
    });
    const keys = ofType(stack, 'aws:apigateway/apiKey:ApiKey').map((k) => k.inputs.name);
    expect(keys.sort()).toEqual(['apikey-merchant-a-dev', 'apikey-merchant-b-dev']);
    const bound = ofType(stack, 'aws:apigateway/usagePlanKey:UsagePlanKey').map((k) => k.inputs.keyId);
    expect(bound.sort()).toEqual(['apikey-merchant-a-dev-id', 'apikey-merchant-b-dev-id']);
  });

  it('sets the account-wide CloudWatch role API Gateway needs for access logs', () => {
    const role = byName(ofType(stack, 'aws:iam/role:Role'), 'merchant-api-logs-role');
    expect(JSON.parse(input<string>(role, 'assumeRolePolicy')).Statement[0].Principal).toEqual({
      Service: 'apigateway.amazonaws.com',
    });
    expect(oneOfType(stack, 'aws:apigateway/account:Account').inputs).toMatchObject({
      cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/role-apigw-logs-dev',
    });
    const policy = byName(ofType(stack, 'aws:iam/rolePolicy:RolePolicy'), 'merchant-api-logs-policy');
    expect(JSON.parse(String(policy.inputs.policy)).Statement[0].Resource).toEqual([
      'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/*',
      'arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Execution-Logs_*',
    ]);
  });
});
