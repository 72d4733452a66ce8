import { decodeEventKey, parseUploadKey } from '../../../lambda/validator/upload-key';

const uploadId = 'up-0b7c6f2e-9d4a-4c1e-8f3b-2a5d6e7f8091';

describe('upload keys', () => {
  it('reads merchant and upload from uploads/{merchantId}/{uploadId}.csv', () => {
    expect(parseUploadKey(`uploads/merchant-a/${uploadId}.csv`)).toEqual({
      merchantId: 'merchant-a',
      uploadId,
    });
  });

  it.each([
    `reports/merchant-a/${uploadId}.csv`,
    `uploads/merchant-a/${uploadId}.json`,
    `uploads/${uploadId}.csv`,
    `uploads/merchant-a/extra/${uploadId}.csv`,
    `uploads/Merchant_A/${uploadId}.csv`,
    'uploads/merchant-a/not-an-id.csv',
    `uploads/../merchant-b/${uploadId}.csv`,
  ])('refuses %p', (key) => {
    expect(parseUploadKey(key)).toBeUndefined();
  });

  it('decodes S3 event keys (URL-encoded, + for space) and survives malformed escapes', () => {
    expect(decodeEventKey('uploads/merchant-a/a+b%2Bc.csv')).toBe('uploads/merchant-a/a b+c.csv');
    expect(decodeEventKey('uploads/%E0%A4%A.csv')).toBe('uploads/%E0%A4%A.csv');
  });
});
