import { MockCallArgs, MockCallResult, MockResourceArgs, MockResourceResult } from '@pulumi/pulumi/runtime';

export const MOCK_ACCOUNT_ID = '123456789012';
export const MOCK_REGION = 'us-east-1';

/** The service part of a type token, e.g. `aws:s3/bucket:Bucket` -> `s3`. */
function serviceOf(type: string): string {
  return type.split(':')[1]?.split('/')[0] ?? 'unknown';
}

/**
 * Plausible outputs for resources created under mocks: what AWS would compute (ARNs, ids, URLs),
 * derived from inputs so that tests can follow references between resources.
 */
export function mockState(args: MockResourceArgs): MockResourceResult {
  const inputs = args.inputs as Record<string, unknown>;
  const physical = String(inputs.name ?? inputs.bucket ?? args.name);
  const id = `${physical}-id`;
  const base = `arn:aws:${serviceOf(args.type)}:${MOCK_REGION}:${MOCK_ACCOUNT_ID}`;
  const state: Record<string, unknown> = { ...inputs, arn: `${base}:${physical}` };
  switch (args.type) {
    case 'aws:s3/bucket:Bucket':
      state.arn = `arn:aws:s3:::${physical}`;
      state.bucket = physical;
      break;
    case 'aws:dynamodb/table:Table':
      state.arn = `${base}:table/${physical}`;
      state.streamArn = `${base}:table/${physical}/stream/2026-01-01T00:00:00.000`;
      break;
    case 'aws:lambda/function:Function':
      state.arn = `${base}:function:${physical}`;
      state.invokeArn = `arn:aws:apigateway:${MOCK_REGION}:lambda:path/2015-03-31/functions/${state.arn}/invocations`;
      break;
    case 'aws:iam/role:Role':
      state.arn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${physical}`;
      break;
    case 'aws:kms/key:Key':
      // Keys have no name: KMS gives each an id, and its ARN is `key/<id>`.
      state.arn = `${base}:key/${id}`;
      state.keyId = id;
      break;
    case 'aws:sqs/queue:Queue':
      state.url = `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT_ID}/${physical}`;
      break;
    case 'aws:apigateway/restApi:RestApi':
      state.rootResourceId = 'root-resource-id';
      state.executionArn = `arn:aws:execute-api:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${id}`;
      break;
    case 'aws:apigateway/stage:Stage':
      state.invokeUrl = `https://${String(inputs.restApi)}.execute-api.${MOCK_REGION}.amazonaws.com/${String(inputs.stageName)}`;
      break;
    case 'aws:apigateway/apiKey:ApiKey':
      state.value = `mock-key-value-${physical}`;
      break;
    case 'random:index/randomPassword:RandomPassword':
      state.result = 'mock-random-password';
      break;
  }
  return { id, state };
}

export function mockCall(args: MockCallArgs): MockCallResult {
  switch (args.token) {
    case 'aws:index/getCallerIdentity:getCallerIdentity':
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
        userId: 'MOCKUSER',
        id: MOCK_ACCOUNT_ID,
      };
    case 'aws:index/getRegion:getRegion':
      return { name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION };
    default:
      return args.inputs as MockCallResult;
  }
}
