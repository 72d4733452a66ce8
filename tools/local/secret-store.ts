/**
 * The local stand-in for the card-hash secret: a key generated at start (kept in a 0600 file
 * under the state directory, never printed) served by a tiny server speaking the one Secrets
 * Manager call the validator makes, GetSecretValue (AWS JSON 1.1 protocol).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocal, readBody } from './http-util';

export interface SecretStore {
  url: string;
  /** Answers the next `count` requests with a 500, as a Secrets Manager outage would (tests). */
  failNextRequests(count: number): void;
  close(): Promise<void>;
}

/** 64 alphanumerics, like the stack's RandomPassword (length 64, no specials). */
export const generateKey = (): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(64)].map((b) => alphabet[b % alphabet.length]).join('');
};

export async function startSecretStore(options: {
  secretName: string;
  region: string;
  accountId: string;
  keyFile: string;
  port?: number;
}): Promise<SecretStore> {
  const value = generateKey();
  writeFileSync(options.keyFile, value, { mode: 0o600 });
  const arn = `arn:aws:secretsmanager:${options.region}:${options.accountId}:secret:${options.secretName}-local`;
  const versionId = randomUUID();
  let failures = 0;
  const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { SecretId?: string };
    if (failures > 0) {
      failures--;
      return send(
        res,
        500,
        { __type: 'InternalServiceError', message: 'Injected local failure' },
        'InternalServiceError',
      );
    }
    if (target !== 'secretsmanager.GetSecretValue') {
      return send(
        res,
        400,
        { __type: 'InvalidRequestException', message: `${target} is not supported locally` },
        'InvalidRequestException',
      );
    }
    if (body.SecretId !== options.secretName && body.SecretId !== arn) {
      const message = "Secrets Manager can't find the specified secret.";
      return send(res, 400, { __type: 'ResourceNotFoundException', message }, 'ResourceNotFoundException');
    }
    send(res, 200, {
      ARN: arn,
      Name: options.secretName,
      VersionId: versionId,
      SecretString: value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: Date.now() / 1000,
    });
  };
  const server = await listenLocal((req, res) => {
    handle(req, res).catch(() =>
      send(res, 400, { __type: 'SerializationException', message: 'bad request' }),
    );
  }, options.port);
  return {
    url: server.url,
    failNextRequests: (count) => {
      failures = count;
    },
    close: () => server.close(),
  };
}
