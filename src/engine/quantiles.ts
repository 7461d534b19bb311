/**
 * Quantiles by selection (no full sort): numpy's default linear interpolation between order
 * statistics.
 *
 * @module
 */

/**
 * Places the k-th smallest of a[lo..hi] at index k (Hoare-style quickselect, median of three),
 * with everything left of k ≤ a[k] ≤ everything right of it.
 */
function select(a: Float32Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Selects every index in sorted `ks` (within [lo, hi]) by divide and conquer: O(n log |ks|). */
function selectMany(a: Float32Array, lo: number, hi: number, ks: number[]): void {
  if (ks.length === 0 || lo > hi) return;
  const m = ks.length >> 1;
  const k = ks[m]!;
  select(a, lo, hi, k);
  selectMany(a, lo, k - 1, ks.slice(0, m));
  selectMany(a, k + 1, hi, ks.slice(m + 1));
}

/** Quantiles of the finite values in `finite[0..n)` (reorders it). NaN when n = 0. */
export function quantilesOf(finite: Float32Array, n: number, levels: readonly number[]): number[] {
  if (n === 0) return levels.map(() => Number.NaN);
  const pos = levels.map((p) => (n - 1) * Math.min(1, Math.max(0, p)));
  const ks = [...new Set(pos.flatMap((h) => [Math.floor(h), Math.min(n - 1, Math.floor(h) + 1)]))];
  ks.sort((x, y) => x - y);
  selectMany(finite, 0, n - 1, ks);
  return pos.map((h) => {
    const k = Math.floor(h);
    const a = finite[k]!;
    const b = finite[Math.min(n - 1, k + 1)]!;
    return a + (h - k) * (b - a);
  });
}
