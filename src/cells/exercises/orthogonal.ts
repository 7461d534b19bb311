/**
 * Exercise: write `orthogonal(n, rng)`, an n × n orthogonal matrix (row-major Float32Array) drawn
 * from the uniform (Haar) distribution: orthonormalize the columns of a Gaussian matrix (Gram–Schmidt,
 * or a QR decomposition with the sign fix Q·diag(sign(R_ii)) that `torch.nn.init.orthogonal_` applies).
 *
 * Checked with seeded generators: shape, determinism, QᵀQ = I to float32 precision, and two tests of
 * the Haar law: the diagonal has mean 0 over many draws (a QR without the sign fix, Householder's,
 * gives diagonal entries that are never positive).
 *
 * @module
 */
import { createRng } from '../../engine/index';
import { firstFailure, fmt, isFloat32Array } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

const N = 24;
/** Draws for the test of the diagonal's mean (see the check). */
const DRAWS = 40;

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    shape: 'Returns n × n values in a Float32Array',
    rng: 'Draws from the rng it is given',
    orthogonal: 'Orthogonal: QᵀQ = I',
    haar: 'Uniformly distributed (Haar): the diagonal is centred',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(names.shape, 'Define a function named orthogonal(n, rng) at the top level.');
  }
  const draw = (seed: number): unknown =>
    (fn as (n: number, r: unknown) => unknown)(N, createRng(seed));
  let q: unknown;
  try {
    q = draw(1);
  } catch (error) {
    return fail(names.shape, `orthogonal(${N}, rng) threw: ${describe(error)}`);
  }
  if (!isFloat32Array(q) || q.length !== N * N) {
    return fail(
      names.shape,
      `orthogonal(${N}, rng) should return ${N * N} values in a Float32Array (row-major); got ${isFloat32Array(q) ? `${q.length} values` : Object.prototype.toString.call(q).slice(8, -1)}.`,
    );
  }
  results.push({ name: names.shape, pass: true, message: `${N} × ${N}, Float32Array.` });

  const again = draw(1) as Float32Array;
  const other = draw(2) as Float32Array;
  if (!q.every((v, i) => Object.is(v, again[i]))) {
    return fail(
      names.rng,
      'The same seed gave different matrices: draw with rng, not Math.random().',
    );
  }
  if (q.every((v, i) => Object.is(v, other[i]))) {
    return fail(
      names.rng,
      'Different seeds gave the same matrix: start from Gaussian draws of rng.',
    );
  }
  results.push({ name: names.rng, pass: true, message: 'Same seed, same matrix; new seed, new.' });

  const bad = q.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    return fail(
      names.orthogonal,
      `Entry [${Math.floor(bad / N)}][${bad % N}] is ${q[bad]}: normalize each column to length 1 as you go, so nothing grows without bound.`,
    );
  }
  let worst = 0;
  let worstAt = [0, 0];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let dot = 0;
      for (let k = 0; k < N; k++) dot += q[k * N + i]! * q[k * N + j]!;
      const err = Math.abs(dot - (i === j ? 1 : 0));
      if (err > worst) [worst, worstAt] = [err, [i, j]];
    }
  }
  if (!(worst < 1e-4)) {
    const [i, j] = worstAt as [number, number];
    return fail(
      names.orthogonal,
      `(QᵀQ)[${i}][${j}] is ${fmt((i === j ? 1 : 0) + worst)}, expected ${i === j ? 1 : 0}. ${i === j ? 'Normalize each column to length 1.' : 'Subtract from each column its projections on the columns before it (Gram–Schmidt), then normalize.'}`,
    );
  }
  results.push({
    name: names.orthogonal,
    pass: true,
    message: `Largest deviation of QᵀQ from I: ${fmt(worst)}.`,
  });

  let sumDiag = 0;
  let sumSq = 0;
  for (let d = 0; d < DRAWS; d++) {
    const m = draw(100 + d) as Float32Array;
    for (let i = 0; i < N; i++) sumDiag += m[i * N + i]!;
    for (const v of m) sumSq += v * v;
  }
  const variance = (sumSq / (DRAWS * N * N)) * N;
  // Diagonal entries of a Haar matrix have mean 0 and variance 1/N: the mean of DRAWS·N of them,
  // scaled by √N, has standard error 1/√(DRAWS·N) ≈ 0.032. A bound of 0.15 is 4.7 of those.
  const diagonalMean = (sumDiag / (DRAWS * N)) * Math.sqrt(N);
  if (Math.abs(diagonalMean) > 0.15) {
    return fail(
      names.haar,
      `Over ${DRAWS} draws, the diagonal's mean is ${fmt(diagonalMean)}/√n, not 0: the matrices are not uniform. After a QR decomposition, multiply each column of Q by the sign of R's diagonal entry (orthogonal_ does this), or use Gram–Schmidt, which keeps R's diagonal positive.`,
    );
  }
  results.push({
    name: names.haar,
    pass: true,
    message: `n·Var(entry) = ${fmt(variance)} (1 for an orthogonal matrix); diagonal mean ${fmt(diagonalMean)}/√n over ${DRAWS} draws.`,
  });
  return results;
}

export const orthogonal: Exercise = {
  id: 'orthogonal',
  entry: 'orthogonal',
  title: 'Write orthogonal(n, rng)',
  check: checkAnswer,
};
