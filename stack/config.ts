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
  /** Merchant ids; each gets one API key bound to the usage plan. */
  readonly merchants: readonly string[];
  readonly region: typeof REGION;
}

/** Raw values as they come from `Pulumi.<stack>.yaml`; all optional so that we can explain what is missing. */
export interface RawStackConfig {
  environmentSuffix?: string;
  alertEmail?: string;
  merchants?: unknown;
  region?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Deliberately simple: one @, no spaces, a dotted domain. SNS confirms the address anyway.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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

  const merchants = parseMerchants(raw.merchants, problems);

  if (raw.region !== undefined && raw.region !== REGION) {
    problems.push(`aws:region is "${raw.region}"; this stack deploys only to ${REGION}.`);
  }

  if (problems.length > 0) {
    throw new ConfigError(`Invalid stack configuration:\n- ${problems.join('\n- ')}`);
  }
  return { environmentSuffix: suffix!, alertEmail: email!, merchants, region: REGION };
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
    merchants: project.getObject<unknown>('merchants'),
    region: aws.get('region'),
  });
}
