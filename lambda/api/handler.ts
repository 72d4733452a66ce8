/**
 * Merchant API: API Gateway (REST, Lambda proxy) -> presigned uploads and status queries.
 * Thin: configuration and clients at module scope (read once, fail fast), logic in app.ts.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createDynamoDbClient, createS3Client } from '../shared/clients';
import { createObservability } from '../shared/observability';
import { captureClient, createTracer } from '../shared/tracing';
import { createApi } from './app';
import { readApiConfig } from './config';
import { dynamoTransactionStore } from './dynamo-transaction-store';
import { s3UploadStore } from './s3-upload-store';
import { newUploadId } from './upload';

const { logger } = createObservability('api');
const tracer = createTracer('api');
const config = readApiConfig();
// WHEN_REQUIRED: see s3-upload-store.ts (the default breaks presigned PUTs on real S3).
const s3 = captureClient(tracer, createS3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' }));
const dynamo = captureClient(tracer, createDynamoDbClient());

const api = createApi({
  apiKeyMerchants: config.apiKeyMerchants,
  uploads: s3UploadStore(s3, config.bucketName),
  transactions: dynamoTransactionStore(dynamo, config.tableName),
  uploadUrlTtlSeconds: config.uploadUrlTtlSeconds,
  maxFileBytes: config.maxFileBytes,
  now: () => new Date(),
  newUploadId,
  onInternalError: (error) => logger.error('Request failed', error as Error),
});

export const handler = async (
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<APIGatewayProxyResult> => {
  logger.addContext(context);
  const response = await api(event);
  logger.info('Request served', {
    method: event.httpMethod,
    resource: event.resource,
    status: response.statusCode,
  });
  return response;
};
