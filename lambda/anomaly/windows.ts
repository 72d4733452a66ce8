/**
 * Sliding time windows over one stream batch. Pure. Used by the velocity and card-testing
 * rules: "more than N (distinct) keys within W seconds".
 */

export interface Timed {
  readonly epochMs: number;
}

/**
 * Flags every item that lies in some window of `windowMs` (inclusive) holding more than `limit`
 * distinct keys. Returns, per flagged item, the largest such count seen, for the alert text.
 * Two pointers over the time-sorted items keep it O(n * window size).
 */
export const flagCrowdedWindows = <T extends Timed>(
  items: readonly T[],
  windowMs: number,
  limit: number,
  keyOf: (item: T) => string,
): Map<T, number> => {
  const sorted = [...items].sort((a, b) => a.epochMs - b.epochMs);
  const flagged = new Map<T, number>();
  const keyCounts = new Map<string, number>();
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    const entering = keyOf(sorted[end]);
    keyCounts.set(entering, (keyCounts.get(entering) ?? 0) + 1);
    while (sorted[end].epochMs - sorted[start].epochMs > windowMs) {
      const leaving = keyOf(sorted[start]);
      const left = (keyCounts.get(leaving) ?? 1) - 1;
      if (left === 0) keyCounts.delete(leaving);
      else keyCounts.set(leaving, left);
      start += 1;
    }
    const distinct = keyCounts.size;
    if (distinct > limit) {
      for (let i = start; i <= end; i += 1) {
        flagged.set(sorted[i], Math.max(flagged.get(sorted[i]) ?? 0, distinct));
      }
    }
  }
  return flagged;
};

/** Groups items by a key, keeping insertion order. */
export const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
};
