import { NOT_FOUND_MESSAGE, transactionStatus, uploadStatusFromManifest } from '../../../lambda/api/status';
import { assertEmptyUploadBody } from '../../../lambda/api/upload';
import { holdsCardNumber } from '../../../lambda/shared/card';
import { BadRequestError, NotFoundError } from '../../../lambda/shared/errors';

const UPLOAD_ID = 'up-3b241101-e2bb-4255-8caf-4136c566a962';

const item = (timestamp: string, merchant: string, extra: Record<string, unknown> = {}) => ({
  transaction_id: 'tx-1',
  timestamp,
  merchant_id: merchant,
  amount: '120.5',
  currency: 'EUR',
  card_last4: '4242',
  upload_id: UPLOAD_ID,
  ...extra,
});

describe('upload status from the manifest', () => {
  it.each([
    [
      'counts under `counts`',
      { status: 'completed', counts: { rows: 3, accepted: 2, rejected: 1 } },
      'completed',
      { rows: 3, accepted: 2, rejected: 1 },
    ],
    [
      'counts at the top level',
      { status: 'completed', rows: 5, accepted: 5, rejected: 0, durationMs: 12 },
      'completed',
      { rows: 5, accepted: 5, rejected: 0 },
    ],
    ['a refused file', { status: 'refused', counts: {} }, 'refused', {}],
    ['an unknown status reads as processing', { status: 'weird' }, 'processing', {}],
  ])('%s', (_name, manifest, status, counts) => {
    expect(uploadStatusFromManifest(UPLOAD_ID, manifest)).toMatchObject({
      type: 'upload',
      uploadId: UPLOAD_ID,
      status,
      counts,
    });
  });

  it('gives the refusal, never a card number', () => {
    const manifest = {
      status: 'refused',
      refusal: { line: 1, code: 'SENSITIVE_DATA', message: 'The file has a cvv column (4111111111111111).' },
    };
    const { refusal } = uploadStatusFromManifest(UPLOAD_ID, manifest);
    expect(refusal).toMatchObject({ line: 1, code: 'SENSITIVE_DATA' });
    expect(refusal?.message).toContain('cvv');
    expect(holdsCardNumber(JSON.stringify(refusal))).toBe(false);
  });

  it("passes on the validator's manifest fields a merchant needs, and nothing else", () => {
    const manifest = {
      uploadId: UPLOAD_ID,
      merchantId: 'merchant-a',
      key: `uploads/merchant-a/${UPLOAD_ID}.csv`,
      versionId: 'v1',
      status: 'completed',
      startedAt: '2026-03-01T12:00:00.000Z',
      finishedAt: '2026-03-01T12:00:01.000Z',
      durationMs: 1000,
      counts: { rows: 3, accepted: 2, stored: 2, unchanged: 0, rejected: 1, conflicts: 0 },
      unknownColumns: ['note'],
      rejected: [
        { line: 3, column: 'amount', code: 'AMOUNT_INVALID', message: 'amount must be > 0', extra: 'x' },
        'junk',
      ],
      rejectedTruncated: false,
      rejectsKey: `reports/merchant-a/${UPLOAD_ID}.rejects.csv`,
    };
    expect(uploadStatusFromManifest(UPLOAD_ID, manifest)).toEqual({
      type: 'upload',
      uploadId: UPLOAD_ID,
      status: 'completed',
      startedAt: '2026-03-01T12:00:00.000Z',
      finishedAt: '2026-03-01T12:00:01.000Z',
      durationMs: 1000,
      counts: { rows: 3, accepted: 2, stored: 2, unchanged: 0, rejected: 1, conflicts: 0 },
      unknownColumns: ['note'],
      rejected: [{ line: 3, column: 'amount', code: 'AMOUNT_INVALID', message: 'amount must be > 0' }],
      rejectedTruncated: false,
    });
  });

  it('a failed run says why', () => {
    const status = uploadStatusFromManifest(UPLOAD_ID, {
      status: 'failed',
      error: { code: 'WRITE_FAILED', message: 'retrying' },
    });
    expect(status).toMatchObject({ status: 'failed', error: { code: 'WRITE_FAILED', message: 'retrying' } });
  });
});

describe('transaction status', () => {
  it("lists the caller's versions oldest first, card masked, amount a number", () => {
    const result = transactionStatus(
      'tx-1',
      [
        item('2026-03-02T00:00:00.000Z', 'merchant-a'),
        item('2026-03-01T00:00:00.000Z', 'merchant-a', { country: 'FR' }),
      ],
      'merchant-a',
    );
    expect(result).toEqual({
      type: 'transaction',
      transactionId: 'tx-1',
      status: 'stored',
      versions: [
        {
          timestamp: '2026-03-01T00:00:00.000Z',
          amount: 120.5,
          currency: 'EUR',
          card: '**** 4242',
          uploadId: UPLOAD_ID,
          country: 'FR',
          status: 'stored',
        },
        {
          timestamp: '2026-03-02T00:00:00.000Z',
          amount: 120.5,
          currency: 'EUR',
          card: '**** 4242',
          uploadId: UPLOAD_ID,
          status: 'stored',
        },
      ],
    });
  });

  it("leaves out other merchants' versions of the same id", () => {
    const result = transactionStatus(
      'tx-1',
      [item('2026-03-01T00:00:00.000Z', 'merchant-a'), item('2026-03-05T00:00:00.000Z', 'merchant-b')],
      'merchant-b',
    );
    expect(result.versions.map((v) => v.timestamp)).toEqual(['2026-03-05T00:00:00.000Z']);
  });

  it("answers another merchant's transaction exactly like a missing one", () => {
    const foreign = () =>
      transactionStatus('tx-1', [item('2026-03-01T00:00:00.000Z', 'merchant-a')], 'merchant-b');
    const missing = () => transactionStatus('tx-1', [], 'merchant-b');
    expect(foreign).toThrow(NotFoundError);
    expect(foreign).toThrow(NOT_FOUND_MESSAGE);
    expect(missing).toThrow(NOT_FOUND_MESSAGE);
  });
});

describe('POST /upload body', () => {
  it.each([null, '', '  ', '{}', Buffer.from('{}').toString('base64')])('accepts %p', (body) => {
    expect(() => assertEmptyUploadBody(body, body === Buffer.from('{}').toString('base64'))).not.toThrow();
  });

  it.each(['not json', '[]', '"text"', '{"merchant_id":"merchant-b"}'])('refuses %p with a 400', (body) => {
    expect(() => assertEmptyUploadBody(body)).toThrow(BadRequestError);
  });
});
