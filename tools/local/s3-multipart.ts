/**
 * What s3rver lacks of S3's multipart uploads, added in front of its router. AbortMultipartUpload:
 * s3rver answers it 405 MethodNotAllowed and keeps the parts, where S3 deletes them and answers 204
 * (404 NoSuchUpload for an unknown upload id):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 * And one fault for tests: the parts of the next multipart upload are refused with 500
 * InternalError, as an S3 outage would refuse them, so that the upload fails and is aborted.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';

/** The parts of s3rver's Koa context this uses. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  status: number;
  body: unknown;
}
type KoaMiddleware = ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>) & { router?: unknown };

/** An s3rver instance (a Koa application) before `run()`: its middleware is composed then. */
export interface S3rverApp {
  middleware: KoaMiddleware[];
  store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
}

export interface MultipartFaults {
  /** Refuses every part of the next multipart upload created (500 InternalError, also on retries). */
  refusePartsOfNextMultipartUpload(): void;
}

interface S3ErrorConstructor {
  new (code: string, message: string, detail?: Record<string, string>): Error & { code: string };
}
// s3rver ships no type declarations; its error renders as S3's XML error with the right status.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Error = require('s3rver/lib/models/error') as S3ErrorConstructor;

const single = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Installs the middleware just before s3rver's router (so after its logger and XML encoder). */
export function addMultipartSupport(server: S3rverApp): MultipartFaults {
  let refuseNext = false;
  const refused = new Set<string>();
  const uploadsDir = (bucket: string) => server.store.getResourcePath(bucket, undefined, 'uploads');

  async function multipartSupport(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
    const uploadId = single(ctx.query.uploadId);
    if (ctx.method === 'PUT' && uploadId !== undefined && refused.has(uploadId)) {
      for await (const _chunk of ctx.req); // read the part, as S3 does before it fails
      throw new S3Error('InternalError', 'We encountered an internal error. Please try again.');
    }
    if (ctx.method === 'POST' && 'uploads' in ctx.query && refuseNext) {
      await next();
      const created = (ctx.body as { InitiateMultipartUploadResult?: { UploadId?: string } })
        ?.InitiateMultipartUploadResult?.UploadId;
      if (created) {
        refused.add(created);
        refuseNext = false;
      }
      return;
    }
    if (ctx.method !== 'DELETE' || uploadId === undefined) return next();
    try {
      // The router authenticates the request first; then s3rver refuses the method.
      await next();
    } catch (error) {
      if ((error as { code?: string }).code !== 'MethodNotAllowed') throw error;
      const bucket = decodeURIComponent(ctx.path.split('/')[1] ?? '');
      const dir = join(uploadsDir(bucket), uploadId);
      if (!/^[0-9a-f]+$/.test(uploadId) || !existsSync(dir))
        throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
    }
  }

  const routerAt = server.middleware.findIndex((m) => m.router !== undefined);
  if (routerAt < 0) throw new Error('s3rver changed: its router middleware was not found');
  server.middleware.splice(routerAt, 0, multipartSupport);
  return {
    refusePartsOfNextMultipartUpload: () => {
      refuseNext = true;
    },
  };
}
