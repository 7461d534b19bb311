/**
 * Histogram bins for the distributions figure: the same edges for every layer and every init, so
 * the panels compare directly. Bounded activations get fixed edges with the saturated ends as bins
 * of their own; everything else gets equal bins over a range read from a first, moments-only run.
 *
 * @module
 */
import type { Summary } from '../../engine/stats';

/** Bins of the middle part of a bounded range, plus the saturated ends. */
const MIDDLE_BINS = 38;
/** Equal bins over an unbounded range. */
const OPEN_BINS = 40;

/**
 * Edges for tanh ([−1, 1]) and sigmoid ([0, 1]) with the saturation thresholds (|tanh| > 0.97,
 * sigmoid outside [0.03, 0.97]) as edges, so the saturated mass is its own bar at each end.
 * Null for other activations.
 */
export function boundedEdges(activation: string): number[] | null {
  const [lo, hi, cut] =
    activation === 'tanh' ? [-1, 1, 0.03] : activation === 'sigmoid' ? [0, 1, 0.03] : [0, 0, 0];
  if (hi === lo) return null;
  const inner = Array.from(
    { length: MIDDLE_BINS + 1 },
    (_, i) => lo + cut + ((hi - lo - 2 * cut) * i) / MIDDLE_BINS,
  );
  return [lo, ...inner, hi];
}

/** Whether a bin [x1, x2) lies in the saturated region of a bounded activation. */
export function isSaturatedBin(activation: string, x1: number, x2: number): boolean {
  if (activation === 'tanh') return x2 <= -0.97 + 1e-9 || x1 >= 0.97 - 1e-9;
  if (activation === 'sigmoid') return x2 <= 0.03 + 1e-9 || x1 >= 0.97 - 1e-9;
  return false;
}

/**
 * Equal-width edges that hold the bulk of every layer: from the lowest (mean − 4·std) to the
 * highest (mean + 4·std), but never wider than the values actually seen. Symmetric about 0 for
 * gradients, whose sign carries no meaning here.
 */
export function openEdges(summaries: readonly Summary[], symmetric: boolean): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of summaries) {
    if (!(s.count > s.nonFinite)) continue;
    const sd = Math.sqrt(s.variance);
    lo = Math.min(lo, Math.max(s.min, s.mean - 4 * sd));
    hi = Math.max(hi, Math.min(s.max, s.mean + 4 * sd));
  }
  if (symmetric) {
    const r = Math.max(Math.abs(lo), Math.abs(hi));
    [lo, hi] = [-r, r];
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) [lo, hi] = [-1, 1];
  // A hair beyond the top so that the largest value lands in the last bin, not in the overflow.
  hi += (hi - lo) * 1e-6;
  return Array.from({ length: OPEN_BINS + 1 }, (_, i) => lo + ((hi - lo) * i) / OPEN_BINS);
}
