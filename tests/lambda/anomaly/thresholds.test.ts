import { readThresholds } from '../../../lambda/anomaly/thresholds';
import { DEFAULTS } from '../../../lambda/shared/contract';
import { ConfigurationError } from '../../../lambda/shared/errors';

describe('anomaly thresholds from the environment', () => {
  it('uses the contract defaults when nothing is set', () => {
    const limits = readThresholds({});
    for (const [key, value] of Object.entries(limits)) {
      expect(value).toEqual(DEFAULTS[key as keyof typeof DEFAULTS]);
    }
    expect(Object.keys(limits)).toHaveLength(10);
  });

  it('reads every variable', () => {
    const limits = readThresholds({
      ANOMALY_AMOUNT_THRESHOLD: '500',
      ANOMALY_HIGH_RISK_COUNTRIES: 'ru, by',
      ANOMALY_VELOCITY_MAX_COUNT: '3',
      ANOMALY_DUPLICATE_WINDOW_SECONDS: '60',
    });
    expect(limits).toMatchObject({
      amountThreshold: 500,
      highRiskCountries: ['RU', 'BY'],
      velocityMaxCount: 3,
      duplicateWindowSeconds: 60,
    });
  });

  it.each([
    ['ANOMALY_AMOUNT_THRESHOLD', 'lots'],
    ['ANOMALY_VELOCITY_MAX_COUNT', '2.5'],
    ['ANOMALY_VELOCITY_WINDOW_SECONDS', '0'],
    ['ANOMALY_HIGH_RISK_COUNTRIES', 'KP,North Korea'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => readThresholds({ [name]: value })).toThrow(ConfigurationError);
    expect(() => readThresholds({ [name]: value })).toThrow(name);
  });
});
