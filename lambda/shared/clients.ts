/**
 * AWS SDK v3 client factories. Functions create their clients once at module scope.
 *
 * Local runs point the SDK at local servers with the standard service-specific endpoint
 * variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_SNS,
 * AWS_ENDPOINT_URL_SECRETS_MANAGER), which SDK v3 honours natively:
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 * S3 then needs path-style addressing, because a local server has no per-bucket host names.
 * Every client records its calls when TP_AWS_CALL_LOG is set (tests/iam; see call-recorder.ts).
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { recordCalls } from './call-recorder';

type Env = Record<string, string | undefined>;

export const ENDPOINT_ENV = {
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  s3: 'AWS_ENDPOINT_URL_S3',
  sns: 'AWS_ENDPOINT_URL_SNS',
  secretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
} as const;

const override = (name: string, env: Env): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

export const createDynamoDbClient = (
  config: DynamoDBClientConfig = {},
  env: Env = process.env,
): DynamoDBClient =>
  recordCalls(new DynamoDBClient({ endpoint: override(ENDPOINT_ENV.dynamodb, env), ...config }), env);

/**
 * Document client: plain JS values in and out (it shares the wrapped client's middleware stack, so
 * its calls are recorded once, as the DynamoDB operations they are). `removeUndefinedValues` so optional columns
 * that are absent are simply not attributes; numbers stay numbers.
 */
export const createDocumentClient = (
  client: DynamoDBClient = createDynamoDbClient(),
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/**
 * With an endpoint override (a local S3 emulator), also compute checksums only when an
 * operation requires them: by default SDK v3 sends streamed bodies with `aws-chunked`
 * encoding and a trailing checksum, which real S3 decodes and emulators such as s3rver store
 * verbatim. https://docs.aws.amazon.com/sdkref/latest/guide/feature-dataintegrity.html
 */
export const createS3Client = (config: S3ClientConfig = {}, env: Env = process.env): S3Client => {
  const endpoint = override(ENDPOINT_ENV.s3, env);
  const local: S3ClientConfig = endpoint
    ? { endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' }
    : {};
  return recordCalls(new S3Client({ ...local, ...config }), env);
};

export const createSnsClient = (config: SNSClientConfig = {}, env: Env = process.env): SNSClient =>
  recordCalls(new SNSClient({ endpoint: override(ENDPOINT_ENV.sns, env), ...config }), env);

export const createSecretsManagerClient = (
  config: SecretsManagerClientConfig = {},
  env: Env = process.env,
): SecretsManagerClient =>
  recordCalls(
    new SecretsManagerClient({ endpoint: override(ENDPOINT_ENV.secretsManager, env), ...config }),
    env,
  );
