/**
 * check-file: the validator's own core, run offline on a local file. Nothing is stored, so the
 * card numbers are hashed with a fixed local key (the hashes are discarded) and no secret is needed.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { holdsCardNumber } from '../../lambda/shared/card';
import { DEFAULTS, ENV, MERCHANT_ID_PATTERN } from '../../lambda/shared/contract';
import { intEnv, numberEnv } from '../../lambda/shared/env';
import { normaliseColumnName } from '../../lambda/validator/core/csv-contract';
import { processFile } from '../../lambda/validator/core/pipeline';
import { FileRefusedError } from '../../lambda/validator/core/refusal';
import type { Limits } from '../../lambda/validator/core/types';

const LOCAL_CARD_KEY = 'check-file: local key, hashes are never stored';
const PEEK_BYTES = 64 * 1024;

export interface CheckError {
  line?: number;
  column?: string;
  code: string;
  message: string;
}

export interface CheckResult {
  file: string;
  status: 'processed' | 'refused';
  merchantId?: string;
  rows: number;
  accepted: number;
  rejected: number;
  unknownColumns: string[];
  errors: CheckError[];
  errorsTruncated: boolean;
}

export const limitsFromEnv = (env: Record<string, string | undefined> = process.env): Limits => ({
  maxFileBytes: intEnv(ENV.maxFileBytes, DEFAULTS.maxFileBytes, env, { min: 1 }),
  maxLineBytes: intEnv(ENV.maxLineBytes, DEFAULTS.maxLineBytes, env, { min: 1 }),
  maxRows: intEnv(ENV.maxRows, DEFAULTS.maxRows, env, { min: 1 }),
  maxAmount: numberEnv(ENV.maxAmount, DEFAULTS.maxAmount, env, { min: 0 }),
});

/** The merchant named by the first data row, when the caller did not say which merchant uploads. */
const merchantOfFirstRow = async (path: string): Promise<string | undefined> => {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(PEEK_BYTES), 0, PEEK_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const rows = parse(text, {
      bom: true,
      to_line: 2,
      relax_column_count: true,
      skip_empty_lines: true,
      relax_quotes: true,
    });
    const [header, first] = rows as string[][];
    const column = header?.map(normaliseColumnName).indexOf('merchant_id') ?? -1;
    const merchant = column >= 0 ? first?.[column]?.trim() : undefined;
    // Only a well-formed merchant id is taken (and echoed): shifted columns could put a card here.
    return merchant && MERCHANT_ID_PATTERN.test(merchant) && !holdsCardNumber(merchant)
      ? merchant
      : undefined;
  } catch {
    return undefined; // the real run reports whatever is wrong with the file
  } finally {
    await handle.close();
  }
};

export const checkFile = async (
  path: string,
  options: { merchantId?: string; limits?: Limits } = {},
): Promise<CheckResult> => {
  const merchantId = options.merchantId ?? (await merchantOfFirstRow(path));
  const base = { file: path, merchantId };
  try {
    const result = await processFile(createReadStream(path, { highWaterMark: 256 * 1024 }), {
      merchantId: merchantId ?? '',
      uploadId: 'check-file',
      limits: options.limits ?? limitsFromEnv(),
      cardKey: LOCAL_CARD_KEY,
    });
    return {
      ...base,
      status: 'processed',
      rows: result.counts.rows,
      accepted: result.counts.accepted,
      rejected: result.counts.rejected,
      unknownColumns: [...result.unknownColumns],
      errors: result.errors.map((e) => ({ ...e })),
      errorsTruncated: result.errorsTruncated,
    };
  } catch (error) {
    if (!(error instanceof FileRefusedError)) throw error;
    const refusal: CheckError = { line: error.line, code: error.code, message: error.message };
    return {
      ...base,
      status: 'refused',
      rows: 0,
      accepted: 0,
      rejected: 0,
      unknownColumns: [],
      errors: [refusal],
      errorsTruncated: false,
    };
  }
};
