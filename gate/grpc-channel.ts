/**
 * Unary gRPC calls over one HTTP/2 connection (node:http2), as the gRPC protocol defines them:
 * a POST to `/<service>/<method>` with `content-type: application/grpc`, the request as one
 * length-prefixed message, the response as one length-prefixed message and the status in the
 * trailers (or in the headers of a trailers-only response).
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 *
 * The gate makes one call per resource, thousands for a large stack, all in flight together on
 * the one connection; @grpc/grpc-js spent more CPU per call (channel, interceptor and metadata
 * layers the gate does not use) than the pack spent answering it.
 */
import * as http2 from 'node:http2';

/** A call that ended with a non-OK status, or whose stream failed. */
export class GrpcCallError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
    this.name = 'GrpcCallError';
  }
}

const UNAVAILABLE = 14;
const INTERNAL = 13;

/** `grpc-message` is percent-encoded. */
function decodeMessage(m: string): string {
  try {
    return decodeURI(m); // as @grpc/grpc-js decodes it
  } catch {
    return m;
  }
}

export class UnaryChannel {
  private session: http2.ClientHttp2Session | undefined;
  private pending = 0;
  private readonly sessionErrors = new WeakMap<http2.ClientHttp2Session, Error>();

  constructor(private readonly authority: string) {}

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(`http://${this.authority}`);
    // A connection error fails the calls in flight (see unary); a later call reconnects.
    session.on('error', (e) => (this.sessionErrors.set(session, e), undefined));
    session.unref(); // only calls in flight keep the process alive
    this.session = session;
    return session;
  }

  /** Sends one encoded request message to `path` and resolves to the encoded response message. */
  unary(path: string, message: Uint8Array): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      let stream: http2.ClientHttp2Stream;
      let session: http2.ClientHttp2Session;
      try {
        session = this.connect();
        stream = session.request({
          ':method': 'POST',
          ':path': path,
          'content-type': 'application/grpc',
          te: 'trailers',
        });
      } catch (e) {
        reject(new GrpcCallError(UNAVAILABLE, (e as Error).message));
        return;
      }
      if (this.pending++ === 0) session.ref();
      const chunks: Buffer[] = [];
      let size = 0;
      let httpStatus: number | undefined;
      let status: number | undefined;
      let details = '';
      let failure: Error | undefined;
      const takeStatus = (h: http2.IncomingHttpHeaders) => {
        if (h['grpc-status'] === undefined) return;
        status = Number(h['grpc-status']);
        const m = h['grpc-message'];
        details = typeof m === 'string' ? decodeMessage(m) : '';
      };
      stream.on('response', (h) => {
        httpStatus = Number(h[':status']);
        takeStatus(h); // trailers-only response
      });
      stream.on('trailers', takeStatus);
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
      });
      stream.on('error', (e) => (failure = e));
      stream.on('close', () => {
        if (--this.pending === 0 && !session.destroyed) session.unref();
        if (status === undefined) {
          const lost = this.sessionErrors.get(session);
          const why =
            (lost && `connection to ${this.authority} failed: ${lost.message}`) ??
            failure?.message ??
            (httpStatus !== undefined && httpStatus !== 200
              ? `HTTP status ${httpStatus}`
              : session.closed || session.destroyed
                ? `connection to ${this.authority} closed`
                : `stream closed without a status (code ${stream.rstCode ?? 'none'})`);
          reject(new GrpcCallError(UNAVAILABLE, why));
          return;
        }
        if (status !== 0) {
          reject(new GrpcCallError(status, details || `status ${status}`));
          return;
        }
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
        if (size < 5) return reject(new GrpcCallError(INTERNAL, 'no response message'));
        if (body[0] !== 0) return reject(new GrpcCallError(INTERNAL, 'compressed response message'));
        const len = body.readUInt32BE(1);
        if (5 + len > size) return reject(new GrpcCallError(INTERNAL, 'truncated response message'));
        resolve(body.subarray(5, 5 + len));
      });
      // The message with its 5-byte prefix (not compressed, length), in one write when small.
      const small = message.length <= 64 * 1024;
      const prefix = Buffer.allocUnsafe(small ? 5 + message.length : 5);
      prefix[0] = 0;
      prefix.writeUInt32BE(message.length, 1);
      if (small) {
        prefix.set(message, 5);
        stream.end(prefix);
      } else {
        stream.write(prefix);
        stream.end(message);
      }
    });
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }
}
