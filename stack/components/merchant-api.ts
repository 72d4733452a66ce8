import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ArnContext, policyDocument, serviceTrustPolicy } from '../iam';
import { apiAccessLogGroupName, resourceName } from '../naming';
import { tagsFor } from '../tags';
import { MerchantKey } from './merchant-keys';

export interface MerchantApiArgs {
  readonly environmentSuffix: string;
  readonly arnContext: ArnContext;
  readonly handler: aws.lambda.Function;
  readonly keys: readonly MerchantKey[];
  /** Stage (the URL's last segment). @default "v1" */
  readonly stageName?: string;
  /** Steady-state requests per second per stage and per key. @default 20 */
  readonly rateLimit?: number;
  /** @default 50 */
  readonly burstLimit?: number;
  /** Requests per merchant key per day. @default 100000 */
  readonly dailyQuota?: number;
  /** @default 7 */
  readonly logRetentionDays?: number;
}

const ROUTES = [
  { path: ['upload'], method: 'POST' },
  { path: ['status', '{transaction_id}'], method: 'GET' },
] as const;

/** Fields of each access-log line (JSON): who called what, and how it ended. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  apiKeyId: '$context.identity.apiKeyId',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.resourcePath',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  time: '$context.requestTime',
});

/**
 * The merchant REST API: both methods require an API key and proxy to the API function; a stage
 * with X-Ray, JSON access logs kept 7 days and method throttling; a usage plan (throttle + quota)
 * with every merchant's key bound to it.
 */
export class MerchantApi extends pulumi.ComponentResource {
  public readonly restApi: aws.apigateway.RestApi;
  public readonly stage: aws.apigateway.Stage;
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: MerchantApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:api:MerchantApi', name, {}, opts);
    const suffix = args.environmentSuffix;
    const apiName = resourceName('apigw', 'merchant', suffix);
    const stageName = args.stageName ?? 'v1';
    const rateLimit = args.rateLimit ?? 20;
    const burstLimit = args.burstLimit ?? 50;
    const child = { parent: this };

    this.restApi = new aws.apigateway.RestApi(
      `${name}-api`,
      {
        name: apiName,
        description: 'Merchant uploads and status',
        apiKeySource: 'HEADER',
        endpointConfiguration: { types: 'REGIONAL' },
        tags: tagsFor(apiName),
      },
      child,
    );

    const integrations = this.createRoutes(name, args.handler);

    new aws.lambda.Permission(
      `${name}-invoke-api-function`,
      {
        action: 'lambda:InvokeFunction',
        function: args.handler.name,
        principal: 'apigateway.amazonaws.com',
        // Any stage and method of this API only: https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
        sourceArn: pulumi.interpolate`${this.restApi.executionArn}/*/*`,
      },
      child,
    );

    const deployment = new aws.apigateway.Deployment(
      `${name}-deployment`,
      {
        restApi: this.restApi.id,
        description: 'Merchant API routes',
        // Redeploy whenever a route or its integration changes.
        triggers: { routes: pulumi.jsonStringify(integrations.map((i) => i.id)) },
      },
      { parent: this, dependsOn: integrations },
    );

    const accessLogs = this.createAccessLogging(name, args, apiName);

    this.stage = new aws.apigateway.Stage(
      `${name}-stage`,
      {
        restApi: this.restApi.id,
        deployment: deployment.id,
        stageName,
        xrayTracingEnabled: true,
        accessLogSettings: { destinationArn: accessLogs.logGroup.arn, format: ACCESS_LOG_FORMAT },
        tags: tagsFor(`${apiName}-${stageName}`),
      },
      // Access logging needs the account's CloudWatch role in place first.
      { parent: this, dependsOn: [accessLogs.account] },
    );

    new aws.apigateway.MethodSettings(
      `${name}-throttling`,
      {
        restApi: this.restApi.id,
        stageName: this.stage.stageName,
        methodPath: '*/*',
        settings: { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit, metricsEnabled: true },
      },
      child,
    );

    const planName = resourceName('usageplan', 'merchants', suffix);
    const plan = new aws.apigateway.UsagePlan(
      `${name}-usage-plan`,
      {
        name: planName,
        description: 'Per-merchant throttle and daily quota',
        apiStages: [{ apiId: this.restApi.id, stage: this.stage.stageName }],
        throttleSettings: { rateLimit, burstLimit },
        quotaSettings: { limit: args.dailyQuota ?? 100_000, period: 'DAY' },
        tags: tagsFor(planName),
      },
      child,
    );
    for (const { merchantId, apiKey } of args.keys) {
      new aws.apigateway.UsagePlanKey(
        `${name}-plan-key-${merchantId}`,
        { keyId: apiKey.id, keyType: 'API_KEY', usagePlanId: plan.id },
        child,
      );
    }

    this.url = pulumi.interpolate`${this.stage.invokeUrl}`;
    this.registerOutputs({ url: this.url });
  }

  private createRoutes(name: string, handler: aws.lambda.Function): aws.apigateway.Integration[] {
    const resources = new Map<string, aws.apigateway.Resource>();
    const resourceFor = (segments: readonly string[]): pulumi.Input<string> => {
      let parentId: pulumi.Input<string> = this.restApi.rootResourceId;
      segments.forEach((part, i) => {
        const key = segments.slice(0, i + 1).join('/');
        let resource = resources.get(key);
        if (!resource) {
          const logical = key.replace(/[{}]/g, '').replace(/\//g, '-');
          resource = new aws.apigateway.Resource(
            `${name}-resource-${logical}`,
            { restApi: this.restApi.id, parentId, pathPart: part },
            { parent: this },
          );
          resources.set(key, resource);
        }
        parentId = resource.id;
      });
      return parentId;
    };

    return ROUTES.map((route) => {
      const logical = `${route.method.toLowerCase()}-${route.path[0]}`;
      const resourceId = resourceFor(route.path);
      const pathParams = route.path.filter((p) => p.startsWith('{')).map((p) => p.slice(1, -1));
      const method = new aws.apigateway.Method(
        `${name}-method-${logical}`,
        {
          restApi: this.restApi.id,
          resourceId,
          httpMethod: route.method,
          authorization: 'NONE', // the merchant is identified by its API key (see SECURITY.md)
          apiKeyRequired: true,
          requestParameters: Object.fromEntries(pathParams.map((p) => [`method.request.path.${p}`, true])),
        },
        { parent: this },
      );
      return new aws.apigateway.Integration(
        `${name}-integration-${logical}`,
        {
          restApi: this.restApi.id,
          resourceId,
          httpMethod: method.httpMethod,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST', // Lambda is always invoked with POST
          uri: handler.invokeArn,
        },
        { parent: this },
      );
    });
  }

  /**
   * API Gateway writes access logs through one account-wide CloudWatch role. Its policy covers every
   * `/aws/apigateway/*` group, so stacks sharing an account do not break each other's logging.
   */
  private createAccessLogging(name: string, args: MerchantApiArgs, apiName: string) {
    const logGroupName = apiAccessLogGroupName(apiName);
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { name: logGroupName, retentionInDays: args.logRetentionDays ?? 7, tags: tagsFor(logGroupName) },
      { parent: this },
    );
    const roleName = resourceName('role', 'apigw-logs', args.environmentSuffix);
    const role = new aws.iam.Role(
      `${name}-logs-role`,
      {
        name: roleName,
        description: 'Lets API Gateway write access logs to /aws/apigateway/* log groups',
        assumeRolePolicy: serviceTrustPolicy('apigateway.amazonaws.com'),
        tags: tagsFor(roleName),
      },
      { parent: this },
    );
    const ctx = args.arnContext;
    const policy = new aws.iam.RolePolicy(
      `${name}-logs-policy`,
      {
        name: resourceName('policy', 'apigw-logs', args.environmentSuffix),
        role: role.name,
        policy: policyDocument([
          {
            Sid: 'WriteApiGatewayLogGroups',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [
              pulumi.interpolate`arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:/aws/apigateway/*`,
            ],
          },
        ]),
      },
      { parent: this },
    );
    const account = new aws.apigateway.Account(
      `${name}-account`,
      { cloudwatchRoleArn: role.arn },
      { parent: this, dependsOn: [policy] },
    );
    return { logGroup, account };
  }
}
