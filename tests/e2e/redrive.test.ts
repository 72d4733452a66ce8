/**
 * Failed work, recovered: a fault makes a file's every attempt fail, so it lands in the validator's
 * failure queue; another makes a stream batch's alert fail every retry, so the batch lands in the
 * anomaly detector's. `npm run redrive` lists both, and with --apply replays them into the running
 * local AWS: the rows are stored once and each alert is sent once.
 */
import { spawn } from 'node:child_process';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withCheckDigit } from '../../lambda/shared/card-number/luhn';
import { ATTR, KEYS } from '../../lambda/shared/contract';
import { synthesize } from '../../gate/synth/synthesize';
import { readLocalDefinitions, type LocalDefinitions } from '../../tools/local/definitions';
import { getStatus, requestUpload, uploadAndWait } from '../../tools/local/merchant-client';
import {
  startLocalPipeline,
  STATE_FILES,
  type LocalPipeline,
  type PipelineEvent,
} from '../../tools/local/pipeline';
import { localTarget } from '../../tools/redrive/local-target';
import { exitCodeOf, runRedrive } from '../../tools/redrive/redrive';
import { clientsFor, tableText } from './support';

const ROOT = resolve(__dirname, '..', '..');
const STATE_DIR = join(ROOT, '.local', 'e2e-redrive');
const HEADER =
  'transaction_id,merchant_id,timestamp,amount,currency,card_number,country,card_type,description';

let pipeline: LocalPipeline;
let definitions: LocalDefinitions;
let clients: ReturnType<typeof clientsFor>;
let keyA: string;
const events: PipelineEvent[] = [];

beforeAll(async () => {
  definitions = readLocalDefinitions(await synthesize({ stack: 'dev' }));
  pipeline = await startLocalPipeline({
    definitions,
    stack: 'dev',
    stateDir: STATE_DIR,
    batchingWindowSeconds: 1,
    asyncRetryDelaysMs: [100, 200],
    onEvent: (event) => events.push(event),
  });
  clients = clientsFor(pipeline);
  keyA = pipeline.keys.find((k) => k.merchantId === 'merchant-a')!.value;
}, 180_000);

afterAll(async () => {
  clients?.dynamo.destroy();
  clients?.s3.destroy();
  await pipeline?.stop();
}, 60_000);

/** A Luhn-valid test card number (never a real card: prefix 4000 98). */
function card(n: number): string {
  return withCheckDigit(`400098${String(n).padStart(9, '0')}`);
}

/**
 * A file of `count` rows `${prefix}-1…` on cards and days of its own (`offset`), so that no rule
 * relates it to another file; the first row is over the high-amount threshold.
 */
function file(prefix: string, count: number, offset: number): Buffer {
  const rows = Array.from({ length: count }, (_, i) => {
    const day = String(offset + i + 1).padStart(2, '0');
    const amount = i === 0 ? '25000.37' : '12.40';
    return `${prefix}-${i + 1},merchant-a,2026-03-${day}T10:00:00Z,${amount},EUR,${card(offset + i + 1)},FR,visa,redrive`;
  });
  return Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
}

/** Runs the command as a developer would, without blocking the local servers of this process. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), join(ROOT, 'tools', 'redrive', 'cli.ts'), ...args],
    {
      cwd: ROOT,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

const failureLines = () =>
  readFileSync(join(STATE_DIR, STATE_FILES.failures), 'utf8').split('\n').filter(Boolean);

/**
 * The stored items and the alerts about the transactions `${prefix}-…`: the merchant's own ids (a
 * stored key may carry the merchant before a `#`), and each alert's rule.
 */
async function outcomeOf(prefix: string) {
  const stored = JSON.parse(await tableText(clients.dynamo, pipeline.tableName)) as Record<
    string,
    { S?: string }
  >[];
  const items = stored
    .map((item) => (item[ATTR.transactionId]?.S ?? '').split('#').pop()!)
    .filter((id) => id.startsWith(`${prefix}-`));
  const alerts = pipeline.alerts.filter((a) => a.message.includes(`${prefix}-`));
  return { items: items.sort(), rules: alerts.map((a) => a.attributes.rule) };
}

async function redrive(apply: boolean) {
  const target = localTarget(STATE_DIR, definitions);
  const lines: string[] = [];
  try {
    const summary = await runRedrive(target, { apply, say: (l) => lines.push(l) });
    return { lines, summary, code: exitCodeOf(summary, apply) };
  } finally {
    await target.close();
  }
}

describe('a file whose every attempt fails', () => {
  let key: string;

  beforeAll(async () => {
    // The card-hash key cannot be read: each attempt of the validator fails at its start.
    pipeline.secretStore.failNextRequests(1_000);
    // An upload id the API issued, and the file written where S3 would put the merchant's upload.
    const { uploadId } = await requestUpload(pipeline.apiUrl, keyA);
    key = KEYS.uploadKey('merchant-a', uploadId);
    await clients.s3.send(
      new PutObjectCommand({ Bucket: pipeline.bucket, Key: key, Body: file('rd', 3, 0) }),
    );
    await pipeline.settle();
    pipeline.secretStore.failNextRequests(0);
  }, 120_000);

  it('ends in the failure queue, and npm start says which file', async () => {
    expect(failureLines().map((l) => JSON.parse(l).requestPayload?.Records?.[0]?.s3?.object?.key)).toContain(
      key,
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'failure',
        functionName: definitions.functions.validator.name,
        subject: key,
      }),
    );
    expect((await outcomeOf('rd')).items).toEqual([]);
  });

  it('is listed by a dry run, which changes nothing and exits 1', async () => {
    const { lines, code } = await redrive(false);
    expect(lines.filter((l) => l.includes(key))).toEqual([expect.stringMatching(/: would replay$/)]);
    expect(code).toBe(1);
    expect(failureLines()).toHaveLength(1);
  });

  it('is recovered by npm run redrive -- --apply: rows stored once, its alert sent once', async () => {
    const cli = await runCli(['--apply', '--state-dir', STATE_DIR]);
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: '' });
    expect(cli.stdout).toContain(`${key}`);
    expect(cli.stdout).toMatch(
      /replayed: uploads\/merchant-a\/\S+ completed, 3 stored, 0 unchanged, 0 rejected/,
    );
    await pipeline.settle();
    expect(await outcomeOf('rd')).toEqual({ items: ['rd-1', 'rd-2', 'rd-3'], rules: ['high-amount'] });
    expect(failureLines()).toEqual([]);
    const status = await getStatus<{ status: string }>(
      pipeline.apiUrl,
      keyA,
      key.split('/')[2].replace('.csv', ''),
    );
    expect(status.body?.status).toBe('completed');
  }, 180_000);

  it('leaves nothing to do afterwards: a second run finds the queues empty and exits 0', async () => {
    const { summary, code } = await redrive(true);
    expect(summary.listed).toBe(0);
    expect(code).toBe(0);
  });
});

describe('a stream batch whose alert cannot be sent', () => {
  beforeAll(async () => {
    // Every Publish fails: the record is reported, retried, and its batch finally given up.
    pipeline.alertSink.failNextRequests(1_000);
    await uploadAndWait(pipeline.apiUrl, keyA, file('sb', 2, 10));
    await pipeline.settle();
    pipeline.alertSink.failNextRequests(0);
  }, 180_000);

  it('ends in the failure queue with its shard range, its rows stored but not alerted', async () => {
    // One batch per (virtual) shard the file's rows went to.
    const records = failureLines().map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThanOrEqual(1);
    for (const record of records) {
      expect(record).toEqual(
        expect.objectContaining({
          functionName: definitions.functions.anomaly.name,
          DDBStreamBatchInfo: expect.objectContaining({ shardId: expect.any(String) }),
        }),
      );
    }
    expect(await outcomeOf('sb')).toEqual({ items: ['sb-1', 'sb-2'], rules: [] });
  });

  it('is re-read from the stream and its alert sent once by redrive --apply', async () => {
    const { lines, code } = await redrive(true);
    expect(code).toBe(0);
    expect(lines.filter((l) => l.startsWith('['))).toEqual(
      lines.filter((l) => /: replayed: \d+ records checked again$/.test(l)),
    );
    expect(await outcomeOf('sb')).toEqual({ items: ['sb-1', 'sb-2'], rules: ['high-amount'] });
    // Replaying again sends nothing more: the alert is keyed by its episode.
    expect((await redrive(true)).summary.listed).toBe(0);
    expect(failureLines()).toEqual([]);
  });
});
