/** Writes every report into the output directory and returns their paths. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GateInputError } from './errors';
import { renderEvents } from './reports/jsonl';
import { renderJUnit } from './reports/junit';
import { renderMarkdown } from './reports/markdown';
import { renderSarif } from './reports/sarif';
import { toStateDocument } from './state';
import type { GateResult } from './types';

export const REPORT_FILES = {
  markdown: 'policy-report.md',
  sarif: 'policy-report.sarif',
  junit: 'policy-report.junit.xml',
  events: 'policy-events.jsonl',
  state: 'stack-state.json',
} as const;

export async function writeReports(r: GateResult, outDir: string): Promise<string[]> {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new GateInputError(
      `cannot create output directory ${outDir}: ${(e as NodeJS.ErrnoException).code ?? e}`,
    );
  }
  const renderers: [string, () => string][] = [
    [REPORT_FILES.markdown, () => renderMarkdown(r)],
    [REPORT_FILES.sarif, () => JSON.stringify(renderSarif(r), null, 2) + '\n'],
    [REPORT_FILES.junit, () => renderJUnit(r)],
    [REPORT_FILES.events, () => renderEvents(r)],
    [
      REPORT_FILES.state,
      () => JSON.stringify(toStateDocument(r.input, new Date(r.startedAt)), null, 2) + '\n',
    ],
  ];
  // Each file is written in the background while the next one is rendered (megabytes each for
  // large stacks); the first failure in file order is reported.
  const files = renderers.map(([name]) => path.join(outDir, name));
  const writes: Promise<void>[] = [];
  let settled: PromiseSettledResult<void>[];
  try {
    for (const [i, [, render]] of renderers.entries()) writes.push(fs.promises.writeFile(files[i], render()));
  } finally {
    settled = await Promise.allSettled(writes);
  }
  settled.forEach((s, i) => {
    if (s.status === 'rejected') {
      const e = s.reason as NodeJS.ErrnoException;
      throw new GateInputError(`cannot write ${files[i]}: ${e.code ?? e}`);
    }
  });
  return files;
}
