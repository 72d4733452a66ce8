import { processFile, type RejectedRow } from '../../../lambda/validator/core/pipeline';
import { FileRefusedError } from '../../../lambda/validator/core/refusal';
import type { StoredItem } from '../../../lambda/validator/core/types';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { chunks, csv, LIMITS, memorySink, row } from './helpers';

const options = { merchantId: 'merchant-a', uploadId: 'up-1', limits: LIMITS, cardKey: 'test-key' };

describe('validator core pipeline', () => {
  it('stores valid rows with protected card data and rejects the others with line and reason', async () => {
    const { sink, batches } = memorySink();
    const rejected: RejectedRow[] = [];
    const text = csv(
      row({ transaction_id: 'tx-1' }),
      row({ transaction_id: 'tx-2', card_number: '4111111111111112' }),
      row({ transaction_id: 'tx-3', amount: '9.99', card_number: '5555555555554444' }),
    );
    const result = await processFile(chunks(text, 10), {
      ...options,
      sink,
      onReject: (r) => void rejected.push(r),
    });
    expect(result.counts).toEqual({
      rows: 3,
      accepted: 2,
      stored: 2,
      unchanged: 0,
      rejected: 1,
      conflicts: 0,
    });
    const items = batches.flat();
    expect(items.map((i) => [i.transaction_id, i.source_line, i.card_last4])).toEqual([
      ['merchant-a#tx-1', 2, '1111'],
      ['merchant-a#tx-3', 4, '4444'],
    ]);
    expect(items[0]).toMatchObject({
      merchant_id: 'merchant-a',
      amount: 42.5,
      currency: 'EUR',
      upload_id: 'up-1',
    });
    expect(items[0].card_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(items[0].content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 3, column: 'card_number', code: 'INVALID_CARD_NUMBER' }),
    ]);
    expect(rejected[0].line).toBe(3);
    expect(rejected[0].fields).toContain('**** **** **** 1112');
    expect(JSON.stringify([items, result, rejected])).not.toMatch(
      /4111111111111111|5555555555554444|4111111111111112/,
    );
  });

  it('hashes the same card to the same value and different keys to different values', async () => {
    const run = async (cardKey: string) => {
      const { sink, batches } = memorySink();
      await processFile(chunks(csv(row({ transaction_id: 'a' }), row({ transaction_id: 'b' }))), {
        ...options,
        cardKey,
        sink,
      });
      return batches.flat().map((i) => i.card_hash);
    };
    const [a, b] = await run('key-1');
    expect(a).toBe(b);
    expect((await run('key-2'))[0]).not.toBe(a);
  });

  it('content_hash ignores upload id and line, so a re-delivered row compares equal', async () => {
    const first = memorySink();
    await processFile(chunks(csv(row())), { ...options, sink: first.sink });
    const second = memorySink();
    await processFile(chunks(csv('', row())), { ...options, uploadId: 'up-2', sink: second.sink });
    expect(second.batches[0][0].source_line).toBe(3);
    expect(second.batches[0][0].content_hash).toBe(first.batches[0][0].content_hash);
  });

  it('rejects a second row with the same key in the file', async () => {
    const result = await processFile(
      chunks(csv(row(), row({ amount: '1.00' }), row({ transaction_id: 'tx-2' }))),
      options,
    );
    expect(result.counts).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(result.errors).toEqual([expect.objectContaining({ line: 3, code: 'DUPLICATE_IN_FILE' })]);
  });

  it('reports unchanged and conflicting rows from the sink, never counting a row twice', async () => {
    const existing = memorySink();
    await processFile(chunks(csv(row({ transaction_id: 'same' }), row({ transaction_id: 'changed' }))), {
      ...options,
      sink: existing.sink,
    });
    const rejected: RejectedRow[] = [];
    const again = memorySink(existing.existing);
    const text = csv(
      row({ transaction_id: 'same' }),
      row({ transaction_id: 'changed', amount: '1.00' }),
      row({ transaction_id: 'new' }),
    );
    const result = await processFile(chunks(text), {
      ...options,
      sink: again.sink,
      onReject: (r) => void rejected.push(r),
    });
    expect(result.counts).toEqual({
      rows: 3,
      accepted: 2,
      stored: 1,
      unchanged: 1,
      rejected: 1,
      conflicts: 1,
    });
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 3, column: 'transaction_id', code: 'CONFLICT' }),
    ]);
    expect(rejected[0].fields[0]).toBe('changed');
  });

  it('batches items to the sink in bounded batches', async () => {
    const { sink, batches } = memorySink();
    const rows = Array.from({ length: 45 }, (_, i) => row({ transaction_id: `tx-${i}` }));
    await processFile(chunks(csv(...rows)), { ...options, sink, batchSize: 20 });
    expect(batches.map((b) => b.length)).toEqual([20, 20, 5]);
  });

  it('caps the errors it keeps but counts and hands over every rejected row', async () => {
    const rejected: RejectedRow[] = [];
    const rows = Array.from({ length: 30 }, (_, i) => row({ transaction_id: `tx-${i}`, currency: 'XXX' }));
    const result = await processFile(chunks(csv(...rows)), {
      ...options,
      maxReportedErrors: 10,
      onReject: (r) => void rejected.push(r),
    });
    expect(result.counts.rejected).toBe(30);
    expect(result.errors).toHaveLength(10);
    expect(result.errorsTruncated).toBe(true);
    expect(rejected).toHaveLength(30);
  });

  it('reports unknown columns and does not store them', async () => {
    const text =
      'transaction_id,merchant_id,timestamp,amount,currency,card_number,loyalty_id\n' +
      'tx-1,merchant-a,2024-05-01T09:15:00Z,1.00,EUR,4111111111111111,L-77\n';
    const { sink, batches } = memorySink();
    const result = await processFile(chunks(text), { ...options, sink });
    expect(result.unknownColumns).toEqual(['loyalty_id']);
    expect(JSON.stringify(batches)).not.toContain('L-77');
  });

  it.each([
    ['a CVV column', csv(row()).replace('description', 'cvv'), 'SENSITIVE_DATA'],
    ['no header', `${row()}\n`, 'NO_HEADER'],
    ['a header only missing a column', 'transaction_id,merchant_id\n', 'MISSING_COLUMN'],
    ['only a BOM', '\ufeff', 'EMPTY_FILE'],
    ['only blank lines', '\n\n\r\n', 'EMPTY_FILE'],
    ['bad quoting on the last line', `${csv(row())}tx-9,"merchant-a\n`, 'MALFORMED_CSV'],
  ])('refuses a file with %s and gives the sink nothing', async (_name, text, code) => {
    const { sink, batches } = memorySink();
    const error = await processFile(chunks(text), { ...options, sink, batchSize: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileRefusedError);
    expect((error as FileRefusedError).code).toBe(code);
    expect(holdsCardNumber((error as Error).message)).toBe(false);
    expect(batches).toEqual([]);
  });

  it('refuses a file with more data rows than MAX_ROWS, naming the first line over, in the checking pass', async () => {
    const text = csv(...Array.from({ length: 4 }, (_, i) => row({ transaction_id: `tx-${i}` })));
    const limits = { ...LIMITS, maxRows: 3 };
    const error = await processFile(chunks(text), { ...options, limits, checkOnly: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileRefusedError);
    expect(error).toMatchObject({ code: 'TOO_MANY_ROWS', line: 5 });
    expect((error as Error).message).toBe(
      'The file has more than 3 data rows. Split it into files of at most that many rows.',
    );
    const exactly = csv(...Array.from({ length: 3 }, (_, i) => row({ transaction_id: `tx-${i}` })));
    await expect(
      processFile(chunks(exactly), { ...options, limits, checkOnly: true }),
    ).resolves.toMatchObject({
      counts: { rows: 3, accepted: 0 },
    });
  });

  it('parses the next batch while one is written, and never has two batches in flight', async () => {
    let release: (() => void) | undefined;
    let inFlight = 0;
    let maxInFlight = 0;
    const rejectedLines: number[] = [];
    const sink = {
      writeBatch: async (items: readonly StoredItem[]) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        if (!release) await new Promise<void>((resolve) => (release = resolve)); // hold the first batch
        inFlight--;
        return { stored: items.length, unchanged: 0, conflicts: [] };
      },
    };
    const text = csv(
      row({ transaction_id: 'a' }),
      row({ transaction_id: 'b' }),
      row({ transaction_id: 'bad', amount: 'x' }),
      row({ transaction_id: 'c' }),
      row({ transaction_id: 'd' }),
      row({ transaction_id: 'e' }),
    );
    const done = processFile(chunks(text), {
      ...options,
      sink,
      batchSize: 2,
      onReject: (r) => void rejectedLines.push(r.line),
    });
    // While the first batch (lines 2-3) is held, the row on line 4 has been parsed and judged.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rejectedLines).toEqual([4]);
    release?.();
    const result = await done;
    expect(result.counts).toMatchObject({ rows: 6, accepted: 5, stored: 5, rejected: 1 });
    expect(maxInFlight).toBe(1);
  });

  it('a failed write fails the file, and nothing is still being written when it does', async () => {
    let writes = 0;
    let settled = 0;
    const sink = {
      writeBatch: async (items: readonly StoredItem[]) => {
        const n = ++writes;
        await new Promise((resolve) => setTimeout(resolve, 5));
        settled++;
        if (n === 2) throw new Error('write failed');
        return { stored: items.length, unchanged: 0, conflicts: [] };
      },
    };
    const text = csv(...Array.from({ length: 9 }, (_, i) => row({ transaction_id: `w-${i}` })));
    await expect(processFile(chunks(text), { ...options, sink, batchSize: 2 })).rejects.toThrow(
      'write failed',
    );
    expect(settled).toBe(writes);
    expect(writes).toBeLessThanOrEqual(3);
  });

  it('a header-only file is processed with zero rows', async () => {
    const result = await processFile(chunks(csv()), options);
    expect(result.counts.rows).toBe(0);
  });
});

describe('validator core, check-only pass', () => {
  it('looks for refusals only: counts rows, judges none, builds no items and calls no sink', async () => {
    const { sink, batches } = memorySink();
    const rejected: RejectedRow[] = [];
    const text = csv(
      row({ transaction_id: 'a' }),
      row({ transaction_id: 'b', amount: 'x' }),
      row({ transaction_id: 'a' }),
    );
    const result = await processFile(chunks(text), {
      ...options,
      cardKey: '',
      sink,
      checkOnly: true,
      onReject: (r) => void rejected.push(r),
    });
    expect(result.counts).toEqual({
      rows: 3,
      accepted: 0,
      stored: 0,
      unchanged: 0,
      rejected: 0,
      conflicts: 0,
    });
    expect(result.header).toContain('card_number');
    expect(batches).toEqual([]);
    expect(rejected).toEqual([]);
  });

  it('still refuses what makes a whole file unacceptable', async () => {
    const refusal = await processFile(chunks(csv(row()).replace('description', 'cvv')), {
      ...options,
      checkOnly: true,
    }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'SENSITIVE_DATA' });
  });
});
