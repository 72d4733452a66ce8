/** What `npm start` prints: per sample, the outcome, reasons and alerts; then how to call the API. */
import type { LocalApiKey } from './api-gateway';
import type { SampleResult } from './run-samples';
import type { LocalAlert } from './sns-sink';

const MAX_REASONS = 8;

export const formatAlert = (alert: LocalAlert): string => `${alert.subject ?? '(no subject)'}`;

export function formatSampleResult(result: SampleResult): string[] {
  const lines: string[] = [];
  const s = result.status;
  const mark = result.problems.length === 0 ? 'ok' : 'UNEXPECTED';
  if (!s) {
    lines.push(`  ${mark}: could not be processed`);
  } else {
    const c = s.counts ?? {};
    const counts = `${c.rows ?? 0} rows: ${c.stored ?? 0} stored, ${c.unchanged ?? 0} unchanged, ${c.rejected ?? 0} rejected`;
    lines.push(
      `  ${mark}: ${s.status} - ${s.status === 'refused' ? 'nothing stored' : counts} (${result.seconds.toFixed(1)} s)`,
    );
    if (s.refusal) lines.push(`    refused: ${s.refusal.code}: ${s.refusal.message}`);
    if (s.error) lines.push(`    failed: ${s.error.code}: ${s.error.message}`);
    for (const r of (s.rejected ?? []).slice(0, MAX_REASONS)) {
      lines.push(
        `    rejected line ${r.line ?? '?'}${r.column ? ` (${r.column})` : ''}: ${r.code}: ${r.message}`,
      );
    }
    const more = (s.rejected?.length ?? 0) - MAX_REASONS;
    if (more > 0) lines.push(`    ... and ${more} more rejected rows (GET /status/${s.uploadId})`);
    if (s.unknownColumns?.length)
      lines.push(`    unknown columns (not stored): ${s.unknownColumns.join(', ')}`);
  }
  lines.push(
    result.alerts.length === 0 ? '    alerts: none' : `    alerts (${result.alerts.length}):`,
    ...result.alerts.map((a) => `      ${formatAlert(a)}`),
  );
  for (const problem of result.problems) lines.push(`    expected otherwise: ${problem}`);
  return lines;
}

export function formatServing(apiUrl: string, keys: readonly LocalApiKey[], stateDir: string): string[] {
  const first = keys[0];
  return [
    '',
    `Merchant API: ${apiUrl}`,
    ...keys.map((k) => `  API key of ${k.merchantId}: ${k.value}`),
    '',
    'Try it:',
    `  curl -s -X POST -H 'x-api-key: ${first?.value ?? '<key>'}' ${apiUrl}/upload`,
    `  curl -s -H 'x-api-key: ${first?.value ?? '<key>'}' ${apiUrl}/status/tx-1001`,
    '',
    `Alerts: ${stateDir}/alerts.jsonl   failures: ${stateDir}/failures.jsonl   function logs: ${stateDir}/logs/`,
    'Serving until Ctrl-C.',
  ];
}
