/**
 * The losses a propagation run differentiates, each divided by the batch (cross-entropy by the
 * number of predictions): what ∂L/∂output starts the backward pass.
 *
 * - 'readout': L = (1/B)·Σ_b v·y_b with v ~ N(0, 1) over the flattened output, independent of the
 *   network (the loss mean-field theory's backward prediction assumes; see `propagate`'s notes).
 * - 'sum': L = (1/B)·Σ y.
 * - 'mse': L = (1/B)·Σ_b ½‖y_b − t_b‖², t ~ N(0, 1).
 * - 'cross_entropy': the last axis holds K logits; each of the N = B·size/K rows gets a uniform
 *   random label t, L = (1/N)·Σ (logsumexp(z) − z_t).
 *
 * The random readout, targets or labels are drawn from `rng` after the inputs.
 *
 * @module
 */
import type { Rng } from '../rng';
import { detExp, detLog } from '../special';

export type NetworkLoss = 'readout' | 'sum' | 'mse' | 'cross_entropy';

/** The random quantities a loss needs, drawn in that order. */
export function drawLossData(
  loss: NetworkLoss,
  rng: Rng,
  batch: number,
  size: number,
  classes: number,
): Float32Array {
  if (loss === 'readout') return rng.normalArray(new Float32Array(size));
  if (loss === 'mse') return rng.normalArray(new Float32Array(batch * size));
  if (loss === 'cross_entropy') {
    const rows = (batch * size) / classes;
    const t = new Float32Array(rows);
    for (let i = 0; i < rows; i++) t[i] = rng.int(classes);
    return t;
  }
  return new Float32Array(0);
}

/** The loss and ∂L/∂y for output `y` (batch × size). */
export function lossAndGradient(
  loss: NetworkLoss,
  y: Float32Array,
  data: Float32Array,
  batch: number,
  size: number,
  classes: number,
): { readonly loss: number; readonly top: Float32Array } {
  const top = new Float32Array(y.length);
  let total = 0;
  if (loss === 'cross_entropy') {
    const rows = (batch * size) / classes;
    for (let r = 0; r < rows; r++) {
      const o = r * classes;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, y[o + c]!);
      let s = 0;
      for (let c = 0; c < classes; c++) s += detExp(y[o + c]! - max);
      const t = data[r]!;
      total += (max + detLog(s) - y[o + t]!) / rows;
      for (let c = 0; c < classes; c++) {
        top[o + c] = (detExp(y[o + c]! - max) / s - (c === t ? 1 : 0)) / rows;
      }
    }
    return { loss: total, top };
  }
  for (let i = 0; i < y.length; i++) {
    if (loss === 'sum') {
      total += y[i]! / batch;
      top[i] = 1 / batch;
    } else if (loss === 'readout') {
      const v = data[i % size]!;
      total += (v * y[i]!) / batch;
      top[i] = v / batch;
    } else {
      const r = y[i]! - data[i]!;
      total += (0.5 * r * r) / batch;
      top[i] = r / batch;
    }
  }
  return { loss: total, top };
}
