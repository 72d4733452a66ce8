/**
 * The merchant API as a function of its dependencies: identify the merchant by API key, route,
 * run the use case, map errors once. No AWS client here, so it is tested with in-memory ports
 * and, in integration tests, with the real adapters against local servers.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { KEYS } from '../shared/contract';
import { UnauthorizedError } from '../shared/errors';
import { errorResponse, isInternalError, jsonResponse } from './errors';
import type { TransactionStore, UploadStore } from './ports';
import { resolveRoute, type Route } from './router';
import {
  awaitedUpload,
  receivedUpload,
  transactionStatus,
  uploadNotFound,
  uploadStatusFromManifest,
} from './status';
import { assertEmptyUploadBody, createUploadTicket } from './upload';

export interface ApiDependencies {
  readonly apiKeyMerchants: Readonly<Record<string, string>>;
  readonly uploads: UploadStore;
  readonly transactions: TransactionStore;
  readonly uploadUrlTtlSeconds: number;
  /** The largest file the presigned POST lets S3 accept (the validator's MAX_FILE_BYTES). */
  readonly maxFileBytes: number;
  readonly now: () => Date;
  readonly newUploadId: () => string;
  /** Called with unexpected errors (to log them); callers only ever see a generic 500. */
  readonly onInternalError?: (error: unknown) => void;
}

type ApiEvent = Pick<
  APIGatewayProxyEvent,
  'httpMethod' | 'path' | 'pathParameters' | 'body' | 'isBase64Encoded'
> & {
  requestContext?: Partial<Pick<APIGatewayProxyEvent['requestContext'], 'requestId'>> & {
    identity?: Partial<Pick<APIGatewayProxyEvent['requestContext']['identity'], 'apiKeyId'>>;
  };
};

/** The merchant bound to the request's API key; the body never names the merchant. */
export const merchantOf = (event: ApiEvent, apiKeyMerchants: Readonly<Record<string, string>>): string => {
  const keyId = event.requestContext?.identity?.apiKeyId;
  const merchant = keyId ? apiKeyMerchants[keyId] : undefined;
  if (!keyId || !merchant || !Object.prototype.hasOwnProperty.call(apiKeyMerchants, keyId)) {
    throw new UnauthorizedError('The API key is not bound to a merchant.');
  }
  return merchant;
};

const run = async (route: Route, merchantId: string, event: ApiEvent, deps: ApiDependencies) => {
  switch (route.kind) {
    case 'create-upload': {
      assertEmptyUploadBody(event.body, event.isBase64Encoded);
      const ticket = await createUploadTicket(merchantId, {
        store: deps.uploads,
        ttlSeconds: deps.uploadUrlTtlSeconds,
        maxBytes: deps.maxFileBytes,
        now: deps.now,
        newId: deps.newUploadId,
      });
      return jsonResponse(201, ticket);
    }
    case 'upload-status': {
      const manifest = await deps.uploads.readManifest(KEYS.manifestKey(merchantId, route.uploadId));
      if (manifest !== undefined)
        return jsonResponse(200, uploadStatusFromManifest(route.uploadId, manifest));
      const objects = await deps.uploads.uploadObjects(merchantId, route.uploadId);
      if (objects.fileReceived) return jsonResponse(200, receivedUpload(route.uploadId));
      if (objects.issuedAt) {
        // The URL's expiry as issued, from the marker's time and the configured TTL.
        const urlExpiresAt = new Date(objects.issuedAt.getTime() + deps.uploadUrlTtlSeconds * 1000);
        return jsonResponse(200, awaitedUpload(route.uploadId, urlExpiresAt, deps.now()));
      }
      throw uploadNotFound();
    }
    case 'transaction-status': {
      const items = await deps.transactions.versions(merchantId, route.transactionId);
      return jsonResponse(200, transactionStatus(route.transactionId, items, merchantId));
    }
  }
};

export const createApi =
  (deps: ApiDependencies) =>
  async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    try {
      const merchantId = merchantOf(event, deps.apiKeyMerchants);
      return await run(resolveRoute(event), merchantId, event, deps);
    } catch (error) {
      if (isInternalError(error)) deps.onInternalError?.(error);
      return errorResponse(error, event.requestContext?.requestId);
    }
  };
