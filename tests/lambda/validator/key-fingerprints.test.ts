import { KeyFingerprints } from '../../../lambda/validator/core/key-fingerprints';

describe('key fingerprints (duplicate detection within a file)', () => {
  it('says whether a key was seen, across table growth', () => {
    const seen = new KeyFingerprints();
    for (let i = 0; i < 50_000; i++) expect(seen.add(`tx-${i}\n2024-05-01T00:00:00.000Z`)).toBe(true);
    expect(seen.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(seen.add(`tx-${i}\n2024-05-01T00:00:00.000Z`)).toBe(false);
    expect(seen.add('tx-1\n2024-05-01T00:00:00.001Z')).toBe(true);
    expect(seen.size).toBe(50_001);
  });

  it('has no false duplicates on a million distinct keys', () => {
    const seen = new KeyFingerprints();
    let duplicates = 0;
    for (let i = 0; i < 1_000_000; i++) if (!seen.add(`${i}\n${i % 7}`)) duplicates++;
    expect(duplicates).toBe(0);
  });
});
