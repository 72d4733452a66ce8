import { readThresholds } from '../../../lambda/anomaly/thresholds';
import { DEFAULTS } from '../../../lambda/shared/contract';
import { ConfigurationError } from '../../../lambda/shared/errors';

describe('anomaly thresholds from the environment', () => {
  it('uses the contract defaults when nothing is set', () => {
    const limits = readThresholds({});
    for (const [key, value] of Object.entries(limits)) {
      expect(value).toEqual(DEFAULTS[key as keyof typeof DEFAULTS]);
    }
    expect(Object.keys(limits)).toHaveLength(14);
  });

  it('reads every variable', () => {
    const limits = readThresholds({
      ANOMALY_AMOUNT_THRESHOLD: '500',
      ANOMALY_HIGH_RISK_COUNTRIES: 'ru, by',
      ANOMALY_VELOCITY_MAX_COUNT: '3',
      ANOMALY_DUPLICATE_WINDOW_SECONDS: '60',
      ANOMALY_PROFILE_MULTIPLIER: '4.5',
      ANOMALY_PROFILE_MIN_TRANSACTIONS: '5',
      ANOMALY_PROFILE_DAYS: '14',
      ANOMALY_STATE_RETENTION_DAYS: '49',
    });
    expect(limits).toMatchObject({
      amountThreshold: 500,
      highRiskCountries: ['RU', 'BY'],
      velocityMaxCount: 3,
      duplicateWindowSeconds: 60,
      profileMultiplier: 4.5,
      profileMinTransactions: 5,
      profileDays: 14,
      stateRetentionDays: 49,
    });
  });

  it.each([
    ['ANOMALY_AMOUNT_THRESHOLD', 'lots'],
    ['ANOMALY_VELOCITY_MAX_COUNT', '2.5'],
    ['ANOMALY_VELOCITY_WINDOW_SECONDS', '0'],
    ['ANOMALY_HIGH_RISK_COUNTRIES', 'KP,North Korea'],
    // A window reaches its day and one neighbour at most (state/buckets.ts).
    ['ANOMALY_VELOCITY_WINDOW_SECONDS', '43201'],
    ['ANOMALY_PROFILE_MULTIPLIER', '0.5'],
    // Retention must cover the longest window (30 profile days) plus 35 days.
    ['ANOMALY_STATE_RETENTION_DAYS', '64'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => readThresholds({ [name]: value })).toThrow(ConfigurationError);
    expect(() => readThresholds({ [name]: value })).toThrow(name);
  });
});
