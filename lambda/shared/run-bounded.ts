/**
 * Bounded concurrency, shared by the validator's write path, the anomaly detector's state writes
 * and the bench: many independent DynamoDB requests, a fixed number in flight.
 */

/** `items` cut into consecutive pieces of at most `size` (a batch API's per-request limit). */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Runs `tasks` with at most `limit` in flight. After a failure no new task starts, and the ones in
 * flight are waited for before it rejects with the first failure: nothing runs on behind it.
 */
export async function runBounded<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !failure) {
      const index = next++;
      try {
        results[index] = await tasks[index]();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
