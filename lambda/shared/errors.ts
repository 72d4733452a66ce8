/**
 * Typed errors shared by every function. Each carries a stable machine `code` (what callers and
 * manifests show) and, for the API, the HTTP status it maps to. Messages are written for the
 * person who has to act on them and never contain a card number.
 */
export class AppError extends Error {
  readonly code: string;
  readonly httpStatus?: number;

  constructor(code: string, message: string, httpStatus?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** A required environment variable is missing or malformed: the function cannot start. */
export class ConfigurationError extends AppError {
  constructor(message: string) {
    super('CONFIGURATION', message, 500);
  }
}

/** The card-hash key could not be read from Secrets Manager (missing, empty or not permitted). */
export class CardKeyUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CARD_KEY_UNAVAILABLE', message, 500, options);
  }
}

/** Input from a caller (request body, path, query) is malformed. */
export class BadRequestError extends AppError {
  constructor(message: string, code = 'BAD_REQUEST') {
    super(code, message, 400);
  }
}

/** The caller is not identified (no or unknown API key). */
export class UnauthorizedError extends AppError {
  constructor(message = 'The request is not authorised.') {
    super('UNAUTHORIZED', message, 403);
  }
}

/** The thing asked for does not exist, or belongs to someone else (same answer on purpose). */
export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super('NOT_FOUND', message, 404);
  }
}

/** Rows could not be written after every retry; the invocation must fail so Lambda retries it. */
export class WriteFailedError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WRITE_FAILED', message, 500, options);
  }
}

/** True when `error` is one of ours (safe to show its code and message). */
export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
