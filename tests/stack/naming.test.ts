import {
  lambdaLogGroupName,
  maxSuffixLength,
  NAME_LIMITS,
  NAMED_RESOURCES,
  NamingError,
  resourceName,
} from '../../stack/naming';

describe('resource names', () => {
  it('follow {resource-type}-{purpose}-{environmentSuffix}', () => {
    expect(resourceName('lambda', 'validator', 'dev')).toBe('lambda-validator-dev');
    expect(resourceName('s3', 'uploads', 'prod-eu')).toBe('s3-uploads-prod-eu');
  });

  it('allow a suffix of 47 characters, the Lambda function name being the tightest fit', () => {
    expect(maxSuffixLength()).toBe(47);
    expect(resourceName('lambda', 'validator', 'x'.repeat(47))).toHaveLength(NAME_LIMITS.lambda);
  });

  it('fit their AWS limit for every named resource with the longest valid suffix', () => {
    const suffix = 'x'.repeat(maxSuffixLength());
    for (const [kind, purpose] of NAMED_RESOURCES) {
      expect(resourceName(kind, purpose, suffix).length).toBeLessThanOrEqual(NAME_LIMITS[kind]);
    }
  });

  it('refuse a name over its limit, saying how long the suffix may be', () => {
    expect(() => resourceName('lambda', 'validator', 'x'.repeat(48))).toThrow(NamingError);
    expect(() => resourceName('lambda', 'validator', 'x'.repeat(48))).toThrow(
      'The lambda name "lambda-validator-' + 'x'.repeat(48) + '" is 65 characters; AWS allows at most 64',
    );
  });

  it('put function logs where Lambda writes them', () => {
    expect(lambdaLogGroupName('lambda-api-dev')).toBe('/aws/lambda/lambda-api-dev');
  });
});
