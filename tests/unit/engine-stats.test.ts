import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/engine/rng';
import { DEFAULT_QUANTILES, quantilesOf, summarize, symlogEdges } from '../../src/engine/stats';

/** numpy's default (type 7) quantile on a sorted copy: the reference for the selection code. */
function referenceQuantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const k = Math.floor(h);
  return s[k]! + (h - k) * (s[Math.min(k + 1, s.length - 1)]! - s[k]!);
}

describe('summarize', () => {
  const rng = createRng(7);
  const rows = 64;
  const cols = 33;
  const x = rng.normalArray(new Float32Array(rows * cols), 0.5, 2);
  const values = [...x];

  test('moments match a direct float64 computation', () => {
    const s = summarize(x, rows, cols);
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(s.count).toBe(n);
    expect(s.mean).toBeCloseTo(mean, 12);
    expect(s.variance).toBeCloseTo(variance, 12);
    expect(s.meanSquare).toBeCloseTo(variance + mean * mean, 11);
    expect(s.min).toBe(Math.min(...values));
    expect(s.max).toBe(Math.max(...values));
    expect(s.nonFinite).toBe(0);
    expect(s.fractionSaturated).toBeNull();
  });

  test('quantiles equal the sorted-array reference exactly', () => {
    const s = summarize(x, rows, cols);
    expect(s.quantiles.levels).toEqual(DEFAULT_QUANTILES);
    DEFAULT_QUANTILES.forEach((p, i) => {
      expect(s.quantiles.values[i]).toBeCloseTo(referenceQuantile(values, p), 12);
    });
    // Many ties and tiny inputs.
    const ties = Float32Array.from([3, 1, 2, 2, 2, 5, 1, 3]);
    const levels = [0, 0.1, 0.5, 0.9, 1];
    expect(quantilesOf(ties, ties.length, levels)).toEqual(
      levels.map((p) => referenceQuantile([3, 1, 2, 2, 2, 5, 1, 3], p)),
    );
    expect(quantilesOf(Float32Array.of(4), 1, [0.3])).toEqual([4]);
  });

  test('histogram counts every finite value once', () => {
    const s = summarize(x, rows, cols, { bins: { min: -2, max: 2, count: 8 } });
    const h = s.histogram;
    expect(h.edges).toHaveLength(9);
    expect(h.counts.reduce((a, b) => a + b, 0) + h.underflow + h.overflow).toBe(rows * cols);
    expect(h.underflow).toBe(values.filter((v) => v < -2).length);
    expect(h.overflow).toBe(values.filter((v) => v >= 2).length);
    expect(h.counts[4]).toBe(values.filter((v) => v >= 0 && v < 0.5).length);
    const edges = symlogEdges();
    expect(edges).toHaveLength(82);
    expect(edges[40]).toBeCloseTo(-1e-6, 18);
    expect(edges[41]).toBeCloseTo(1e-6, 18);
    const zeros = summarize(new Float32Array(10), 2, 5);
    expect(zeros.histogram.counts[40]).toBe(10); // exact zeros land in the centre bin
  });

  test('saturation, zeros and non-finite values', () => {
    const y = Float32Array.of(0.99, -0.98, 0.5, 0, 0, Infinity, Number.NaN, -0.1);
    const t = summarize(y, 2, 4, { saturation: 'tanh' });
    expect(t.nonFinite).toBe(2);
    expect(t.fractionSaturated).toBeCloseTo(2 / 6, 15);
    expect(t.fractionZero).toBeCloseTo(2 / 6, 15);
    // Moments use the six finite entries only.
    expect(t.mean).toBeCloseTo((0.99 - 0.98 + 0.5 - 0.1) / 6, 7);
    const sig = summarize(Float32Array.of(0.01, 0.5, 0.98, 0.96), 1, 4, { saturation: 'sigmoid' });
    expect(sig.fractionSaturated).toBe(0.5);
    const all = summarize(Float32Array.of(Infinity, -Infinity), 1, 2);
    expect(all.nonFinite).toBe(2);
    expect(all.mean).toBeNaN();
  });

  test('unit spread: exactly 0 for identical units, the across-unit variance otherwise', () => {
    const same = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) same.fill(Math.fround(0.1 + r / 7), r * cols, (r + 1) * cols);
    expect(summarize(same, rows, cols).unitSpread).toBe(0);
    expect(summarize(same, rows, cols).variance).toBeGreaterThan(0);
    // Rows (1, 3) and (0, 4): variances 1 and 4, mean 2.5.
    expect(summarize(Float32Array.of(1, 3, 0, 4), 2, 2).unitSpread).toBe(2.5);
  });
});

describe('moments-only summaries', () => {
  test('give the same moments and fractions, without histogram and quantiles', () => {
    const x = createRng(3).normalArray(new Float32Array(4096));
    x[5] = 0;
    x[9] = Number.NaN;
    const full = summarize(x, 64, 64, { saturation: 'tanh' });
    const light = summarize(x, 64, 64, { saturation: 'tanh', detail: 'moments' });
    const { histogram: _h, quantiles: _q, ...moments } = full;
    // Counts, extremes and fractions are exact; sums may be added in another order (the wasm
    // kernels sum in vector lanes), so they agree to 1e-13 relative.
    for (const [key, value] of Object.entries(moments)) {
      const got = (light as unknown as Record<string, unknown>)[key];
      if (
        typeof value === 'number' &&
        ['mean', 'variance', 'meanSquare', 'unitSpread'].includes(key)
      ) {
        expect(Math.abs((got as number) - value)).toBeLessThanOrEqual(1e-13 * Math.abs(value));
      } else expect(got).toEqual(value);
    }
    expect(light.histogram.counts).toEqual([]);
    expect(light.quantiles.values).toEqual([]);
    expect(full.histogram.counts.length).toBeGreaterThan(0);
  });
});
