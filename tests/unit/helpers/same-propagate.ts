/**
 * One `propagate` against a split-and-merged one: the tolerances of `mergePropagateParts`.
 * Activations and input gradients are the same float32 numbers either way, so their statistics
 * agree up to float64 rounding of the sums (relative {@link MOMENTS}); ∂L/∂W and ∂L/∂b are float32
 * sums whose parts round differently ({@link FLOAT32_SUMS}). Counts, extremes and the zero,
 * saturation and non-finite counts must agree exactly.
 */
import { expect } from 'vitest';
import type { PropagateResult } from '../../../src/engine/propagate';
import type { Summary } from '../../../src/engine/stats';

export const MOMENTS = 1e-12;
export const FLOAT32_SUMS = 1e-6;

/** |a − b| ≤ tol·scale, NaN matching NaN. */
export function close(what: string, a: number, b: number, tol: number, scale: number): void {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    expect(Number.isNaN(b), what).toBe(Number.isNaN(a));
    return;
  }
  if (!Number.isFinite(a)) {
    expect(b, what).toBe(a);
    return;
  }
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(
    tol * Math.abs(scale) + 1e-300,
  );
}

function sameSummary(what: string, one: Summary, two: Summary, tol: number): void {
  for (const key of [
    'count',
    'min',
    'max',
    'fractionZero',
    'fractionSaturated',
    'nonFinite',
  ] as const) {
    if (tol === MOMENTS) expect(two[key], `${what}.${key}`).toEqual(one[key]);
  }
  if (tol !== MOMENTS) {
    // Float32 sums: extremes move by rounding too.
    close(`${what}.min`, one.min, two.min, tol, Math.max(Math.abs(one.min), Math.abs(one.max)));
    close(`${what}.max`, one.max, two.max, tol, Math.max(Math.abs(one.min), Math.abs(one.max)));
  }
  close(`${what}.mean`, one.mean, two.mean, tol, Math.sqrt(one.meanSquare));
  close(`${what}.variance`, one.variance, two.variance, tol, one.variance);
  close(`${what}.meanSquare`, one.meanSquare, two.meanSquare, tol, one.meanSquare);
  close(`${what}.unitSpread`, one.unitSpread, two.unitSpread, tol, one.unitSpread);
}

export function sameResult(one: PropagateResult, two: PropagateResult): void {
  expect(two.layers).toHaveLength(one.layers.length);
  expect(two.nonFinite).toBe(one.nonFinite);
  sameSummary('input', one.input, two.input, MOMENTS);
  one.layers.forEach((a, i) => {
    const b = two.layers[i]!;
    const at = `layer ${a.layer}`;
    expect([b.layer, b.fanIn, b.width, b.skipFrom, b.weightMeanSquare]).toEqual([
      a.layer,
      a.fanIn,
      a.width,
      a.skipFrom,
      a.weightMeanSquare,
    ]);
    sameSummary(`${at} pre`, a.pre, b.pre, MOMENTS);
    sameSummary(`${at} post`, a.post, b.post, MOMENTS);
    expect(b.gradPre === undefined, at).toBe(a.gradPre === undefined);
    if (a.gradPre === undefined) return;
    sameSummary(`${at} gradPre`, a.gradPre, b.gradPre!, MOMENTS);
    sameSummary(`${at} gradPost`, a.gradPost!, b.gradPost!, MOMENTS);
    sameSummary(`${at} gradWeight`, a.gradWeight!, b.gradWeight!, FLOAT32_SUMS);
    sameSummary(`${at} gradBias`, a.gradBias!, b.gradBias!, FLOAT32_SUMS);
    close(`${at} ratio`, a.gradWeightRatio!, b.gradWeightRatio!, FLOAT32_SUMS, a.gradWeightRatio!);
  });
  if (one.loss !== undefined)
    close('loss', one.loss, two.loss!, MOMENTS, Math.abs(one.loss) + 1e-30);
}
