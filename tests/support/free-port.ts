/** Helpers shared by the local servers used in tests. */
import { createServer } from 'node:net';

export const LOCAL_REGION = 'us-east-1';
/** Dummy credentials: local servers accept any; real AWS is never reached from tests. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** A TCP port free on 127.0.0.1 right now (the OS picks it when listening on port 0). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
