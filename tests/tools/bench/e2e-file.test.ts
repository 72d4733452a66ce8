import { DEFAULTS } from '../../../lambda/shared/contract';
import {
  FIRST_PATTERN_PREFIX,
  LAST_PATTERN_PREFIX,
  PATTERN_ROWS,
  e2eFileBody,
} from '../../../tools/bench/e2e-file';

const HEADER =
  'transaction_id,merchant_id,timestamp,amount,currency,card_number,country,card_type,description';
const START = Date.UTC(2024, 0, 1);

function generated(rows: number): string {
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `tx-${i},merchant-a,${new Date(START + i * 1000).toISOString()},${1 + (i % 500)}.00,EUR,` +
      `4000000000000${String(i % 1000).padStart(3, '0')},FR,visa,order ${i}`,
  );
  return `${[HEADER, ...lines].join('\n')}\n`;
}

function parse(body: Buffer) {
  const [header, ...lines] = body.toString('utf8').trimEnd().split('\n');
  return {
    header,
    rows: lines.map((line) => {
      const [id, , timestamp, amount, , card] = line.split(',');
      return { id, epochMs: Date.parse(timestamp), amount: Number(amount), card };
    }),
  };
}

describe('the end-to-end benchmark file', () => {
  const { header, rows } = parse(e2eFileBody(generated(1000), START));

  test('keeps the header and adds the pattern rows to the generated ones', () => {
    expect(header).toBe(HEADER);
    expect(rows).toHaveLength(1000 + PATTERN_ROWS);
  });

  test('starts with a high amount, so the first alert is about the first row', () => {
    expect(rows[0].id.startsWith(FIRST_PATTERN_PREFIX)).toBe(true);
    expect(rows[0].amount).toBeGreaterThan(DEFAULTS.amountThreshold);
    expect(rows[0].epochMs).toBe(START);
  });

  test('ends with a velocity burst and a high amount, after every generated row in event time', () => {
    const last = rows.filter((r) => r.id.startsWith(LAST_PATTERN_PREFIX));
    expect(last).toEqual(rows.slice(rows.length - last.length)); // the file's last rows
    const latestGenerated = Math.max(...rows.filter((r) => r.id.startsWith('tx-')).map((r) => r.epochMs));
    expect(Math.min(...last.map((r) => r.epochMs))).toBeGreaterThan(latestGenerated);

    const burst = last.filter((r) => r.id.includes('velocity'));
    expect(new Set(burst.map((r) => r.card)).size).toBe(1);
    expect(burst.length).toBeGreaterThan(DEFAULTS.velocityMaxCount);
    const span = Math.max(...burst.map((r) => r.epochMs)) - Math.min(...burst.map((r) => r.epochMs));
    expect(span).toBeLessThanOrEqual(DEFAULTS.velocityWindowSeconds * 1000);
    // No generated row uses the burst's card, so the burst alone trips the rule.
    expect(rows.some((r) => r.id.startsWith('tx-') && r.card === burst[0].card)).toBe(false);

    const final = rows[rows.length - 1];
    expect(final.id).toBe(`${LAST_PATTERN_PREFIX}high-amount`);
    expect(final.amount).toBeGreaterThan(DEFAULTS.amountThreshold);
  });
});
