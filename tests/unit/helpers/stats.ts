/**
 * Statistics for tests: moments and the one-sample Kolmogorov–Smirnov test, used the way
 * PyTorch's test/nn/test_init.py uses scipy.stats.kstest. The normal CDF comes from mathjs's
 * `erf` (W. J. Cody's rational approximations), an oracle independent of the engine's own erf.
 */
import { erf as mathjsErf } from 'mathjs';

/** Mean of the samples. */
export function mean(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i] as number;
  return sum / xs.length;
}

/** Unbiased sample variance. */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += ((xs[i] as number) - m) ** 2;
  return sum / (xs.length - 1);
}

/** Smallest and largest sample. */
export function extent(xs: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** Standard normal CDF Φ(x), from mathjs's erf. */
export function normalCdf(x: number): number {
  return 0.5 * (1 + mathjsErf(x / Math.SQRT2));
}

/** CDF of N(mean, std²) truncated to [a, b]. */
export function truncNormalCdf(mean: number, std: number, a: number, b: number) {
  const lo = normalCdf((a - mean) / std);
  const hi = normalCdf((b - mean) / std);
  return (x: number): number => {
    if (x <= a) return 0;
    if (x >= b) return 1;
    return (normalCdf((x - mean) / std) - lo) / (hi - lo);
  };
}

/** CDF of U(a, b). */
export function uniformCdf(a: number, b: number) {
  return (x: number): number => Math.min(1, Math.max(0, (x - a) / (b - a)));
}

/** Result of a one-sample Kolmogorov–Smirnov test. */
export interface KsResult {
  /** Largest distance between the empirical and the reference CDF. */
  d: number;
  /** Asymptotic p-value of `d` (Kolmogorov distribution with Stephens' small-n correction). */
  p: number;
}

/** One-sample KS test of `samples` against the continuous CDF `cdf`. */
export function ksTest(samples: ArrayLike<number>, cdf: (x: number) => number): KsResult {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i] as number);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sqrtN = Math.sqrt(n);
  const lambda = (sqrtN + 0.12 + 0.11 / sqrtN) * d;
  // Q_KS(λ) = 2 Σ_{k≥1} (−1)^(k−1) exp(−2k²λ²)
  let p = 0;
  for (let k = 1; k <= 100; k++)
    p += 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
  return { d, p: Math.min(1, Math.max(0, lambda < 0.2 ? 1 : p)) };
}

/**
 * Significance level for KS tests, as in PyTorch's init tests (`p_value > 0.0001`). Seeds are
 * fixed, so the outcome is deterministic; the level says how surprising a sample we tolerate.
 */
export const KS_ALPHA = 1e-4;
