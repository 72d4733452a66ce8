/**
 * Memory-light "seen before?" set for (transaction_id, timestamp) keys, to reject duplicates
 * within one file. A Set of key strings costs about 100 bytes per row (100 MB for a
 * million-row file); this open-addressing table of 64-bit fingerprints costs 16-32 bytes.
 * Two different keys share a fingerprint with probability about n^2 / 2^65: 3 x 10^-8 for a
 * million rows. Such a row would be rejected as a duplicate (reported, never dropped silently).
 */
const EMPTY = 0;

/**
 * Two independent 32-bit hashes of `first` + "\n" + `second` (murmur3-style mixing), without
 * building the joined string (this runs once per row). The first is never zero (0 = empty slot).
 */
const fingerprint = (first: string, second: string): [number, number] => {
  let h1 = 0x9747b28c;
  let h2 = 0x2f6b3d1e;
  const length = first.length + 1 + second.length;
  for (let i = 0; i < length; i++) {
    const c =
      i < first.length
        ? first.charCodeAt(i)
        : i === first.length
          ? 10
          : second.charCodeAt(i - first.length - 1);
    h1 = Math.imul(h1 ^ c, 0xcc9e2d51);
    h1 = (h1 << 15) | (h1 >>> 17);
    h2 = Math.imul(h2 ^ c, 0x1b873593);
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 5) + 0xe6546b64;
  }
  h1 ^= length;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= length;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return [h1 >>> 0 || 1, h2 >>> 0];
};

export class KeyFingerprints {
  private slots = new Uint32Array(2 * 4096);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Adds the key (first, second); returns false when (its fingerprint) was already there. */
  add(first: string, second = ''): boolean {
    const [a, b] = fingerprint(first, second);
    if (this.insert(a, b)) {
      if (++this.used * 2 > this.slots.length / 2) this.grow();
      return true;
    }
    return false;
  }

  private insert(a: number, b: number): boolean {
    const capacity = this.slots.length / 2;
    let slot = (a ^ Math.imul(b, 0x9e3779b1)) & (capacity - 1);
    for (;;) {
      const at = slot * 2;
      if (this.slots[at] === EMPTY) {
        this.slots[at] = a;
        this.slots[at + 1] = b;
        return true;
      }
      if (this.slots[at] === a && this.slots[at + 1] === b) return false;
      slot = (slot + 1) & (capacity - 1);
    }
  }

  /** Doubles the table when half full, keeping probes short. */
  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) if (old[at] !== EMPTY) this.insert(old[at], old[at + 1]);
  }
}
