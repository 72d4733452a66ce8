/**
 * What writing costs the validator's own CPU, per row: the real sink (conditional PartiQL INSERTs,
 * 25 per BatchExecuteStatement request, on the direct path) against the same sink on the SDK's full
 * path, and against one conditional PutItem per row, the alternative it replaced. Both talk to a stub DynamoDB in a child process that answers every statement with
 * success at once, so the CPU measured here is the client's alone (SDK, signing, HTTP, JSON), the
 * part that runs inside Lambda and competes with parsing for the function's share of a vCPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoSink } from '../../lambda/validator/adapters/dynamo-sink';
import { useSdkPath } from '../../lambda/shared/direct-commands';
import { runBounded } from '../../lambda/shared/run-bounded';
import type { StoredItem } from '../../lambda/validator/core/types';

export interface WriteCostBench {
  rows: number;
  /** Client CPU per row through the validator's sink (µs). */
  sinkMicrosPerRow: number;
  /** The same sink with its bulk calls on the SDK's full path (lambda/shared/direct-commands.ts). */
  sdkPathMicrosPerRow: number;
  /** Client CPU per row with one conditional PutItem per row (µs). */
  putItemMicrosPerRow: number;
}

/** Answers BatchExecuteStatement with one success per statement and anything else with `{}`. */
const STUB = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body = '{}';
    if (String(req.headers['x-amz-target']).endsWith('.BatchExecuteStatement')) {
      const n = JSON.parse(Buffer.concat(chunks).toString()).Statements.length;
      body = JSON.stringify({ Responses: Array.from({ length: n }, () => ({ TableName: 'bench' })) });
    }
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));`;

const startStub = (): Promise<{ endpoint: string; child: ChildProcess }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', STUB], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout?.once('data', (port: Buffer) =>
      resolve({ endpoint: `http://127.0.0.1:${String(port).trim()}`, child }),
    );
  });

const item = (i: number): StoredItem => ({
  transaction_id: `bench-${i}`,
  timestamp: '2024-05-01T09:15:00.000Z',
  merchant_id: 'merchant-a',
  amount: 42.5,
  currency: 'EUR',
  card_last4: '1111',
  card_hash: 'a'.repeat(64),
  country: 'FR',
  upload_id: 'bench-upload',
  source_line: i + 2,
  content_hash: 'b'.repeat(64),
});

const cpuMicros = async (work: () => Promise<unknown>): Promise<number> => {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
};

export async function benchWriteCost(rows = 50_000): Promise<WriteCostBench> {
  const { endpoint, child } = await startStub();
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const sdkClient = useSdkPath(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  );
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const sink = createDynamoSink(client, { tableName: 'bench', concurrency: 8 });
  const sdkSink = createDynamoSink(sdkClient, { tableName: 'bench', concurrency: 8 });
  const items = Array.from({ length: rows }, (_, i) => item(i));
  const putRows = Math.max(1000, Math.floor(rows / 10));
  const put = (it: StoredItem) => () =>
    doc.send(
      new PutCommand({
        TableName: 'bench',
        Item: it,
        ConditionExpression: 'attribute_not_exists(transaction_id)',
      }),
    );
  try {
    // Warm every path (JIT, sockets, endpoint resolution), then alternate, best of 2.
    await sink.writeBatch(items.slice(0, 1000));
    await sdkSink.writeBatch(items.slice(0, 1000));
    await runBounded(items.slice(0, 200).map(put), 32);
    let sinkBest = Infinity;
    let sdkBest = Infinity;
    let putBest = Infinity;
    for (let round = 0; round < 2; round++) {
      sinkBest = Math.min(sinkBest, (await cpuMicros(() => sink.writeBatch(items))) / rows);
      sdkBest = Math.min(sdkBest, (await cpuMicros(() => sdkSink.writeBatch(items))) / rows);
      putBest = Math.min(
        putBest,
        (await cpuMicros(() => runBounded(items.slice(0, putRows).map(put), 32))) / putRows,
      );
    }
    return { rows, sinkMicrosPerRow: sinkBest, sdkPathMicrosPerRow: sdkBest, putItemMicrosPerRow: putBest };
  } finally {
    client.destroy();
    sdkClient.destroy();
    child.kill();
  }
}
