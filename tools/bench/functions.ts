/**
 * Each function's deployment bundle size (raw and gzipped, roughly the zip Lambda stores) and its
 * module initialisation time, a cold-start proxy: the bundle is loaded in a fresh worker thread
 * with the function's own environment, as Lambda's init phase loads it, three times, median kept.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { bundleFunction } from '../../stack/lambda-bundle';
import type { FunctionDefinition } from '../local/definitions';

export interface FunctionBench {
  purpose: string;
  bundleBytes: number;
  gzipBytes: number;
  initMs: number;
}

const INIT_PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const start = process.hrtime.bigint();
require(workerData.entry);
parentPort.postMessage(Number(process.hrtime.bigint() - start) / 1e6);`;

const initOnce = (entry: string, env: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(INIT_PROBE, {
      eval: true,
      env,
      workerData: { entry },
      stdout: true,
      stderr: true,
    });
    worker.once('message', (ms: number) => void worker.terminate().then(() => resolve(ms)));
    worker.once('error', reject);
  });

export async function benchFunctions(definitions: readonly FunctionDefinition[]): Promise<FunctionBench[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-functions-'));
  try {
    const results: FunctionBench[] = [];
    for (const d of definitions) {
      const { code } = bundleFunction(d.purpose);
      const entry = join(dir, `${d.purpose}.js`);
      writeFileSync(entry, code);
      const env = {
        ...d.environment,
        AWS_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: d.name,
        POWERTOOLS_TRACE_ENABLED: 'false',
        PATH: process.env.PATH ?? '',
      };
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push(await initOnce(entry, env));
      times.sort((a, b) => a - b);
      results.push({
        purpose: d.purpose,
        bundleBytes: Buffer.byteLength(code),
        gzipBytes: gzipSync(code).length,
        initMs: times[1],
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
