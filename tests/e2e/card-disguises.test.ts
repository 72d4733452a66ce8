/**
 * Probes as an attacker would, through the merchant API of the local pipeline (`npm start`'s parts):
 * card numbers in generated disguises in every field and in a column name. None may be readable in
 * the table, the reports, the API's answers, the function logs or the alerts, judged by an oracle
 * independent of the detector (tests/support/card-disguises.ts).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLocalDefinitions } from '../../tools/local/definitions';
import { getStatus, uploadAndWait, type UploadStatusBody } from '../../tools/local/merchant-client';
import { startLocalPipeline, type LocalPipeline } from '../../tools/local/pipeline';
import { synthesize } from '../../gate/synth/synthesize';
import { disguisedCard, revealsCard, type Disguise } from '../support/card-disguises';
import { HEADER } from '../lambda/validator/helpers';
import { clientsFor, reportsText, tableText } from './support';

const ROOT = resolve(__dirname, '..', '..');
const STATE_DIR = join(ROOT, '.local', 'e2e-disguises');
const COLUMNS = HEADER.split(',');
const PLACES = ['description', 'transaction_id', 'country', 'currency', 'amount', 'notes'] as const;

let pipeline: LocalPipeline;
let clients: ReturnType<typeof clientsFor>;
let key: string;
const probes: Disguise[] = fc.sample(disguisedCard, { seed: 20261129, numRuns: 36 });
const answers: string[] = [];

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** One row per probe, the disguise in a different column each time; `notes` is a column the contract does not know. */
function probeFile(headerProbe: Disguise): string {
  const header = [...COLUMNS, 'notes', headerProbe.text].map(quote).join(',');
  const rows = probes.map((probe, i) => {
    const place = PLACES[i % PLACES.length];
    const values: Record<string, string> = {
      transaction_id: `probe-${i}`,
      merchant_id: 'merchant-a',
      timestamp: `2026-03-0${1 + (i % 9)}T10:${String(i).padStart(2, '0')}:00Z`,
      // Stored rows (the disguise in `notes`) are high amounts, so the alerts are an output too.
      amount: place === 'notes' ? '25000.00' : '12.50',
      currency: 'EUR',
      card_number: '4111111111111111',
      country: 'FR',
      card_type: 'visa',
      description: 'probe',
      notes: 'n/a',
      [place]: probe.text,
    };
    return [...COLUMNS, 'notes']
      .map((c) => quote(values[c]))
      .concat(quote('x'))
      .join(',');
  });
  return `${header}\r\n${rows.join('\r\n')}\r\n`;
}

beforeAll(async () => {
  const definitions = readLocalDefinitions(await synthesize());
  rmSync(STATE_DIR, { recursive: true, force: true });
  pipeline = await startLocalPipeline({ definitions, stateDir: STATE_DIR, batchingWindowSeconds: 1 });
  clients = clientsFor(pipeline);
  key = pipeline.keys.find((k) => k.merchantId === 'merchant-a')!.value;
  const status: UploadStatusBody = await uploadAndWait(
    pipeline.apiUrl,
    key,
    Buffer.from(probeFile(probes[0])),
  );
  answers.push(JSON.stringify(status));
  // What the API answers about the rows it stored and the ones it did not.
  for (let i = 0; i < probes.length; i++)
    answers.push((await getStatus(pipeline.apiUrl, key, `probe-${i}`)).text);
  await pipeline.settle();
}, 180_000);

afterAll(async () => {
  clients?.dynamo.destroy();
  clients?.s3.destroy();
  await pipeline?.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.parentPath.includes(`${join(STATE_DIR, 'functions')}`))
    .map((e) => join(e.parentPath, e.name));
}

describe('disguised card numbers sent through the merchant API', () => {
  it('were all rejected where they would be stored, and the file was processed', () => {
    const status = JSON.parse(answers[0]) as UploadStatusBody;
    expect(status.status).toBe('completed');
    // Rows with the disguise in a stored column are rejected; those with it in `notes` are stored.
    const stored = probes.filter((_, i) => PLACES[i % PLACES.length] === 'notes').length;
    expect(status.counts).toMatchObject({ rows: probes.length, stored, rejected: probes.length - stored });
    expect(pipeline.alerts.map((a) => a.attributes.rule)).toContain('high-amount');
  });

  it.each([
    ['the table', async () => tableText(clients.dynamo, pipeline.tableName)],
    [
      'the reports (manifest, rejects file)',
      async () => (await reportsText(clients.s3, pipeline.bucket)).text,
    ],
    ["the API's answers", async () => answers.join('\n')],
    ['the alerts', async () => JSON.stringify(pipeline.alerts)],
    [
      'the logs and everything else under .local',
      async () =>
        filesUnder(STATE_DIR)
          .map((f) => readFileSync(f, 'utf8'))
          .join('\n'),
    ],
  ])('none is readable in %s', async (_where, read) => {
    const text = await read();
    expect(text.length).toBeGreaterThan(0);
    const revealed = probes.filter((p) => revealsCard(text, p.card)).map((p) => p.how);
    expect(revealed).toEqual([]);
  });
});
