/**
 * The end-to-end benchmark file: generated rows (tools/bench/validator-core.ts) with alerting
 * patterns at both ends, so the run times the first alert (the first row) and the last (a
 * velocity burst and a high amount in the last rows, after every other row in event time). The
 * patterns are built from the rules' defaults, so they keep tripping if a default changes. Pure.
 */
import { DEFAULTS } from '../../lambda/shared/contract';

/** Transaction ids of the patterns: an alert naming one of them is the file's first or last. */
export const FIRST_PATTERN_PREFIX = 'bench-first-';
export const LAST_PATTERN_PREFIX = 'bench-last-';
/** Luhn-valid test cards that the generated rows never use. */
const FIRST_CARD = '4111111111111111';
const BURST_CARD = '4012888888881881';
const HIGH_CARD = '5105105105105100'; // mastercard
const BURST_SPACING_SECONDS = 10;

function highAmount(): string {
  return `${DEFAULTS.amountThreshold * 5}.37`;
}

function csvRow(id: string, epochMs: number, amount: string, card: string, description: string): string {
  const scheme = card.startsWith('5') ? 'mastercard' : 'visa';
  return `${id},merchant-a,${new Date(epochMs).toISOString()},${amount},EUR,${card},FR,${scheme},${description}`;
}

/** The first row: a high amount, timed like the first generated row. */
export function firstPatternRow(startMs: number): string {
  return csvRow(`${FIRST_PATTERN_PREFIX}high-amount`, startMs, highAmount(), FIRST_CARD, 'first row');
}

/**
 * The last rows, from `afterMs` on: one card used once more than the velocity limit within its
 * window, then a high amount on another card.
 */
export function lastPatternRows(afterMs: number): string[] {
  const burst = DEFAULTS.velocityMaxCount + 1;
  if ((burst - 1) * BURST_SPACING_SECONDS > DEFAULTS.velocityWindowSeconds)
    throw new Error('the velocity burst no longer fits in the velocity window');
  const rows: string[] = [];
  for (let k = 1; k <= burst; k += 1) {
    const at = afterMs + k * BURST_SPACING_SECONDS * 1000;
    rows.push(
      csvRow(`${LAST_PATTERN_PREFIX}velocity-${k}`, at, `${10 + k}.05`, BURST_CARD, 'velocity burst'),
    );
  }
  const highAt = afterMs + (burst + 1) * BURST_SPACING_SECONDS * 1000;
  rows.push(csvRow(`${LAST_PATTERN_PREFIX}high-amount`, highAt, highAmount(), HIGH_CARD, 'last row'));
  return rows;
}

/** How many rows the patterns add: the generated part is the rest of the requested rows. */
export const PATTERN_ROWS = 1 + DEFAULTS.velocityMaxCount + 2;

/**
 * The whole file from the generated CSV text (header and rows one second apart from `startMs`):
 * the first pattern row, the generated rows, the last pattern rows just after them.
 */
export function e2eFileBody(generated: string, startMs: number): Buffer {
  const [header, ...lines] = generated.split('\n').filter((line) => line !== '');
  const afterMs = startMs + lines.length * 1000;
  return Buffer.from(
    [header, firstPatternRow(startMs), ...lines, ...lastPatternRows(afterMs)].join('\n') + '\n',
  );
}
