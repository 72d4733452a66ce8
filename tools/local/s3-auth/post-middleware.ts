/**
 * Koa middleware for s3rver (a Koa app) that refuses a POST upload S3 would refuse, before s3rver
 * stores it: the body is read whole (local files are small; the policy bounds them), parsed as
 * multipart/form-data, and checked by `checkPostUpload`; s3rver then reads the same bytes.
 */
import busboy from 'busboy';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { checkPostUpload, type PostRefusal } from './post-policy';

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, unknown>;
  req: IncomingMessage;
  status: number;
  body: unknown;
  type: string;
  is(type: string): string | false | null;
}
type Next = () => Promise<unknown>;

/** Fields and file size of a multipart body: fields after the file are ignored, as S3 does. */
function parseForm(
  body: Buffer,
  headers: IncomingMessage['headers'],
): Promise<{ fields: Record<string, string>; fileBytes: number; hasFile: boolean }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let fileBytes = 0;
    let hasFile = false;
    const parser = busboy({ headers, limits: { fieldSize: 1024 * 1024 } });
    parser.on('field', (name, value) => {
      if (!hasFile) fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      if (name !== 'file' || hasFile) return void stream.resume();
      hasFile = true;
      stream.on('data', (chunk: Buffer) => (fileBytes += chunk.length));
    });
    parser.on('close', () => resolve({ fields, fileBytes, hasFile }));
    parser.on('error', reject);
    parser.end(body);
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function xmlError(refusal: PostRefusal): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escape(refusal.message)}</Message></Error>`;
}

/** A request stream carrying `body` again, with the original's headers, method and URL. */
function replay(original: IncomingMessage, body: Buffer): IncomingMessage {
  const stream = new PassThrough();
  stream.end(body);
  return Object.assign(stream, {
    headers: original.headers,
    rawHeaders: original.rawHeaders,
    method: original.method,
    url: original.url,
    httpVersion: original.httpVersion,
    socket: original.socket,
    connection: original.socket,
  }) as unknown as IncomingMessage;
}

/** The middleware; `secretOf` maps an access key id to its secret, `now` is the clock. */
export function verifyPostUploads(
  secretOf: (accessKeyId: string) => string | undefined,
  now: () => Date = () => new Date(),
) {
  return async function verifyPostUpload(ctx: KoaContext, next: Next): Promise<unknown> {
    const bucket = /^\/([^/]+)\/?$/.exec(ctx.path)?.[1];
    if (
      ctx.method !== 'POST' ||
      bucket === undefined ||
      'delete' in ctx.query ||
      !ctx.is('multipart/form-data')
    ) {
      return next();
    }
    const body = await readBody(ctx.req);
    const form = await parseForm(body, ctx.req.headers);
    const refusal = form.hasFile
      ? checkPostUpload({ bucket, fields: form.fields, fileBytes: form.fileBytes, now: now() }, secretOf)
      : {
          status: 400,
          code: 'InvalidArgument',
          message: 'POST requires exactly one file upload per request.',
        };
    if (refusal !== undefined) {
      ctx.status = refusal.status;
      ctx.type = 'application/xml';
      ctx.body = xmlError(refusal);
      return undefined;
    }
    ctx.req = replay(ctx.req, body);
    return next();
  };
}

/**
 * Puts the check in front of every other middleware of an s3rver instance (Koa runs `middleware`
 * in order, composed when the server starts), so it must be called before `run()`.
 */
export function enforcePostPolicies(
  server: unknown,
  secretOf: (accessKeyId: string) => string | undefined,
): void {
  const app = server as { middleware?: unknown[] };
  if (!Array.isArray(app.middleware))
    throw new TypeError('Not a Koa application: cannot check POST policies.');
  app.middleware.unshift(verifyPostUploads(secretOf));
}
