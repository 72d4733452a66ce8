/** Human-readable output of check-file (the --json output is the CheckResult itself). */
import type { CheckError, CheckResult } from './run-check';

const where = (error: CheckError): string =>
  [error.line !== undefined ? `line ${error.line}` : undefined, error.column].filter(Boolean).join(', ');

export const formatText = (result: CheckResult): string => {
  const lines: string[] = [];
  if (result.status === 'refused') {
    const [refusal] = result.errors;
    lines.push(`${result.file}: REFUSED (${refusal.code}) - nothing from this file would be stored.`);
    lines.push(`  ${refusal.message}`);
    return lines.join('\n');
  }
  lines.push(
    `${result.file}: ${result.rows} row(s), ${result.accepted} accepted, ${result.rejected} rejected` +
      (result.merchantId ? ` (merchant ${result.merchantId})` : ''),
  );
  if (result.unknownColumns.length > 0) {
    lines.push(`  unknown column(s), not stored: ${result.unknownColumns.join(', ')}`);
  }
  for (const error of result.errors) {
    lines.push(`  ${where(error)}: ${error.code} ${error.message}`);
  }
  if (result.errorsTruncated) lines.push('  (more errors not shown)');
  return lines.join('\n');
};
