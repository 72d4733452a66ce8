/**
 * End to end through DynamoDB Local: one generated file uploaded as a merchant would (POST /upload,
 * PUT, GET /status until completed) through the local pipeline with the stack's own settings
 * (batch size, batching window, write concurrency). Measures rows/s from the upload to every row
 * stored, and the time from the upload to the first alert (the file's first row is an anomaly).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalDefinitions } from '../local/definitions';
import { uploadAndWait } from '../local/merchant-client';
import { startLocalPipeline } from '../local/pipeline';
import { generateFile } from './validator-core';

export interface PipelineBench {
  rows: number;
  stored: number;
  secondsToStored: number;
  /** The validator's own run (its manifest's duration); the rest is the upload, events and polling. */
  validatorSeconds: number;
  rowsPerSecond: number;
  /** Upload start to the first alert received by the SNS stand-in. */
  secondsToFirstAlert?: number;
  batchingWindowSeconds: number;
}

const ANOMALY_ROW =
  'bench-alert-1,merchant-a,2024-01-01T00:00:00Z,50000.37,EUR,4111111111111111,FR,visa,first row';

export async function benchPipeline(definitions: LocalDefinitions, rows: number): Promise<PipelineBench> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  let firstAlertAt: number | undefined;
  const pipeline = await startLocalPipeline({
    definitions,
    stateDir: join(dir, 'state'),
    onEvent: (event) => {
      if (event.kind === 'alert') firstAlertAt ??= performance.now();
    },
  });
  try {
    const generated = join(dir, 'generated.csv');
    await generateFile(generated, rows - 1);
    const [header, ...lines] = readFileSync(generated, 'utf8').split('\n');
    const body = Buffer.from([header, ANOMALY_ROW, ...lines].join('\n'));
    const key = pipeline.keys.find((k) => k.merchantId === 'merchant-a') ?? pipeline.keys[0];
    const started = performance.now();
    const status = await uploadAndWait(pipeline.apiUrl, key.value, body, {
      pollMs: 100,
      timeoutMs: 15 * 60_000,
    });
    const secondsToStored = (performance.now() - started) / 1000;
    if (status.status !== 'completed')
      throw new Error(`the benchmark file was ${status.status}, not completed`);
    await pipeline.settle();
    return {
      rows: status.counts.rows,
      stored: status.counts.stored,
      secondsToStored,
      validatorSeconds: (status.durationMs ?? 0) / 1000,
      rowsPerSecond: status.counts.rows / secondsToStored,
      secondsToFirstAlert: firstAlertAt === undefined ? undefined : (firstAlertAt - started) / 1000,
      batchingWindowSeconds: definitions.streamMapping.batchingWindowSeconds,
    };
  } finally {
    await pipeline.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
