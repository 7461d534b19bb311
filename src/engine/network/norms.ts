/**
 * Frobenius norms and the ratio of a step (or gradient) to the tensor it changes: what
 * `propagate`, `propagateNetwork` and `train` report per layer, computed once.
 *
 * @module
 */

/** Σ a², in float64. */
export function sumSquares(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

/**
 * ‖step‖ / ‖W‖ from ‖step‖ and ‖W‖²: Infinity for a zero W with a nonzero step, 0 when both are 0.
 */
export function weightRatio(stepNorm: number, weightSquares: number): number {
  const wNorm = Math.sqrt(weightSquares);
  return wNorm > 0 ? stepNorm / wNorm : stepNorm > 0 ? Infinity : 0;
}
