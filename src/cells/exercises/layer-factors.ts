/**
 * Exercise: write `layerFactors(nIn, nOut, varW, rng)`, which measures one linear layer's two
 * variance factors by simulation: draw W (nOut × nIn, entries N(0, varW)), a batch of inputs x with
 * unit variance and a batch of output gradients g with unit variance, and return
 * { forward: Var(Wx) / Var(x), backward: Var(Wᵀg) / Var(g) }. The variance rule predicts
 * forward = nIn·varW and backward = nOut·varW.
 *
 * Checked with seeded generators at two shapes with nIn ≠ nOut (so swapped fans are caught), against
 * the rule within the sampling error of a 64-sample batch.
 *
 * @module
 */
import { createRng } from '../../engine/index';
import { firstFailure, fmt } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

const CASES: readonly (readonly [number, number, number])[] = [
  [512, 64, 1 / 512],
  [64, 512, 0.01],
];
/** Relative agreement asked: one layer of ≥ 64 units and a batch of 64 measure a factor to ~5 %. */
const RTOL = 0.2;

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    runs: 'Returns { forward, backward }, two positive numbers',
    forward: 'Forward factor n_in·Var(w)',
    backward: 'Backward factor n_out·Var(w)',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(names.runs, 'Define a function named layerFactors(nIn, nOut, varW, rng).');
  }
  const answers: { forward: number; backward: number }[] = [];
  for (const [nIn, nOut, varW] of CASES) {
    const label = `layerFactors(${nIn}, ${nOut}, ${fmt(varW)}, rng)`;
    let got: unknown;
    try {
      got = (fn as (a: number, b: number, c: number, r: unknown) => unknown)(
        nIn,
        nOut,
        varW,
        createRng(3),
      );
    } catch (error) {
      return fail(names.runs, `${label} threw: ${describe(error)}`);
    }
    const { forward, backward } = (got ?? {}) as { forward?: unknown; backward?: unknown };
    const positive = (v: unknown): v is number => typeof v === 'number' && v > 0 && v < Infinity;
    if (!positive(forward) || !positive(backward)) {
      return fail(
        names.runs,
        `${label} returned ${got === undefined ? 'undefined (is there a return?)' : `forward ${String(forward)}, backward ${String(backward)}`}; expected two positive numbers.`,
      );
    }
    answers.push({ forward, backward });
  }
  results.push({ name: names.runs, pass: true, message: 'Two shapes, four positive factors.' });

  for (const key of ['forward', 'backward'] as const) {
    for (const [i, [nIn, nOut, varW]] of CASES.entries()) {
      const got = answers[i]![key];
      const fan = key === 'forward' ? nIn : nOut;
      const other = key === 'forward' ? nOut : nIn;
      const want = fan * varW;
      if (Math.abs(got / want - 1) > RTOL) {
        const swapped = Math.abs(got / (other * varW) - 1) <= RTOL;
        return fail(
          names[key],
          `For n_in = ${nIn}, n_out = ${nOut}, Var(w) = ${fmt(varW)}: ${key} ${fmt(got)}, expected ${key === 'forward' ? 'n_in' : 'n_out'}·Var(w) = ${fmt(want)}. ${swapped ? `Your value is near ${key === 'forward' ? 'n_out' : 'n_in'}·Var(w) = ${fmt(other * varW)}: ${key === 'forward' ? 'each output sums n_in products (y_i = Σ_j W_ij x_j)' : 'each input gradient sums n_out products (dx_j = Σ_i W_ij g_i)'}.` : Math.abs(got / Math.sqrt(want) - 1) <= RTOL ? 'That is its square root: compare variances, not standard deviations.' : 'Compare the variance of the layer’s output with that of its input, over the whole batch.'}`,
        );
      }
    }
    results.push({
      name: names[key],
      pass: true,
      message: CASES.map(
        ([nIn, nOut, varW], i) =>
          `${fmt(answers[i]![key])} for ${key === 'forward' ? nIn : nOut}·${fmt(varW)} = ${fmt((key === 'forward' ? nIn : nOut) * varW)}`,
      ).join('; '),
    });
  }
  return results;
}

export const layerFactors: Exercise = {
  id: 'layer-factors',
  entry: 'layerFactors',
  title: 'Write layerFactors(nIn, nOut, varW, rng)',
  check: checkAnswer,
};
