/**
 * Rule thresholds, read once from the environment at cold start (the stack passes DEFAULTS
 * unless its config overrides them). A malformed value fails the function's start with a
 * ConfigurationError naming the variable, rather than silently disabling a rule.
 */
import { DEFAULTS, ENV } from '../shared/contract';
import { intEnv, listEnv, numberEnv } from '../shared/env';
import { ConfigurationError } from '../shared/errors';

export interface AnomalyThresholds {
  /** high-amount: amount strictly greater than this. */
  readonly amountThreshold: number;
  /** round-amount: a whole multiple of 100 at or above this. */
  readonly roundAmountThreshold: number;
  /** high-risk-country: ISO 3166-1 alpha-2 codes, upper case. */
  readonly highRiskCountries: readonly string[];
  /** velocity: more than this many transactions of one card ... */
  readonly velocityMaxCount: number;
  /** ... within this many seconds. */
  readonly velocityWindowSeconds: number;
  /** card-testing: an amount at or below this is a "small" probe. */
  readonly cardTestingSmallAmount: number;
  /** card-testing: more than this many small amounts on one card in the window. */
  readonly cardTestingMaxSmallPerCard: number;
  /** card-testing: more than this many distinct cards with small amounts at one merchant in the window. */
  readonly cardTestingMaxCardsPerMerchant: number;
  readonly cardTestingWindowSeconds: number;
  /** duplicate: same card, amount and merchant within this many seconds. */
  readonly duplicateWindowSeconds: number;
  /** unusual-amount: an amount at least this many times the card's profile mean ... */
  readonly profileMultiplier: number;
  /** ... with at least this many transactions in the profile ... */
  readonly profileMinTransactions: number;
  /** ... over this many whole UTC days before the transaction's day. */
  readonly profileDays: number;
  /** Detector state lives this many days after its last write (at least profileDays + 35). */
  readonly stateRetentionDays: number;
}

/**
 * The windowed rules read a card's day and at most one neighbouring day (state/buckets.ts): a window
 * of up to half a day around a transaction touches no more than two UTC days.
 */
export const MAX_WINDOW_SECONDS = 12 * 60 * 60;
/** The shortest retention the README promises beyond the longest window. */
export const RETENTION_MARGIN_DAYS = 35;

type Env = Record<string, string | undefined>;

const COUNTRY_CODE = /^[A-Z]{2}$/;

export const readThresholds = (env: Env = process.env): AnomalyThresholds => {
  const positive = { min: 0 };
  const count = { min: 1 };
  const window = { min: 1, max: MAX_WINDOW_SECONDS };
  const profileDays = intEnv(ENV.profileDays, DEFAULTS.profileDays, env, { min: 1, max: 365 });
  const countries = listEnv(ENV.highRiskCountries, DEFAULTS.highRiskCountries, env).map((code) =>
    code.toUpperCase(),
  );
  const invalid = countries.filter((code) => !COUNTRY_CODE.test(code));
  if (invalid.length > 0) {
    throw new ConfigurationError(
      `Environment variable ${ENV.highRiskCountries} must list ISO 3166-1 alpha-2 codes, got "${invalid.join(', ')}".`,
    );
  }
  return {
    amountThreshold: numberEnv(ENV.amountThreshold, DEFAULTS.amountThreshold, env, positive),
    roundAmountThreshold: numberEnv(ENV.roundAmountThreshold, DEFAULTS.roundAmountThreshold, env, positive),
    highRiskCountries: countries,
    velocityMaxCount: intEnv(ENV.velocityMaxCount, DEFAULTS.velocityMaxCount, env, count),
    velocityWindowSeconds: intEnv(ENV.velocityWindowSeconds, DEFAULTS.velocityWindowSeconds, env, window),
    cardTestingSmallAmount: numberEnv(
      ENV.cardTestingSmallAmount,
      DEFAULTS.cardTestingSmallAmount,
      env,
      positive,
    ),
    cardTestingMaxSmallPerCard: intEnv(
      ENV.cardTestingMaxSmallPerCard,
      DEFAULTS.cardTestingMaxSmallPerCard,
      env,
      count,
    ),
    cardTestingMaxCardsPerMerchant: intEnv(
      ENV.cardTestingMaxCardsPerMerchant,
      DEFAULTS.cardTestingMaxCardsPerMerchant,
      env,
      count,
    ),
    cardTestingWindowSeconds: intEnv(
      ENV.cardTestingWindowSeconds,
      DEFAULTS.cardTestingWindowSeconds,
      env,
      window,
    ),
    duplicateWindowSeconds: intEnv(ENV.duplicateWindowSeconds, DEFAULTS.duplicateWindowSeconds, env, window),
    profileMultiplier: numberEnv(ENV.profileMultiplier, DEFAULTS.profileMultiplier, env, { min: 1 }),
    profileMinTransactions: intEnv(ENV.profileMinTransactions, DEFAULTS.profileMinTransactions, env, count),
    profileDays,
    stateRetentionDays: intEnv(ENV.stateRetentionDays, DEFAULTS.stateRetentionDays, env, {
      min: profileDays + RETENTION_MARGIN_DAYS,
    }),
  };
};
