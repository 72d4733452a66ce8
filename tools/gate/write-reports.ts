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

export function writeReports(r: GateResult, outDir: string): string[] {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new GateInputError(
      `cannot create output directory ${outDir}: ${(e as NodeJS.ErrnoException).code ?? e}`,
    );
  }
  const files: [string, string][] = [
    [REPORT_FILES.markdown, renderMarkdown(r)],
    [REPORT_FILES.sarif, JSON.stringify(renderSarif(r), null, 2) + '\n'],
    [REPORT_FILES.junit, renderJUnit(r)],
    [REPORT_FILES.events, renderEvents(r)],
    [REPORT_FILES.state, JSON.stringify(toStateDocument(r.input, new Date(r.startedAt)), null, 2) + '\n'],
  ];
  return files.map(([name, content]) => {
    const file = path.join(outDir, name);
    try {
      fs.writeFileSync(file, content);
    } catch (e) {
      throw new GateInputError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    return file;
  });
}
