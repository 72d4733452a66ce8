/** Small helpers shared by the local HTTP servers (all bound to 127.0.0.1). */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';

export interface LocalServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 at `port` (0: a free port chosen by the OS) and resolves once listening. */
export const listenLocal = (listener: RequestListener, port = 0): Promise<LocalServer> =>
  new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.keepAliveTimeout = 1000;
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on 127.0.0.1 is already in use.`) : error),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: bound,
        url: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });

/** The request body as text, refusing bodies over `limit` bytes. */
export const readBody = (request: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
