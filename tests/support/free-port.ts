/** Helpers shared by the local servers used in tests. */

export const LOCAL_REGION = 'us-east-1';
/** Dummy credentials: local servers accept any; real AWS is never reached from tests. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export { freePort } from '../../tools/local/free-port';
