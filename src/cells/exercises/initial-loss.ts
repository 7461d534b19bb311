/**
 * Exercise: write `initialLoss(K, s, rng)`, the expected cross-entropy at initialization of a
 * classifier whose K logits are independent N(0, s²), by simulation: average
 * −log softmax(o)_t = log Σ_k e^{o_k} − o_t over many draws (the label t can be any fixed class).
 * For small s it is ln K + s²/2 (to second order); for larger s it falls below that.
 *
 * The answer is compared with a seeded reference simulation (4 million logits) at three points, the
 * last where the small-s formula is far off; a wrong value is compared with ln K and ln K + s²/2.
 *
 * @module
 */
import { createRng } from '../../engine/index';
import { firstFailure, fmt } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

const POINTS: readonly (readonly [number, number])[] = [
  [10, 0.1],
  [10, 1],
  [100, 3],
];
/** Agreement asked: the reference's own error is below 0.1 %, a reader's 20,000 draws about 1 %. */
const RTOL = 0.03;

/** Seeded reference: mean cross-entropy over `draws` samples of K logits N(0, s²), stable log-sum-exp. */
export function referenceInitialLoss(K: number, s: number, draws = 400_000): number {
  const rng = createRng(20_260_212 + K);
  const logits = new Float64Array(K);
  let total = 0;
  for (let d = 0; d < draws; d++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      logits[k] = s * rng.normal();
      if (logits[k]! > max) max = logits[k]!;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(logits[k]! - max);
    total += max + Math.log(sum) - logits[0]!;
  }
  return total / draws;
}

/** Logits the reference draws per point (400,000 draws of 10 logits, 40,000 of 100). */
const REFERENCE_LOGITS = 4_000_000;
const cache = new Map<string, number>();
function reference(K: number, s: number): number {
  const key = `${K}:${s}`;
  if (!cache.has(key)) cache.set(key, referenceInitialLoss(K, s, REFERENCE_LOGITS / K));
  return cache.get(key)!;
}

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    runs: 'Returns a finite number for every point',
    value: 'Agrees with the simulated initial loss (to 3 %)',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(names.runs, 'Define a function named initialLoss(K, s, rng) at the top level.');
  }
  const answers: number[] = [];
  for (const [K, s] of POINTS) {
    let value: unknown;
    try {
      value = (fn as (k: number, s: number, r: unknown) => unknown)(K, s, createRng(7));
    } catch (error) {
      return fail(names.runs, `initialLoss(${K}, ${s}, rng) threw: ${describe(error)}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return fail(
        names.runs,
        `initialLoss(${K}, ${s}, rng) returned ${typeof value === 'number' ? String(value) : typeof value}; expected a finite number.${typeof value === 'number' && s >= 3 ? ' With s = 3 the sum of e^{o_k} can overflow: subtract the largest logit first.' : ''}`,
      );
    }
    answers.push(value);
  }
  results.push({ name: names.runs, pass: true, message: `${POINTS.length} points, all finite.` });

  for (const [index, [K, s]] of POINTS.entries()) {
    const got = answers[index]!;
    const want = reference(K, s);
    if (Math.abs(got / want - 1) > RTOL) {
      const lnK = Math.log(K);
      const hint =
        Math.abs(got - lnK) < 1e-9
          ? 'That is ln K, the loss of all-equal logits: the spread s of the logits adds to it.'
          : Math.abs(got - (lnK + (s * s) / 2)) < 1e-9
            ? `That is ln K + s²/2, the small-s formula: at s = ${s} it is off. Simulate: average log Σ e^{o_k} − o_t over many draws.`
            : 'Average −log softmax(o)_t = log Σ_k e^{o_k} − o_t over at least 10,000 draws of the logits.';
      return fail(
        names.value,
        `initialLoss(${K}, ${s}) = ${fmt(got)}; a seeded simulation of 4 million logits gives ${fmt(want)} (ln K = ${fmt(lnK)}, ln K + s²/2 = ${fmt(lnK + (s * s) / 2)}). ${hint}`,
      );
    }
  }
  results.push({
    name: names.value,
    pass: true,
    message: POINTS.map(([K, s], i) => `K = ${K}, s = ${s}: ${fmt(answers[i]!)}`).join('; '),
  });
  return results;
}

export const initialLoss: Exercise = {
  id: 'initial-loss',
  entry: 'initialLoss',
  title: 'Write initialLoss(K, s, rng)',
  check: checkAnswer,
};
