/**
 * Memory-light "seen before?" set for (transaction_id, timestamp) keys, to reject duplicates
 * within one file. A Set of key strings costs about 100 bytes per row (100 MB for a
 * million-row file); this open-addressing table of 64-bit fingerprints costs 16-32 bytes.
 * Two different keys share a fingerprint with probability about n^2 / 2^65: 3 x 10^-8 for a
 * million rows. Such a row would be rejected as a duplicate (reported, never dropped silently).
 */
const EMPTY = 0;

/** Murmur3-style mixing of one character into each of the two running hashes. */
const mix1 = (h: number, c: number): number => {
  const m = Math.imul(h ^ c, 0xcc9e2d51);
  return (m << 15) | (m >>> 17);
};
const mix2 = (h: number, c: number): number => {
  let m = Math.imul(h ^ c, 0x1b873593);
  m = (m << 13) | (m >>> 19);
  return (Math.imul(m, 5) + 0xe6546b64) | 0;
};
const finish = (h: number, length: number): number => {
  let f = h ^ length;
  f = Math.imul(f ^ (f >>> 16), 0x85ebca6b);
  f = Math.imul(f ^ (f >>> 13), 0xc2b2ae35);
  return (f ^ (f >>> 16)) >>> 0;
};

export class KeyFingerprints {
  private slots = new Uint32Array(2 * 4096);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /**
   * Adds the key (first, second); returns false when (its fingerprint) was already there.
   * The fingerprint is two independent 32-bit hashes of `first` + "\n" + `second`, computed
   * without building the joined string or any array (this runs once per row); the first is
   * never zero (0 = empty slot).
   */
  add(first: string, second = ''): boolean {
    let h1 = 0x9747b28c;
    let h2 = 0x2f6b3d1e;
    // Two UTF-16 code units per step (each < 2^16, so the pair packs into one 32-bit word
    // without ambiguity): half the mixing rounds of one unit per step.
    let i = 1;
    for (; i < first.length; i += 2) {
      const c = first.charCodeAt(i - 1) | (first.charCodeAt(i) << 16);
      h1 = mix1(h1, c);
      h2 = mix2(h2, c);
    }
    // The separator joins the odd last unit of `first`, if any, so "ab"+"c" and "a"+"bc" differ.
    const joint = i === first.length ? first.charCodeAt(i - 1) | (10 << 16) : 10;
    h1 = mix1(h1, joint);
    h2 = mix2(h2, joint);
    for (i = 1; i < second.length; i += 2) {
      const c = second.charCodeAt(i - 1) | (second.charCodeAt(i) << 16);
      h1 = mix1(h1, c);
      h2 = mix2(h2, c);
    }
    if (i === second.length) {
      h1 = mix1(h1, second.charCodeAt(i - 1));
      h2 = mix2(h2, second.charCodeAt(i - 1));
    }
    const length = first.length + 1 + second.length;
    const a = finish(h1, length) || 1;
    const b = finish(h2, length);
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
