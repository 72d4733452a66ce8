/**
 * End to end, the programmatic twin of `npm start -- --once`: the stack's definitions, the real
 * function bundles, DynamoDB Local, s3rver and the local stand-ins, driven over HTTP as a merchant
 * would. The batching window is 1 s instead of the stack's 5 s to keep the suite fast. Every AWS
 * call the functions make is recorded, and must be allowed by their synthesized roles (tests/iam).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ATTR, transactionKey } from '../../lambda/shared/contract';
import { readLocalDefinitions } from '../../tools/local/definitions';
import { getStatus, uploadAndWait } from '../../tools/local/merchant-client';
import { findPans, scanDirectoryForPans } from '../../tools/local/pan-scan';
import { startLocalPipeline, type LocalPipeline, type PipelineEvent } from '../../tools/local/pipeline';
import { runSamples, type SampleResult } from '../../tools/local/run-samples';
import { planSamples } from '../../tools/local/samples';
import { synthesize } from '../../gate/synth/synthesize';
import { attemptsOf, refusedAttempts } from '../iam/judge';
import { readCallLog } from '../iam/scenario';
import { readStackModel, type StackModel } from '../iam/stack-model';
import { clientsFor, reportsText, tableText, tamperWith } from './support';

const ROOT = resolve(__dirname, '..', '..');
const SAMPLES = join(ROOT, 'samples');
const STATE_DIR = join(ROOT, '.local', 'e2e');
const CALL_LOG = join(ROOT, '.local', 'e2e.calls.jsonl');
const runs = planSamples(readdirSync(SAMPLES));
const HEADER =
  'transaction_id,merchant_id,timestamp,amount,currency,card_number,country,card_type,description';

let pipeline: LocalPipeline;
let model: StackModel;
let clients: ReturnType<typeof clientsFor>;
let results: SampleResult[];
let keyA: string;
let keyB: string;
const events: PipelineEvent[] = [];

beforeAll(async () => {
  const synth = await synthesize();
  model = readStackModel(synth);
  const definitions = readLocalDefinitions(synth);
  rmSync(CALL_LOG, { force: true });
  pipeline = await startLocalPipeline({
    definitions,
    stateDir: STATE_DIR,
    callLog: CALL_LOG,
    batchingWindowSeconds: 1,
    asyncRetryDelaysMs: [200, 400],
    onEvent: (event) => events.push(event),
  });
  clients = clientsFor(pipeline);
  keyA = pipeline.keys.find((k) => k.merchantId === 'merchant-a')!.value;
  keyB = pipeline.keys.find((k) => k.merchantId === 'merchant-b')!.value;
  results = await runSamples(pipeline, { samplesDir: SAMPLES, runs, merchantKey: keyA });
}, 180_000);

afterAll(async () => {
  clients?.dynamo.destroy();
  clients?.s3.destroy();
  await pipeline?.stop();
}, 60_000);

const resultOf = (file: string, again = false) =>
  results.find((r) => r.run.file === file && r.run.label.includes('again') === again)!;
const csv = (...rows: string[]) => Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);

describe('the samples, uploaded as a merchant would', () => {
  test.each(runs.map((run, index) => [run.label, index] as const))(
    '%s behaves as expected',
    (_label, index) => {
      expect(results[index].problems).toEqual([]);
    },
  );

  test('the clean file is stored whole and its transactions read back with the card masked', async () => {
    const clean = resultOf('transactions-clean.csv');
    expect(clean.status?.counts).toMatchObject({ rows: 8, stored: 8, rejected: 0 });
    const { status, body } = await getStatus<{ versions: { card: string; amount: number }[] }>(
      pipeline.apiUrl,
      keyA,
      'tx-1001',
    );
    expect(status).toBe(200);
    expect(body?.versions).toEqual([expect.objectContaining({ card: '**** 1111', amount: 42.5 })]);
  });

  test('every rejected row has a line, a column and a reason, and no row is lost', () => {
    const withErrors = resultOf('transactions-with-errors.csv').status!;
    expect(withErrors.counts.accepted + withErrors.counts.rejected).toBe(withErrors.counts.rows);
    expect(withErrors.rejected!.length).toBe(withErrors.counts.rejected);
    for (const row of withErrors.rejected!) {
      expect(row).toEqual(
        expect.objectContaining({
          line: expect.any(Number),
          code: expect.any(String),
          message: expect.any(String),
        }),
      );
    }
  });

  test('the anomalies file raises readable alerts with severity and rule attributes', () => {
    const { alerts } = resultOf('anomalies.csv');
    expect(alerts.length).toBeGreaterThanOrEqual(6);
    for (const alert of alerts) {
      expect(alert.subject).toMatch(/^\[(HIGH|MEDIUM|LOW|CRITICAL)\] /);
      expect(alert.attributes).toEqual(
        expect.objectContaining({ severity: expect.any(String), rule: expect.any(String) }),
      );
    }
  });

  test('a file with a CVV column is refused whole: none of its rows is stored', async () => {
    expect(resultOf('with-cvv.csv').status?.status).toBe('refused');
    expect((await getStatus(pipeline.apiUrl, keyA, 'cv-0001')).status).toBe(404);
  });

  test('uploading the same file again changes nothing and raises no alert', () => {
    const again = resultOf('transactions-clean.csv', true);
    expect(again.status?.counts).toMatchObject({ rows: 8, stored: 0, unchanged: 8 });
    expect(again.alerts).toEqual([]);
  });
});

describe('audited history', () => {
  test('a modified row whose key exists already is a conflict and is never overwritten', async () => {
    const status = await uploadAndWait(
      pipeline.apiUrl,
      keyA,
      csv('tx-1001,merchant-a,2024-05-01T09:15:00Z,99.99,EUR,4111111111111111,FR,visa,Coffee beans 1kg'),
    );
    expect(status.counts).toMatchObject({ rows: 1, stored: 0, conflicts: 1, rejected: 1 });
    expect(status.rejected).toEqual([expect.objectContaining({ line: 2, code: 'CONFLICT' })]);
    const { body } = await getStatus<{ versions: { amount: number }[] }>(pipeline.apiUrl, keyA, 'tx-1001');
    expect(body?.versions.map((v) => v.amount)).toEqual([42.5]);
  });

  test('a direct update of a stored item raises a critical tamper alert naming the change', async () => {
    const before = pipeline.alerts.length;
    await tamperWith(
      clients.dynamo,
      pipeline.tableName,
      transactionKey('merchant-a', 'tx-1002'),
      '2024-05-01T09:20:31.000Z',
    );
    await pipeline.settle();
    const tamper = pipeline.alerts.slice(before).filter((a) => a.attributes.rule === 'tamper');
    expect(tamper).toHaveLength(1);
    expect(tamper[0].attributes.severity).toBe('critical');
    expect(tamper[0].message).toContain('tx-1002');
    expect(tamper[0].message).toMatch(/amount/);
  });
});

describe('the merchant API behind its keys', () => {
  test("another merchant's key gets the same 404 for the first merchant's transaction as for a missing id", async () => {
    const foreign = await getStatus(pipeline.apiUrl, keyB, 'tx-1001');
    const missing = await getStatus(pipeline.apiUrl, keyA, 'tx-does-not-exist');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
  });

  test('a missing or unknown API key gets 403', async () => {
    expect((await getStatus(pipeline.apiUrl, undefined, 'tx-1001')).status).toBe(403);
    expect((await getStatus(pipeline.apiUrl, 'not-a-key', 'tx-1001')).status).toBe(403);
    const post = await fetch(`${pipeline.apiUrl}/upload`, { method: 'POST' });
    expect(post.status).toBe(403);
  });
});

describe('the usage plan', () => {
  test('a key calling faster than its throttle gets 429s, and the calls served still answer', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        fetch(`${pipeline.apiUrl}/status/tx-1001`, { headers: { 'x-api-key': keyB } }).then(async (r) => {
          await r.text();
          return r.status;
        }),
      ),
    );
    expect(responses).toContain(429);
    expect(responses).toContain(404); // merchant-b may not see merchant-a's transaction
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let the buckets refill
  });
});

describe('the stream mapping', () => {
  test('a record whose alert cannot be sent is reported, re-sent, and its alert then arrives', async () => {
    const before = pipeline.alerts.length;
    const eventsBefore = events.length;
    pipeline.alertSink.failNextRequests(3); // the SDK's three attempts of the one Publish
    await uploadAndWait(
      pipeline.apiUrl,
      keyA,
      csv('tx-9001,merchant-a,2026-04-01T10:00:00Z,25000.37,EUR,4111111111111111,FR,visa,big'),
    );
    await pipeline.settle();
    // One batch, invoked twice: the record reported in batchItemFailures was re-sent.
    const batches = events.slice(eventsBefore).filter((e) => e.kind === 'stream-batch');
    expect(batches).toEqual([{ kind: 'stream-batch', records: 1, invocations: 2, dropped: 0 }]);
    const alerts = pipeline.alerts.slice(before).filter((a) => a.message.includes('tx-9001'));
    expect(alerts.map((a) => a.attributes.rule)).toEqual(['high-amount']);
    expect(pipeline.failures).toEqual([]);
  });
});

describe('card numbers', () => {
  test('no full card number in .local/, the table, the reports or the alerts', async () => {
    const scan = scanDirectoryForPans(pipeline.stateDir);
    expect(scan.files).toBeGreaterThan(3);
    expect(scan.findings).toEqual([]);
    const table = await tableText(clients.dynamo, pipeline.tableName);
    expect(table).toContain(ATTR.cardHash);
    expect(findPans(table)).toEqual([]);
    const reports = await reportsText(clients.s3, pipeline.bucket);
    expect(reports.keys.some((k) => k.endsWith('.rejects.csv'))).toBe(true);
    expect(findPans(reports.text)).toEqual([]);
    expect(findPans(JSON.stringify(pipeline.alerts))).toEqual([]);
  });

  test('the scan does find a card number when one is there', () => {
    expect(findPans('card 4111111111111111 and 5555-5555-5555-4444')).toEqual(['****1111', '****4444']);
  });
});

describe('least privilege', () => {
  test('every AWS call the functions made in this suite is mapped and allowed by their own synthesized role', async () => {
    await pipeline.settle();
    const calls = readCallLog(CALL_LOG);
    expect(new Set(calls.map((c) => c.principal)).size).toBe(3);
    const { attempts, unmapped } = attemptsOf(model, calls);
    expect(unmapped).toEqual([]);
    expect(await refusedAttempts(model, attempts)).toEqual([]);
  });
});
