import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ArnContext } from '../iam';
import { ACCESS_LOG_FORMAT, createAccessLogging } from './api-access-logging';
import { tagsFor } from '../tags';
import { MerchantKey } from './merchant-keys';

/** The API's physical names (naming.ts computes them). */
export interface MerchantApiNames {
  readonly api: string;
  readonly usagePlan: string;
  readonly accessLogGroup: string;
  readonly logsRole: string;
  readonly logsPolicy: string;
}

export interface MerchantApiArgs {
  readonly names: MerchantApiNames;
  readonly arnContext: ArnContext;
  readonly handler: aws.lambda.Function;
  readonly keys: readonly MerchantKey[];
  /** Stage (the URL's last segment). @default "v1" */
  readonly stageName?: string;
  /**
   * Requests per second for the whole stage. @default 20
   * The burst stays at the API function's reserved concurrency (10), so API Gateway queues nothing
   * that Lambda would then throttle.
   */
  readonly rateLimit?: number;
  /** @default 10 */
  readonly burstLimit?: number;
  /** Requests per second per merchant key, below the stage's so one merchant cannot starve others. @default 5 */
  readonly keyRateLimit?: number;
  /** @default 5 */
  readonly keyBurstLimit?: number;
  /**
   * Set API Gateway's account-wide CloudWatch role (needed once per account and region for access
   * logs). Turn off where another stack or a bootstrap already manages it. @default true
   */
  readonly manageAccountLogRole?: boolean;
  /** Requests per merchant key per day. @default 100000 */
  readonly dailyQuota?: number;
  /** @default 7 */
  readonly logRetentionDays?: number;
}

const ROUTES = [
  { path: ['upload'], method: 'POST' },
  { path: ['status', '{transaction_id}'], method: 'GET' },
] as const;

/**
 * The merchant REST API: both methods require an API key and proxy to the API function; a stage
 * with X-Ray, JSON access logs kept 7 days and method throttling; a usage plan (throttle + quota)
 * with every merchant's key bound to it.
 */
export class MerchantApi extends pulumi.ComponentResource {
  public readonly restApi: aws.apigateway.RestApi;
  public readonly stage: aws.apigateway.Stage;
  /** The stage's name, known before anything is created (a dimension of the API's metrics). */
  public readonly stageName: string;
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: MerchantApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:api:MerchantApi', name, {}, opts);
    const apiName = args.names.api;
    const stageName = args.stageName ?? 'v1';
    this.stageName = stageName;
    const rateLimit = args.rateLimit ?? 20;
    const burstLimit = args.burstLimit ?? 10;
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

    const routes = this.createRoutes(name, args.handler);

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
        // Redeploy whenever a route, its method settings or its integration target changes: ids alone
        // stay the same across in-place updates, and the stage would keep serving the old snapshot.
        triggers: {
          routes: pulumi.jsonStringify(
            routes.map(({ method, integration }) => ({
              method: method.id,
              apiKeyRequired: method.apiKeyRequired,
              authorization: method.authorization,
              requestParameters: method.requestParameters,
              integration: integration.id,
              type: integration.type,
              uri: integration.uri,
            })),
          ),
        },
      },
      { parent: this, dependsOn: routes.flatMap((r) => [r.method, r.integration]) },
    );

    const accessLogs = createAccessLogging(this, name, {
      logGroupName: args.names.accessLogGroup,
      roleName: args.names.logsRole,
      policyName: args.names.logsPolicy,
      arnContext: args.arnContext,
      logRetentionDays: args.logRetentionDays,
      manageAccountLogRole: args.manageAccountLogRole,
    });

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
      { parent: this, dependsOn: accessLogs.account ? [accessLogs.account] : [] },
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

    const planName = args.names.usagePlan;
    const plan = new aws.apigateway.UsagePlan(
      `${name}-usage-plan`,
      {
        name: planName,
        description: 'Per-merchant throttle and daily quota',
        apiStages: [{ apiId: this.restApi.id, stage: this.stage.stageName }],
        throttleSettings: { rateLimit: args.keyRateLimit ?? 5, burstLimit: args.keyBurstLimit ?? 5 },
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

  private createRoutes(
    name: string,
    handler: aws.lambda.Function,
  ): { method: aws.apigateway.Method; integration: aws.apigateway.Integration }[] {
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
      const integration = new aws.apigateway.Integration(
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
      return { method, integration };
    });
  }
}
