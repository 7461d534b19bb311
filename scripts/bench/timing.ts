/**
 * Timing helpers for the benchmark: warm-up runs, then the median of timed repeats.
 *
 * @module
 */

/** Median and spread of the timed repeats, in ms. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly repeats: number;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs `fn` `warmup` times untimed, then times it until `maxRepeats` runs or `budgetMs` of timed
 * work have passed (at least `minRepeats` runs), and reports the median.
 */
export async function measure(
  fn: () => unknown,
  { warmup = 1, minRepeats = 3, maxRepeats = 7, budgetMs = 20_000 } = {},
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  let spent = 0;
  while (times.length < minRepeats || (times.length < maxRepeats && spent < budgetMs)) {
    const t0 = performance.now();
    await fn();
    const dt = performance.now() - t0;
    times.push(dt);
    spent += dt;
  }
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    repeats: times.length,
  };
}
