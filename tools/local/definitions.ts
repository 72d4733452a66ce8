/**
 * The local pipeline's definitions, read from the stack itself (synthesized under Pulumi mocks),
 * never copied: table keys and stream view type, bucket name, lifecycle and notification filter,
 * each function's code (the very bundle that would be deployed), environment and timeout, the
 * stream event source mapping, the async retry policy and the API's routes and keys.
 * It reads a SynthResult (and the deployment folder a FileArchive points to), so it is unit-tested
 * on the real stack without AWS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockState } from '../../gate/synth/mock-values';
import type { SynthResource, SynthResult } from '../../gate/synth/synthesize';
import { ENV } from '../../lambda/shared/contract';
import {
  FUNCTION_PURPOSES,
  type FunctionDefinition,
  type FunctionPurpose,
  type LocalDefinitions,
  type RouteDefinition,
} from './definition-types';

export { FUNCTION_PURPOSES } from './definition-types';
export type {
  FunctionPurpose,
  FunctionDefinition,
  NotificationDefinition,
  StreamMappingDefinition,
  RouteDefinition,
  LocalDefinitions,
} from './definition-types';

export class StackDefinitionError extends Error {
  override readonly name = 'StackDefinitionError';
}

type Inputs = Record<string, unknown>;

const ofType = (synth: SynthResult, type: string): SynthResource[] =>
  synth.resources.filter((r) => r.type === type);

const single = (synth: SynthResult, type: string): SynthResource => {
  const found = ofType(synth, type);
  if (found.length !== 1) {
    throw new StackDefinitionError(
      `The stack declares ${found.length} ${type} resources; the local run needs one.`,
    );
  }
  return found[0];
};

const str = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value === '')
    throw new StackDefinitionError(`${what} is not set in the stack.`);
  return value;
};
const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
const obj = (value: unknown): Inputs => (value && typeof value === 'object' ? (value as Inputs) : {});
const list = (value: unknown): Inputs[] => (Array.isArray(value) ? value.map(obj) : []);
/** The function name at the end of a Lambda ARN (or the name itself). */
const functionNameOf = (arnOrName: string): string => arnOrName.split(':function:').pop()!.split(':')[0];

/** The id Pulumi's mocks give a resource: references between resources use it. */
const mockIdOf = (r: SynthResource): string =>
  String(mockState({ type: r.type, name: r.name, inputs: r.inputs, provider: '', id: '', custom: true }).id);

/**
 * `index.js` and its source map from the function's archive: inline assets (an AssetArchive) or
 * the folder a FileArchive names.
 */
const packageFiles = (name: string, archive: Inputs): { code?: unknown; sourceMap?: unknown } => {
  if (typeof archive.path === 'string') {
    const entry = join(archive.path, 'index.js');
    if (!existsSync(entry))
      throw new StackDefinitionError(`${name}: the deployment archive ${archive.path} has no index.js.`);
    const map = `${entry}.map`;
    return {
      code: readFileSync(entry, 'utf8'),
      sourceMap: existsSync(map) ? readFileSync(map, 'utf8') : undefined,
    };
  }
  const assets = obj(archive.assets);
  return { code: obj(assets['index.js']).text, sourceMap: obj(assets['index.js.map']).text };
};

const functionDefinition = (r: SynthResource, region: string, accountId: string): FunctionDefinition => {
  const inputs = r.inputs;
  const name = str(inputs.name, `${r.name} name`);
  const { code, sourceMap } = packageFiles(name, obj(inputs.code));
  const environment = Object.fromEntries(
    Object.entries(obj(obj(inputs.environment).variables)).map(([k, v]) => [k, String(v)]),
  );
  const purpose = FUNCTION_PURPOSES.find((p) => environment.POWERTOOLS_SERVICE_NAME?.endsWith(`-${p}`));
  if (!purpose)
    throw new StackDefinitionError(`Function ${name} has no known purpose (POWERTOOLS_SERVICE_NAME).`);
  return {
    purpose,
    name,
    arn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
    timeoutSeconds: num(inputs.timeout, 3),
    memoryMb: num(inputs.memorySize, 128),
    logGroup: String(obj(inputs.loggingConfig).logGroup ?? `/aws/lambda/${name}`),
    environment,
    code: str(code, `${name} code`),
    sourceMap: typeof sourceMap === 'string' ? sourceMap : undefined,
  };
};

const routesOf = (synth: SynthResult): RouteDefinition[] => {
  const resources = ofType(synth, 'aws:apigateway/resource:Resource');
  const byId = new Map(resources.map((r) => [mockIdOf(r), r]));
  const pathOf = (id: string, depth = 0): string => {
    const resource = byId.get(id);
    if (!resource || depth > 20) return '';
    return `${pathOf(String(resource.inputs.parentId), depth + 1)}/${String(resource.inputs.pathPart)}`;
  };
  return ofType(synth, 'aws:apigateway/method:Method').map((m) => ({
    method: String(m.inputs.httpMethod),
    resourcePath: pathOf(String(m.inputs.resourceId)) || '/',
    apiKeyRequired: m.inputs.apiKeyRequired === true,
  }));
};

/** Everything the local pipeline needs, from one synthesis of the stack. */
export function readLocalDefinitions(synth: SynthResult, region = 'us-east-1'): LocalDefinitions {
  const tables = ofType(synth, 'aws:dynamodb/table:Table');
  // The transactions table is the one whose stream feeds the anomaly function.
  const streamed = tables.filter((t) => t.inputs.streamEnabled === true);
  if (streamed.length !== 1)
    throw new StackDefinitionError(
      `The stack declares ${streamed.length} streamed tables; the local run needs one.`,
    );
  const table = streamed[0].inputs;
  const tableArn = String(
    single(synth, 'aws:lambda/eventSourceMapping:EventSourceMapping').inputs.eventSourceArn,
  );
  const accountId = tableArn.split(':')[4] || '000000000000';
  const fns = ofType(synth, 'aws:lambda/function:Function').map((r) =>
    functionDefinition(r, region, accountId),
  );
  const functions = Object.fromEntries(
    FUNCTION_PURPOSES.map((p) => [p, fns.find((f) => f.purpose === p)]),
  ) as Record<FunctionPurpose, FunctionDefinition | undefined>;
  for (const p of FUNCTION_PURPOSES)
    if (!functions[p]) throw new StackDefinitionError(`The stack has no ${p} function.`);
  const fn = functions as Record<FunctionPurpose, FunctionDefinition>;

  const notification = single(synth, 'aws:s3/bucketNotification:BucketNotification').inputs;
  // The uploads bucket's lifecycle: the one of the bucket that notifies (the access-log bucket has its own).
  const lifecycle = ofType(synth, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').find(
    (r) => r.inputs.bucket === notification.bucket,
  )?.inputs;
  const asyncConfig = ofType(synth, 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig').find(
    (r) => r.inputs.functionName === fn.validator.name,
  )?.inputs;
  const esm = single(synth, 'aws:lambda/eventSourceMapping:EventSourceMapping').inputs;
  const stage = single(synth, 'aws:apigateway/stage:Stage').inputs;
  const plan = ofType(synth, 'aws:apigateway/usagePlan:UsagePlan')[0]?.inputs;
  const methodSettings = obj(
    ofType(synth, 'aws:apigateway/methodSettings:MethodSettings')[0]?.inputs.settings,
  );
  const keyMap = JSON.parse(str(fn.api.environment[ENV.apiKeyMerchants], ENV.apiKeyMerchants)) as Record<
    string,
    string
  >;
  // The alerts topic is the one the anomaly function publishes to (the operations topic is another).
  const alertsTopicArn = str(fn.anomaly.environment[ENV.topicArn], ENV.topicArn);
  const topic = ofType(synth, 'aws:sns/topic:Topic').find(
    (t) => t.inputs.name === alertsTopicArn.split(':').pop(),
  )?.inputs;
  if (!topic) throw new StackDefinitionError(`The alerts topic ${alertsTopicArn} is not in the stack.`);
  const stateName = str(fn.anomaly.environment[ENV.stateTableName], ENV.stateTableName);
  const state = tables.find((t) => t.inputs.name === stateName)?.inputs;
  if (!state)
    throw new StackDefinitionError(`The anomaly function's state table ${stateName} is not in the stack.`);

  return {
    region,
    accountId,
    table: {
      name: str(table.name, 'table name'),
      partitionKey: str(table.hashKey, 'table hash key'),
      sortKey: str(table.rangeKey, 'table range key'),
      attributes: list(table.attributes).map((a) => ({ name: String(a.name), type: String(a.type) })),
      streamViewType: str(table.streamViewType, 'table stream view type'),
    },
    stateTable: {
      name: stateName,
      partitionKey: str(state.hashKey, 'state table hash key'),
      ttlAttribute: str(obj(state.ttl).attributeName, 'state table TTL attribute'),
    },
    bucket: {
      name: str(notification.bucket, 'bucket name'),
      expirationDays: list(lifecycle?.rules)
        .map((rule) => obj(rule.expiration).days)
        .find((d): d is number => typeof d === 'number'),
      notifications: list(notification.lambdaFunctions).map((n) => ({
        functionName: functionNameOf(String(n.lambdaFunctionArn)),
        events: Array.isArray(n.events) ? n.events.map(String) : [],
        prefix: typeof n.filterPrefix === 'string' ? n.filterPrefix : '',
        suffix: typeof n.filterSuffix === 'string' ? n.filterSuffix : '',
      })),
    },
    functions: fn,
    validatorAsync: {
      // Lambda's defaults when no config exists: 2 retries, 6 hours.
      maximumRetryAttempts: num(asyncConfig?.maximumRetryAttempts, 2),
      maximumEventAgeSeconds: num(asyncConfig?.maximumEventAgeInSeconds, 21600),
    },
    streamMapping: {
      functionName: functionNameOf(String(esm.functionName)),
      batchSize: num(esm.batchSize, 100),
      batchingWindowSeconds: num(esm.maximumBatchingWindowInSeconds, 0),
      bisectOnError: esm.bisectBatchOnFunctionError === true,
      maximumRetryAttempts: num(esm.maximumRetryAttempts, -1),
      maximumRecordAgeSeconds: num(esm.maximumRecordAgeInSeconds, -1),
      reportBatchItemFailures:
        Array.isArray(esm.functionResponseTypes) &&
        esm.functionResponseTypes.includes('ReportBatchItemFailures'),
      startingPosition: String(esm.startingPosition ?? 'LATEST'),
    },
    api: {
      stageName: str(stage.stageName, 'API stage name'),
      routes: routesOf(synth),
      keys: Object.entries(keyMap).map(([keyId, merchantId]) => ({ keyId, merchantId })),
      throttle: {
        rateLimit: num(obj(plan?.throttleSettings).rateLimit, 10_000),
        burstLimit: num(obj(plan?.throttleSettings).burstLimit, 5_000),
      },
      // API Gateway's account-level defaults when the stage sets nothing: 10,000 rps, burst 5,000.
      stageThrottle: {
        rateLimit: num(methodSettings.throttlingRateLimit, 10_000),
        burstLimit: num(methodSettings.throttlingBurstLimit, 5_000),
      },
      dailyQuota:
        typeof obj(plan?.quotaSettings).limit === 'number'
          ? (obj(plan?.quotaSettings).limit as number)
          : undefined,
    },
    topic: {
      name: str(topic.name, 'topic name'),
      arn: alertsTopicArn,
    },
    secret: { name: str(fn.validator.environment[ENV.cardHashSecretId], ENV.cardHashSecretId) },
  };
}
