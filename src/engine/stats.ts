import { wasmMoments } from './backend';
import { quantilesOf } from './quantiles';
import type { RawMoments } from './raw-moments';

/**
 * Summaries of one layer's values: a (batch × units) Float32Array, row-major, one row per sample.
 *
 * Accumulation is in float64 (JavaScript numbers). Non-finite entries (±Infinity, NaN) are
 * counted in `nonFinite` and left out of every other statistic, so an overflowing layer reports
 * how much overflowed instead of turning every moment into NaN. Nothing here throws on data.
 *
 * @module
 */

/** Default quantile levels: the median, the quartiles and two pairs of tails. */
export const DEFAULT_QUANTILES: readonly number[] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/**
 * Histogram bins: explicit increasing `edges`, or `count` equal bins on [`min`, `max`].
 * The default is {@link symlogEdges}: fixed, symmetric and spanning 1e-6 … 1e4, so histograms
 * stay comparable across layers whose scales differ by many orders of magnitude.
 */
export type HistogramBins =
  { edges: readonly number[] } | { min: number; max: number; count: number };

/** Counts per bin (`counts[i]` covers [edges[i], edges[i+1]) ), plus out-of-range counts. */
export interface Histogram {
  readonly edges: number[];
  readonly counts: number[];
  /** Finite values below `edges[0]`. */
  readonly underflow: number;
  /** Finite values at or above the last edge. */
  readonly overflow: number;
}

/** Statistics of all finite entries of a layer (see the module note on non-finite values). */
export interface Summary {
  /** Number of entries, finite or not. */
  readonly count: number;
  readonly mean: number;
  /** Population variance (divides by the number of finite entries). */
  readonly variance: number;
  /** Mean of squares, E[x²]: the quantity mean-field theory predicts. */
  readonly meanSquare: number;
  readonly min: number;
  readonly max: number;
  /** `quantiles[i]` is the level-`levels[i]` quantile (linear interpolation, numpy's default). */
  readonly quantiles: { readonly levels: readonly number[]; readonly values: number[] };
  readonly histogram: Histogram;
  /** tanh: fraction with |y| > 0.97; sigmoid: fraction outside [0.03, 0.97]; otherwise null. */
  readonly fractionSaturated: number | null;
  /** Fraction of entries that are exactly 0 (dead ReLUs). */
  readonly fractionZero: number;
  /** Number of ±Infinity and NaN entries. */
  readonly nonFinite: number;
  /**
   * Mean over samples of the population variance across the layer's units. Exactly 0 when every
   * unit carries the same value for each sample (the symmetry a constant init never breaks):
   * each row's mean is computed first, so identical entries give deviations of exactly 0.
   */
  readonly unitSpread: number;
}

/** Options for {@link summarize}. */
export interface SummaryOptions {
  /** Quantile levels in [0, 1]; default {@link DEFAULT_QUANTILES}. */
  readonly quantiles?: readonly number[];
  /** Histogram bins; default {@link symlogEdges}(). */
  readonly bins?: HistogramBins;
  /** Which saturation rule applies (from the activation); default none. */
  readonly saturation?: 'tanh' | 'sigmoid' | 'none';
  /**
   * 'full' (default) or 'moments': skip the histogram and the quantiles (returned empty), which
   * cost more than everything else together, when a caller needs only moments and fractions.
   */
  readonly detail?: 'full' | 'moments';
}

/**
 * Symmetric log-spaced edges: ±10^k for k from `lo` to `hi` in steps of 1/`perDecade`, plus a
 * centre bin (−10^lo, 10^lo) that holds exact zeros. Default 1e-6 … 1e4, 4 bins per decade.
 */
export function symlogEdges(lo = -6, hi = 4, perDecade = 4): number[] {
  const pos: number[] = [];
  for (let i = lo * perDecade; i <= hi * perDecade; i++) pos.push(10 ** (i / perDecade));
  return [...pos.map((v) => -v).reverse(), ...pos];
}

/** Default symlog grid: decades −6 … 4, 4 bins per decade (see {@link symlogEdges}). */
const SYMLOG = { lo: -6, hi: 4, perDecade: 4 };

/**
 * The bin edges plus a function mapping a finite value to its bin: −1 below the first edge,
 * `edges.length − 1` at or above the last. Regular grids (uniform, the default symlog) jump to a
 * guess arithmetically and correct it against the edges, so the result always agrees with the
 * edges; explicit edges use binary search.
 */
function binner(bins: HistogramBins | undefined): [number[], (x: number) => number] {
  let edges: number[];
  let guess: ((x: number) => number) | null = null;
  if (bins === undefined) {
    const { lo, hi, perDecade } = SYMLOG;
    edges = symlogEdges(lo, hi, perDecade);
    const half = (hi - lo) * perDecade + 1; // edges per side; edges[half] = +10^lo
    guess = (x) => {
      const a = Math.abs(x);
      if (a < 10 ** lo) return half - 1;
      const i = Math.floor((Math.log10(a) - lo) * perDecade);
      return x > 0 ? half + i : half - 2 - i;
    };
  } else if ('edges' in bins) {
    edges = [...bins.edges];
  } else {
    const { min, max, count } = bins;
    edges = Array.from({ length: count + 1 }, (_, i) => min + ((max - min) * i) / count);
    guess = (x) => Math.floor(((x - min) / (max - min)) * count);
  }
  const last = edges.length - 1;
  const first = edges[0]!;
  const top = edges[last]!;
  const search = (x: number): number => {
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x >= edges[mid]!) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  const find = (x: number): number => {
    if (x < first) return -1;
    if (x >= top) return last;
    if (guess === null) return search(x);
    let i = Math.min(last - 1, Math.max(0, guess(x)));
    while (i > 0 && x < edges[i]!) i--;
    while (i < last - 1 && x >= edges[i + 1]!) i++;
    return i;
  };
  return [edges, find];
}

export { quantilesOf } from './quantiles';
export type { RawMoments } from './raw-moments';

/**
 * A summary at detail 'moments' from raw sums over `n` values (`count` of them finite).
 * @param saturation - the rule the saturated count was taken with
 */
export function summaryFromMoments(
  r: RawMoments,
  n: number,
  saturation: 'tanh' | 'sigmoid' | 'none',
): Summary {
  const m = r.count;
  return {
    count: n,
    mean: m > 0 ? r.sum / m : Number.NaN,
    variance: m > 0 ? r.deviation2 / m : Number.NaN,
    meanSquare: m > 0 ? r.squares / m : Number.NaN,
    min: m > 0 ? r.min : Number.NaN,
    max: m > 0 ? r.max : Number.NaN,
    quantiles: { levels: [], values: [] },
    histogram: { edges: [], counts: [], underflow: 0, overflow: 0 },
    fractionSaturated: saturation === 'none' ? null : m > 0 ? r.saturated / m : Number.NaN,
    fractionZero: m > 0 ? r.zeros / m : Number.NaN,
    nonFinite: n - m,
    unitSpread: r.unitSpread,
  };
}

/**
 * Summarises a (rows × cols) layer stored row-major in `x` (one row per sample).
 * @param x - the values; not modified
 * @param rows - samples in the batch
 * @param cols - units in the layer; rows·cols must not exceed x.length
 */
export function summarize(
  x: Float32Array,
  rows: number,
  cols: number,
  options: SummaryOptions = {},
): Summary {
  const n = rows * cols;
  const sat = options.saturation ?? 'none';
  if (options.detail === 'moments')
    return summaryFromMoments(rawMoments(x, rows, cols, sat), n, sat);
  const [edges, binOf] = binner(options.bins);
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  // Quantiles need the finite values gathered (and partly reordered): `v - v === 0` is false
  // exactly for NaN and ±∞. The moments read `x` in place.
  const finite = new Float32Array(n);
  let m = 0;
  let under = 0;
  let over = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v - v !== 0) continue;
    finite[m++] = v;
    const b = binOf(v);
    if (b < 0) under++;
    else if (b >= counts.length) over++;
    else counts[b]!++;
  }
  const levels = options.quantiles ?? DEFAULT_QUANTILES;
  return {
    ...summaryFromMoments(tsMoments(x, rows, cols, sat), n, sat),
    quantiles: { levels: [...levels], values: quantilesOf(finite, m, levels) },
    histogram: { edges, counts, underflow: under, overflow: over },
  };
}

/** Mean over rows of the variance across each row's finite entries (two passes per row). */
function unitSpread(x: Float32Array, rows: number, cols: number): number {
  let total = 0;
  let used = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    let k = 0;
    for (let c = 0; c < cols; c++) {
      const v = x[o + c]!;
      if (v - v === 0) {
        s += v;
        k++;
      }
    }
    if (k === 0) continue;
    const mu = s / k;
    let d = 0;
    for (let c = 0; c < cols; c++) {
      const v = x[o + c]!;
      if (v - v === 0) d += (v - mu) * (v - mu);
    }
    total += d / k;
    used++;
  }
  return used > 0 ? total / used : Number.NaN;
}

/**
 * The raw sums behind a 'moments' summary of a (rows × cols) layer: in SIMD where the wasm kernels
 * run, else in TypeScript with the same definitions as {@link summarize}.
 */
export function rawMoments(
  x: Float32Array,
  rows: number,
  cols: number,
  saturation: 'tanh' | 'sigmoid' | 'none' = 'none',
): RawMoments {
  const simd = wasmMoments();
  return simd ? simd(x, rows, cols, saturation) : tsMoments(x, rows, cols, saturation);
}

/**
 * {@link rawMoments} in TypeScript: a first pass for the count, sum, extremes, zeros and saturated
 * entries, a second about the mean (exact 0 variance for constant data, no catastrophic
 * cancellation).
 */
function tsMoments(
  x: Float32Array,
  rows: number,
  cols: number,
  saturation: 'tanh' | 'sigmoid' | 'none',
): RawMoments {
  const n = rows * cols;
  let m = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  let saturated = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v - v !== 0) continue;
    m++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
    if (
      saturation === 'tanh'
        ? Math.abs(v) > 0.97
        : saturation === 'sigmoid' && (v < 0.03 || v > 0.97)
    ) {
      saturated++;
    }
  }
  const mean = m > 0 ? sum / m : 0;
  let deviation2 = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v - v !== 0) continue;
    deviation2 += (v - mean) * (v - mean);
    squares += v * v;
  }
  return {
    count: m,
    sum,
    min,
    max,
    zeros,
    saturated,
    deviation2,
    squares,
    unitSpread: unitSpread(x, rows, cols),
  };
}
