import * as pulumi from '@pulumi/pulumi';
import { MERCHANT_ID_PATTERN } from '../lambda/shared/contract';
import { maxSuffixLength, SUFFIX_PATTERN } from './naming';

/** The only region this stack deploys to (spec constraint, also enforced by the policy pack). */
export const REGION = 'us-east-1';

export interface StackConfig {
  /** Appended to every physical name: `{resource-type}-{purpose}-{environmentSuffix}`. */
  readonly environmentSuffix: string;
  /** Receives anomaly alerts through an SNS e-mail subscription (must be confirmed once). */
  readonly alertEmail: string;
  /** Receives operations alarms (failures, throttles, lag, the SLA); defaults to alertEmail. */
  readonly opsEmail: string;
  /** Merchant ids; each gets one API key bound to the usage plan. */
  readonly merchants: readonly string[];
  readonly region: typeof REGION;
  /** Set API Gateway's account-wide CloudWatch role for access logs (once per account and region). */
  readonly manageApiGatewayAccount: boolean;
  /** Named AWS profile for the provider, when the stack file sets `aws:profile`. */
  readonly awsProfile?: string;
  /**
   * Writes per second the transactions table serves from its creation (DynamoDB warm throughput;
   * a new on-demand table otherwise starts at 4,000). See DEFAULT_TABLE_WARM_WRITES.
   */
  readonly tableWarmWritesPerSecond: number;
}

/** Raw values as they come from `Pulumi.<stack>.yaml`; all optional so that we can explain what is missing. */
export interface RawStackConfig {
  environmentSuffix?: string;
  alertEmail?: string;
  opsEmail?: string;
  merchants?: unknown;
  region?: string;
  manageApiGatewayAccount?: boolean;
  awsProfile?: string;
  tableWarmWritesPerSecond?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Deliberately simple: one @, no spaces, a dotted domain. SNS confirms the address anyway.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The key-id-to-merchant map travels in the API function's environment, which AWS caps at 4 KB
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html); 50 merchants of the
 * longest id fit with room to spare.
 */
export const MAX_MERCHANTS = 50;

/**
 * The transactions table's warm write throughput by default: what the SLA needs of it (`npm run
 * bench`, the load model in tools/bench/load.ts): 20 files of 200,000 rows at once store in under
 * 300 s only if the table takes 4,000,000 writes in about 250 s. A new on-demand table starts at
 * 4,000 writes/s; warming it is a one-time charge (README, "Table write capacity").
 */
export const DEFAULT_TABLE_WARM_WRITES = 16_000;
/** What DynamoDB serves any new on-demand table, free (the minimum warm throughput). */
export const NEW_TABLE_WRITES = 4_000;
export const NEW_TABLE_READS = 12_000;
/** A table's default quota (Service Quotas: "Table-level write throughput limit"). */
export const MAX_TABLE_WRITES = 40_000;
/** Same for reads ("Table-level read throughput limit"). */
export const MAX_TABLE_READS = 40_000;

/**
 * The detector state table's warm throughput, from the transactions table's: per stored
 * transaction the detector writes two state items (its card-day and its profile) and spends up to
 * about two read units (key-only lookups at half a unit, the profile's other period, the odd
 * neighbouring day: `npm run bench`), so it is warmed to twice the transactions table's writes, and
 * reads to three times, within a table's default quotas (40,000 each): the detector's rate counts
 * reads and writes together, and a warmed read unit costs less than a write unit.
 */
export function stateTableWarmThroughput(tableWarmWrites: number): {
  writeUnitsPerSecond: number;
  readUnitsPerSecond: number;
} {
  return {
    writeUnitsPerSecond: Math.min(MAX_TABLE_WRITES, 2 * tableWarmWrites),
    readUnitsPerSecond: Math.min(MAX_TABLE_READS, Math.max(NEW_TABLE_READS, 3 * tableWarmWrites)),
  };
}

/** S3 reserves these bucket-name endings: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3'];

/** Validates every key and reports all problems at once, each naming the key and what is expected. */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
  const problems: string[] = [];
  const suffix = raw.environmentSuffix;
  const maxLength = maxSuffixLength();
  if (suffix === undefined || suffix === '') {
    problems.push('environmentSuffix is required (for example "dev").');
  } else if (!SUFFIX_PATTERN.test(suffix)) {
    problems.push(
      `environmentSuffix "${suffix}" must be lowercase letters, digits and single hyphens, ` +
        'starting and ending with a letter or digit.',
    );
  } else if (RESERVED_BUCKET_SUFFIXES.some((reserved) => suffix.endsWith(reserved))) {
    problems.push(`environmentSuffix "${suffix}" ends with a suffix S3 reserves for bucket names.`);
  } else if (suffix.length > maxLength) {
    problems.push(
      `environmentSuffix "${suffix}" is ${suffix.length} characters; at most ${maxLength} keeps every ` +
        'derived name within its AWS limit (the Lambda function name is the tightest, 64).',
    );
  }

  const email = raw.alertEmail;
  if (email === undefined || email === '') {
    problems.push('alertEmail is required: the address that receives anomaly alerts.');
  } else if (!EMAIL_PATTERN.test(email)) {
    problems.push(`alertEmail "${email}" is not a valid e-mail address.`);
  }

  // Pulumi.yaml declares it with an empty default (the CLI needs one): empty means alertEmail.
  const opsEmail = raw.opsEmail === '' ? undefined : raw.opsEmail;
  if (opsEmail !== undefined && !EMAIL_PATTERN.test(opsEmail)) {
    problems.push(`opsEmail "${opsEmail}" is not a valid e-mail address.`);
  }

  const merchants = parseMerchants(raw.merchants, problems);

  if (raw.region !== undefined && raw.region !== REGION) {
    problems.push(`aws:region is "${raw.region}"; this stack deploys only to ${REGION}.`);
  }

  const warmWrites = raw.tableWarmWritesPerSecond ?? DEFAULT_TABLE_WARM_WRITES;
  if (!Number.isInteger(warmWrites) || warmWrites < NEW_TABLE_WRITES || warmWrites > MAX_TABLE_WRITES) {
    problems.push(
      `tableWarmWritesPerSecond ${JSON.stringify(raw.tableWarmWritesPerSecond)} must be a whole number from ` +
        `${NEW_TABLE_WRITES} (what a new table gets anyway) to ${MAX_TABLE_WRITES} (a table's default quota).`,
    );
  }

  if (problems.length > 0) {
    throw new ConfigError(`Invalid stack configuration:\n- ${problems.join('\n- ')}`);
  }
  return {
    environmentSuffix: suffix!,
    alertEmail: email!,
    opsEmail: opsEmail ?? email!,
    merchants,
    region: REGION,
    manageApiGatewayAccount: raw.manageApiGatewayAccount ?? true,
    awsProfile: raw.awsProfile,
    tableWarmWritesPerSecond: warmWrites,
  };
}

function parseMerchants(value: unknown, problems: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('merchants must be a non-empty list of merchant ids (for example ["merchant-a"]).');
    return [];
  }
  const bad = value.filter((m) => typeof m !== 'string' || !MERCHANT_ID_PATTERN.test(m));
  if (bad.length > 0) {
    problems.push(
      `merchants ${JSON.stringify(bad)} must be lowercase letters, digits and hyphens, ` +
        'at most 32 characters, starting with a letter or digit.',
    );
  }
  if (value.length > MAX_MERCHANTS) {
    problems.push(
      `merchants lists ${value.length} merchants; at most ${MAX_MERCHANTS} fit the API function's 4 KB environment.`,
    );
  }
  const duplicates = value.filter((m, i) => value.indexOf(m) !== i);
  if (duplicates.length > 0) {
    problems.push(`merchants lists ${JSON.stringify([...new Set(duplicates)])} more than once.`);
  }
  return value as string[];
}

/** Reads the stack's config through Pulumi and validates it. */
export function loadStackConfig(): StackConfig {
  const project = new pulumi.Config();
  const aws = new pulumi.Config('aws');
  return parseStackConfig({
    environmentSuffix: project.get('environmentSuffix'),
    alertEmail: project.get('alertEmail'),
    opsEmail: project.get('opsEmail'),
    merchants: project.getObject<unknown>('merchants'),
    region: aws.get('region'),
    manageApiGatewayAccount: project.getBoolean('manageApiGatewayAccount'),
    awsProfile: aws.get('profile'),
    tableWarmWritesPerSecond: project.getNumber('tableWarmWritesPerSecond'),
  });
}
