import { MethodNotAllowedError } from '../../../lambda/api/errors';
import { resolveRoute } from '../../../lambda/api/router';
import { BadRequestError, NotFoundError } from '../../../lambda/shared/errors';

const UPLOAD_ID = 'up-3b241101-e2bb-4255-8caf-4136c566a962';
const event = (httpMethod: string, path: string, pathParameters: Record<string, string> | null = null) => ({
  httpMethod,
  path,
  pathParameters,
});

describe('routing of API Gateway proxy events', () => {
  it.each([
    ['POST /upload', event('POST', '/upload'), { kind: 'create-upload' }],
    ['POST /upload/ (trailing slash)', event('POST', '/upload/'), { kind: 'create-upload' }],
    [
      'GET /status/{upload id}',
      event('GET', `/status/${UPLOAD_ID}`),
      { kind: 'upload-status', uploadId: UPLOAD_ID },
    ],
    [
      'GET /status/{transaction id}',
      event('GET', '/status/tx-001'),
      { kind: 'transaction-status', transactionId: 'tx-001' },
    ],
    [
      'the decoded path parameter wins over the raw path',
      event('GET', '/status/tx%2E1', { transaction_id: 'tx.1' }),
      { kind: 'transaction-status', transactionId: 'tx.1' },
    ],
    [
      'a percent-encoded path without parameters',
      event('GET', '/status/tx%2E2'),
      { kind: 'transaction-status', transactionId: 'tx.2' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(resolveRoute(input)).toEqual(expected);
  });

  it.each<[string, ReturnType<typeof event>, new (...args: never[]) => Error, number]>([
    ['an unknown path is 404', event('GET', '/admin'), NotFoundError, 404],
    ['/status without an id is 404', event('GET', '/status/'), NotFoundError, 404],
    ['GET /upload is 405', event('GET', '/upload'), MethodNotAllowedError, 405],
    ['DELETE /status/x is 405', event('DELETE', '/status/tx-1'), MethodNotAllowedError, 405],
    ['an id with a slash-free bad character is 400', event('GET', '/status/tx%20one'), BadRequestError, 400],
    ['an id over 64 characters is 400', event('GET', `/status/${'a'.repeat(65)}`), BadRequestError, 400],
    ['broken percent-encoding is 400', event('GET', '/status/%E0%A4%A'), BadRequestError, 400],
  ])('%s', (_name, input, errorType, status) => {
    let thrown: unknown;
    try {
      resolveRoute(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(errorType);
    expect((thrown as { httpStatus: number }).httpStatus).toBe(status);
  });
});
