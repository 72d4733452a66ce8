/**
 * The API function's configuration, read once at cold start. A malformed key map fails the
 * start with a ConfigurationError naming the variable, rather than letting every caller in or out.
 */
import { DEFAULTS, ENV, MERCHANT_ID_PATTERN } from '../shared/contract';
import { intEnv, jsonMapEnv, requireEnv } from '../shared/env';
import { ConfigurationError } from '../shared/errors';

export interface ApiConfig {
  readonly tableName: string;
  readonly bucketName: string;
  /** API Gateway API key id -> merchant id. */
  readonly apiKeyMerchants: Readonly<Record<string, string>>;
  readonly uploadUrlTtlSeconds: number;
  /** The upload size limit S3 enforces through the presigned POST's policy. */
  readonly maxFileBytes: number;
}

type Env = Record<string, string | undefined>;

/** S3 accepts at most 5 GiB in one POST (or PUT). */
const MAX_S3_POST_BYTES = 5 * 1024 ** 3;

/** S3 presigned URLs signed with SigV4 are valid for at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export const readApiConfig = (env: Env = process.env): ApiConfig => {
  const apiKeyMerchants = jsonMapEnv(ENV.apiKeyMerchants, env);
  const invalid = Object.values(apiKeyMerchants).filter((merchant) => !MERCHANT_ID_PATTERN.test(merchant));
  if (invalid.length > 0) {
    throw new ConfigurationError(
      `Environment variable ${ENV.apiKeyMerchants} maps keys to invalid merchant ids: ${invalid.join(', ')}.`,
    );
  }
  return {
    tableName: requireEnv(ENV.tableName, env),
    bucketName: requireEnv(ENV.bucketName, env),
    apiKeyMerchants,
    uploadUrlTtlSeconds: intEnv(ENV.uploadUrlTtlSeconds, DEFAULTS.uploadUrlTtlSeconds, env, {
      min: 1,
      max: MAX_PRESIGN_SECONDS,
    }),
    maxFileBytes: intEnv(ENV.maxFileBytes, DEFAULTS.maxFileBytes, env, { min: 1, max: MAX_S3_POST_BYTES }),
  };
};
