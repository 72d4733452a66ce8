import {
  ConfigError,
  DEFAULT_TABLE_WARM_WRITES,
  parseStackConfig,
  RawStackConfig,
  stateTableWarmThroughput,
} from '../../stack/config';

const valid: RawStackConfig = {
  environmentSuffix: 'dev',
  alertEmail: 'alerts@example.com',
  merchants: ['merchant-a', 'merchant-b'],
  region: 'us-east-1',
};

function problemsOf(raw: RawStackConfig): string {
  try {
    parseStackConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('tableWarmWritesPerSecond', () => {
  it.each([3999, 40_001, 1.5, Number.NaN])('refuses %p, naming the key and the range', (value) => {
    expect(problemsOf({ ...valid, tableWarmWritesPerSecond: value })).toMatch(
      /tableWarmWritesPerSecond .* must be a whole number from 4000 .* to 40000/,
    );
  });

  it('takes any whole number in range', () => {
    expect(parseStackConfig({ ...valid, tableWarmWritesPerSecond: 4000 }).tableWarmWritesPerSecond).toBe(
      4000,
    );
  });
});

describe('the detector state table follows tableWarmWritesPerSecond', () => {
  it('is warmed to twice its writes and three times its reads, within a table quota, never below a new table', () => {
    const warm = (w: number, r: number) => ({ writeUnitsPerSecond: w, readUnitsPerSecond: r });
    expect(stateTableWarmThroughput(DEFAULT_TABLE_WARM_WRITES)).toEqual(warm(32_000, 40_000));
    expect(stateTableWarmThroughput(10_000)).toEqual(warm(20_000, 30_000));
    expect(stateTableWarmThroughput(40_000)).toEqual(warm(40_000, 40_000));
    expect(stateTableWarmThroughput(4_000)).toEqual(warm(8_000, 12_000));
  });
});

describe('stack configuration', () => {
  it('accepts a complete configuration, pins the region and manages the API Gateway log role by default', () => {
    expect(parseStackConfig(valid)).toEqual({
      ...valid,
      opsEmail: valid.alertEmail,
      region: 'us-east-1',
      manageApiGatewayAccount: true,
      tableWarmWritesPerSecond: DEFAULT_TABLE_WARM_WRITES,
    });
    expect(parseStackConfig({ ...valid, manageApiGatewayAccount: false }).manageApiGatewayAccount).toBe(
      false,
    );
  });

  it('sends operations alarms to alertEmail unless opsEmail names another address', () => {
    expect(parseStackConfig(valid).opsEmail).toBe('alerts@example.com');
    expect(parseStackConfig({ ...valid, opsEmail: 'ops@example.com' }).opsEmail).toBe('ops@example.com');
  });

  it('accepts the longest suffix that keeps every name within its limit (47 characters)', () => {
    const suffix = 'a'.repeat(47);
    expect(parseStackConfig({ ...valid, environmentSuffix: suffix }).environmentSuffix).toBe(suffix);
  });

  it.each([
    [{ environmentSuffix: undefined }, 'environmentSuffix is required'],
    [
      { environmentSuffix: 'Dev' },
      'environmentSuffix "Dev" must be lowercase letters, digits and single hyphens',
    ],
    [{ environmentSuffix: 'dev--x' }, 'single hyphens'],
    [{ environmentSuffix: '-dev' }, 'starting and ending with a letter or digit'],
    [{ environmentSuffix: 'dev_1' }, 'must be lowercase letters'],
    [{ environmentSuffix: 'a'.repeat(48) }, 'is 48 characters; at most 47'],
    [{ environmentSuffix: 'dev-s3alias' }, 'ends with a suffix S3 reserves for bucket names'],
    [{ alertEmail: undefined }, 'alertEmail is required'],
    [{ alertEmail: 'not-an-address' }, 'alertEmail "not-an-address" is not a valid e-mail address'],
    [{ opsEmail: 'oncall' }, 'opsEmail "oncall" is not a valid e-mail address'],
    [{ merchants: undefined }, 'merchants must be a non-empty list'],
    [{ merchants: [] }, 'merchants must be a non-empty list'],
    [{ merchants: ['Merchant A'] }, 'merchants ["Merchant A"] must be lowercase letters'],
    [{ merchants: ['m1', 'm1'] }, 'merchants lists ["m1"] more than once'],
    [
      { merchants: Array.from({ length: 51 }, (_, i) => `m${i}`) },
      'merchants lists 51 merchants; at most 50',
    ],
    [{ region: 'eu-west-1' }, 'aws:region is "eu-west-1"; this stack deploys only to us-east-1'],
  ])('refuses %j with a message naming the key', (change, message) => {
    expect(problemsOf({ ...valid, ...change })).toContain(message);
  });

  it('reports every problem at once', () => {
    const message = problemsOf({ environmentSuffix: 'BAD', alertEmail: 'x', merchants: [] });
    expect(message.split('\n- ')).toHaveLength(4);
  });
});

describe('opsEmail', () => {
  it("takes Pulumi.yaml's empty default (which the CLI needs to accept a stack without it) as alertEmail", () => {
    expect(parseStackConfig({ ...valid, opsEmail: '' }).opsEmail).toBe(valid.alertEmail);
  });
});
