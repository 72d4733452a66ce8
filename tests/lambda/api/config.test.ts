import { readApiConfig } from '../../../lambda/api/config';
import { ConfigurationError } from '../../../lambda/shared/errors';

const valid = {
  TABLE_NAME: 'table-transactions-dev',
  BUCKET_NAME: 'bucket-uploads-dev',
  API_KEY_MERCHANTS: '{"k1":"merchant-a","k2":"merchant-b"}',
};

describe('API configuration', () => {
  it('reads the table, bucket, key map and the default URL lifetime', () => {
    expect(readApiConfig(valid)).toEqual({
      tableName: 'table-transactions-dev',
      bucketName: 'bucket-uploads-dev',
      apiKeyMerchants: { k1: 'merchant-a', k2: 'merchant-b' },
      uploadUrlTtlSeconds: 900,
      maxFileBytes: 512 * 1024 * 1024,
    });
  });

  it.each([
    ['TABLE_NAME', { ...valid, TABLE_NAME: '' }],
    ['API_KEY_MERCHANTS', { ...valid, API_KEY_MERCHANTS: 'not json' }],
    ['API_KEY_MERCHANTS', { ...valid, API_KEY_MERCHANTS: '{"k1":"Merchant A!"}' }],
    ['UPLOAD_URL_TTL_SECONDS', { ...valid, UPLOAD_URL_TTL_SECONDS: '0' }],
    ['UPLOAD_URL_TTL_SECONDS', { ...valid, UPLOAD_URL_TTL_SECONDS: '604801' }],
    ['MAX_FILE_BYTES', { ...valid, MAX_FILE_BYTES: '0' }],
  ])('fails fast naming %s', (name, env) => {
    expect(() => readApiConfig(env)).toThrow(ConfigurationError);
    expect(() => readApiConfig(env)).toThrow(name);
  });
});
