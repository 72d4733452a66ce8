/**
 * Benchmark of the validator core against bare csv-parse on the same generated file, side by
 * side in one process: rows/s of each, their ratio and the peak RSS. The core does everything
 * it does in Lambda (decode, parse, validate, protect, batch) except the writes: its sink
 * discards. Target: core >= 0.5x csv-parse, peak RSS < 200 MB.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { withCheckDigit } from '../../lambda/shared/card-number/luhn';
import { processFile } from '../../lambda/validator/core/pipeline';
import type { ItemSink } from '../../lambda/validator/core/types';

export interface ValidatorCoreBench {
  rows: number;
  fileBytes: number;
  csvParse: { seconds: number; rowsPerSecond: number };
  core: { seconds: number; rowsPerSecond: number; accepted: number; rejected: number };
  /** The validator's first pass over the same file (decode, parse, header, row count). */
  checkPass: { seconds: number; rowsPerSecond: number };
  /** core rows/s divided by csv-parse rows/s (target >= 0.5). */
  ratio: number;
  /** Peak resident set size of the process over the whole run, in MB (target < 200). */
  peakRssMb: number;
}

/** Writes `rows` rows for merchant-a: 10,000 distinct test cards, about 1% rejected rows. */
export const generateFile = async (path: string, rows: number): Promise<void> => {
  const cards = Array.from({ length: 10_000 }, (_, i) => withCheckDigit(`4${String(i).padStart(14, '0')}`));
  const out = createWriteStream(path);
  out.write(
    'transaction_id,merchant_id,timestamp,amount,currency,card_number,country,card_type,description\n',
  );
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows; i++) {
    const ts = new Date(start + i * 1000).toISOString();
    const amount = i % 100 === 99 ? '-1.00' : `${1 + (i % 500)}.${String(i % 100).padStart(2, '0')}`;
    const line = `tx-${i},merchant-a,${ts},${amount},EUR,${cards[i % cards.length]},FR,visa,order ${i}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
};

const discardingSink: ItemSink = {
  writeBatch: async (items) => ({ stored: items.length, unchanged: 0, conflicts: [] }),
};

const time = async <T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> => {
  const start = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
};

export const benchValidatorCore = async ({
  rows = 1_000_000,
  rounds = 2,
}: { rows?: number; rounds?: number } = {}): Promise<ValidatorCoreBench> => {
  const directory = await mkdtemp(join(tmpdir(), 'bench-validator-'));
  try {
    const file = join(directory, 'transactions.csv');
    await generateFile(file, rows);
    const fileBytes = (await stat(file)).size;
    const bareRun = () =>
      time(async () => {
        let count = 0;
        for await (const _record of createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(parse()))
          count++;
        return count - 1;
      });
    const runProcessFile = (checkOnly: boolean) =>
      time(() =>
        processFile(createReadStream(file, { highWaterMark: 256 * 1024 }), {
          merchantId: 'merchant-a',
          uploadId: 'up-00000000-0000-4000-8000-000000000000',
          limits: {
            maxFileBytes: Number.MAX_SAFE_INTEGER,
            maxLineBytes: 4096,
            maxRows: Number.MAX_SAFE_INTEGER,
            maxAmount: 1_000_000,
          },
          cardKey: 'bench-key',
          sink: discardingSink,
          checkOnly,
        }),
      );
    // Alternate them, `rounds` times each, and keep each one's best time: on a shared machine this
    // compares them under the same load instead of whatever load each single run met.
    let bare = await bareRun();
    let core = await runProcessFile(false);
    let check = await runProcessFile(true);
    for (let round = 1; round < rounds; round++) {
      const nextBare = await bareRun();
      if (nextBare.seconds < bare.seconds) bare = nextBare;
      const nextCore = await runProcessFile(false);
      if (nextCore.seconds < core.seconds) core = nextCore;
      const nextCheck = await runProcessFile(true);
      if (nextCheck.seconds < check.seconds) check = nextCheck;
    }
    const csvRate = bare.value / bare.seconds;
    const coreRate = core.value.counts.rows / core.seconds;
    return {
      rows,
      fileBytes,
      csvParse: { seconds: bare.seconds, rowsPerSecond: Math.round(csvRate) },
      core: {
        seconds: core.seconds,
        rowsPerSecond: Math.round(coreRate),
        accepted: core.value.counts.accepted,
        rejected: core.value.counts.rejected,
      },
      checkPass: {
        seconds: check.seconds,
        rowsPerSecond: Math.round(check.value.counts.rows / check.seconds),
      },
      ratio: coreRate / csvRate,
      // maxRSS is the process's peak in kilobytes (getrusage).
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
};

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  benchValidatorCore({ rows, rounds: Number(process.argv[3] ?? 2) }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
