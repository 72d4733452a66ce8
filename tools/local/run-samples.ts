/**
 * Uploads each planned sample as a merchant would (HTTP only), waits until its status is final and
 * every stream record it caused is delivered, and collects the alerts it raised.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uploadAndWait, type UploadStatusBody } from './merchant-client';
import type { LocalPipeline } from './pipeline';
import { judgeSample, type SampleRun } from './samples';
import type { LocalAlert } from './sns-sink';

export interface SampleResult {
  run: SampleRun;
  status?: UploadStatusBody;
  alerts: LocalAlert[];
  problems: string[];
  seconds: number;
}

export async function runSamples(
  pipeline: LocalPipeline,
  options: {
    samplesDir: string;
    runs: SampleRun[];
    merchantKey: string;
    onStart?: (run: SampleRun, index: number) => void;
    onStatus?: (status: UploadStatusBody) => void;
    onDone?: (result: SampleResult) => void;
  },
): Promise<SampleResult[]> {
  const results: SampleResult[] = [];
  for (const [index, run] of options.runs.entries()) {
    options.onStart?.(run, index);
    const started = Date.now();
    const alertsBefore = pipeline.alerts.length;
    let status: UploadStatusBody | undefined;
    let problems: string[];
    try {
      status = await uploadAndWait(
        pipeline.apiUrl,
        options.merchantKey,
        readFileSync(join(options.samplesDir, run.file)),
        {
          onStatus: options.onStatus,
        },
      );
      await pipeline.settle();
      problems = [];
    } catch (error) {
      problems = [(error as Error).message];
    }
    const alerts = pipeline.alerts.slice(alertsBefore);
    if (status) problems.push(...judgeSample(run.expect, status, alerts));
    const result = { run, status, alerts, problems, seconds: (Date.now() - started) / 1000 };
    results.push(result);
    options.onDone?.(result);
  }
  return results;
}
