/** Region, credentials and endpoint variables shared by the local servers and the functions. */
import type { LocalDefinitions } from './definitions';

/**
 * Dummy credentials accepted by every local server. s3rver knows one account, S3RVER/S3RVER, and
 * checks the access key id; DynamoDB Local and the local stand-ins accept any.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  sns: string;
  secretsManager: string;
}

/**
 * What every local function gets besides its own variables: the SDK's service-specific endpoint
 * variables (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), the
 * region and the dummy credentials.
 */
export const functionBaseEnv = (
  definitions: LocalDefinitions,
  endpoints: LocalEndpoints,
): Record<string, string> => ({
  AWS_REGION: definitions.region,
  AWS_DEFAULT_REGION: definitions.region,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_S3: endpoints.s3,
  AWS_ENDPOINT_URL_SNS: endpoints.sns,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
  PATH: process.env.PATH ?? '',
  TZ: 'UTC',
  NODE_ENV: 'production',
});
