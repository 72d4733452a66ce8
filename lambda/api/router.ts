/**
 * Routing of API Gateway proxy events (REST API, Lambda proxy integration). Pure. The stack
 * declares `POST /upload` and `GET /status/{transaction_id}`; anything else is 404, a known path
 * with another method is 405, and a malformed id is 400 before any AWS call.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { TRANSACTION_ID_PATTERN, UPLOAD_ID_PATTERN } from '../shared/contract';
import { BadRequestError, NotFoundError } from '../shared/errors';
import { MethodNotAllowedError } from './errors';

export type Route =
  | { readonly kind: 'create-upload' }
  | { readonly kind: 'upload-status'; readonly uploadId: string }
  | { readonly kind: 'transaction-status'; readonly transactionId: string };

type RouteEvent = Pick<APIGatewayProxyEvent, 'httpMethod' | 'path' | 'pathParameters'>;

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError('The id in the path is not valid URL encoding.', 'MALFORMED_ID');
  }
};

const requireMethod = (method: string, allowed: string): void => {
  if (method.toUpperCase() !== allowed) throw new MethodNotAllowedError([allowed]);
};

/** Classifies an id: an upload id (`up-<uuid v4>`) or a transaction id; anything else is a 400. */
export const classifyId = (id: string): Route => {
  if (UPLOAD_ID_PATTERN.test(id)) return { kind: 'upload-status', uploadId: id };
  if (TRANSACTION_ID_PATTERN.test(id)) return { kind: 'transaction-status', transactionId: id };
  throw new BadRequestError(
    'The id must be an upload id (up-<uuid>) or a transaction id (1-64 letters, digits, ".", "_" or "-").',
    'MALFORMED_ID',
  );
};

export const resolveRoute = (event: RouteEvent): Route => {
  const path = (event.path || '/').replace(/\/+$/, '') || '/';
  if (path === '/upload') {
    requireMethod(event.httpMethod, 'POST');
    return { kind: 'create-upload' };
  }
  const status = /^\/status\/([^/]*)$/.exec(path);
  if (status) {
    requireMethod(event.httpMethod, 'GET');
    // API Gateway passes the decoded path parameter; a local front end may only give the path.
    return classifyId(event.pathParameters?.transaction_id ?? decodeSegment(status[1]));
  }
  throw new NotFoundError('There is no such resource. Use POST /upload or GET /status/{id}.');
};
