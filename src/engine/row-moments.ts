/**
 * Moments of blocks of rows that merge into the moments of the whole: what a batch split across
 * workers sends back.
 *
 * @module
 */
import type { RawMoments } from './raw-moments';
import { rawMoments } from './stats';

/** Raw moments of a block of rows, plus how many of its rows count in `unitSpread`. */
export interface RowMoments extends RawMoments {
  /** Rows with at least one finite entry: the weight of this block's `unitSpread` in a merge. */
  readonly unitRows: number;
}

/** Rows of a (rows × cols) layer holding at least one finite entry (usually one read per row). */
export function rowsWithFinite(x: Float32Array, rows: number, cols: number): number {
  let used = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = x[o + c]!;
      if (v - v === 0) {
        used++;
        break;
      }
    }
  }
  return used;
}

/** {@link rawMoments} with {@link RowMoments.unitRows}, ready for {@link mergeMoments}. */
export function rowMoments(
  x: Float32Array,
  rows: number,
  cols: number,
  saturation: 'tanh' | 'sigmoid' | 'none' = 'none',
): RowMoments {
  return { ...rawMoments(x, rows, cols, saturation), unitRows: rowsWithFinite(x, rows, cols) };
}

/**
 * The raw moments of two blocks of rows taken together, as if computed over their concatenation:
 * counts, minimum, maximum, zero and saturation counts exactly; the sums and the pooled squared
 * deviation Σ(x − mean)² by Chan, Golub and LeVeque's pairwise update,
 *   D = D_a + D_b + (mean_a − mean_b)²·m_a·m_b / (m_a + m_b),
 * which differs from a single pass only by float64 rounding; the spread across units as the mean
 * over all used rows.
 */
export function mergeMoments(a: RowMoments, b: RowMoments): RowMoments {
  const m = a.count + b.count;
  const delta = a.count > 0 && b.count > 0 ? a.sum / a.count - b.sum / b.count : 0;
  const rows = a.unitRows + b.unitRows;
  const spread = (r: RowMoments): number => (r.unitRows > 0 ? r.unitSpread * r.unitRows : 0);
  return {
    count: m,
    sum: a.sum + b.sum,
    min: Math.min(a.count > 0 ? a.min : Infinity, b.count > 0 ? b.min : Infinity),
    max: Math.max(a.count > 0 ? a.max : -Infinity, b.count > 0 ? b.max : -Infinity),
    zeros: a.zeros + b.zeros,
    saturated: a.saturated + b.saturated,
    deviation2: a.deviation2 + b.deviation2 + (m > 0 ? (delta * delta * a.count * b.count) / m : 0),
    squares: a.squares + b.squares,
    unitSpread: rows > 0 ? (spread(a) + spread(b)) / rows : Number.NaN,
    unitRows: rows,
  };
}
