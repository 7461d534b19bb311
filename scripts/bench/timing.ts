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
  /** What the last timed run returned (for a cross-check of the implementations). */
  readonly value: unknown;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Untimed runs first (default 1). */
  readonly warmup?: number;
  /** What a warm-up run does; default `fn` itself (pass a smaller job when `fn` is slow). */
  readonly warmupFn?: () => unknown;
  /** Timed runs at least (default 3) … */
  readonly minRepeats?: number;
  /** … and at most (default 7), … */
  readonly maxRepeats?: number;
  /** … stopping after this much timed work, in ms (default 20 000). */
  readonly budgetMs?: number;
}

/** Runs the warm-ups, then times `fn` as {@link MeasureOptions} say and reports the median. */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Timing> {
  const { warmup = 1, warmupFn = fn, minRepeats = 3, maxRepeats = 7, budgetMs = 20_000 } = options;
  for (let i = 0; i < warmup; i++) await warmupFn();
  const times: number[] = [];
  let spent = 0;
  let value: unknown;
  while (times.length < minRepeats || (times.length < maxRepeats && spent < budgetMs)) {
    const t0 = performance.now();
    value = await fn();
    const dt = performance.now() - t0;
    times.push(dt);
    spent += dt;
  }
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    repeats: times.length,
    value,
  };
}
