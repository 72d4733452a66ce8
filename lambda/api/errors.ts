/**
 * The API's one mapping from error to HTTP response. Our typed errors (AppError with a 4xx
 * status) show their code and message; anything else is a 500 with a generic message, so
 * internal details (SDK errors, stack traces, bucket or table names) never reach the caller.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { AppError, isAppError } from '../shared/errors';

/** The route exists but not for this method. */
export class MethodNotAllowedError extends AppError {
  readonly allow: readonly string[];

  constructor(allow: readonly string[]) {
    super('METHOD_NOT_ALLOWED', `This resource accepts ${allow.join(', ')} only.`, 405);
    this.allow = allow;
  }
}

const BASE_HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: { ...BASE_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/** True when the error is ours and meant for the caller (a 4xx). */
const isClientError = (error: unknown): error is AppError =>
  isAppError(error) && error.httpStatus !== undefined && error.httpStatus >= 400 && error.httpStatus < 500;

export const errorResponse = (error: unknown, requestId?: string): APIGatewayProxyResult => {
  if (isClientError(error)) {
    const headers: Record<string, string> =
      error instanceof MethodNotAllowedError ? { allow: error.allow.join(', ') } : {};
    return jsonResponse(
      error.httpStatus ?? 400,
      { error: { code: error.code, message: error.message } },
      headers,
    );
  }
  const reference = requestId ? ` Quote request id ${requestId} when reporting it.` : '';
  return jsonResponse(500, {
    error: { code: 'INTERNAL_ERROR', message: `The request could not be completed.${reference}` },
  });
};

/** Whether an error is unexpected (worth an error log line), as opposed to a caller's mistake. */
export const isInternalError = (error: unknown): boolean => !isClientError(error);
