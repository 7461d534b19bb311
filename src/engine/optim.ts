/**
 * Optimizers for the training loop, with PyTorch's update rules (torch.optim.SGD and Adam, no
 * weight decay). Every update is elementwise, so parameters that start equal and receive equal
 * gradients stay bit-identical (the zero-init symmetry survives training exactly).
 *
 * SGD with momentum μ: buf ← μ·buf + g (buf = g on the first step), p ← p − lr·buf.
 * Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − lr·m̂/(√v̂ + ε) with the bias
 * corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
 *
 * As torch.optim 1.13 computes them (SGD; Adam's single-tensor path, its default there): the
 * first momentum buffer is the gradient itself, ε is added to √v̂ (PyTorch divides √v by
 * √(1 − β₂ᵗ), the same number), and the step is lr/(1 − β₁ᵗ)·m. PyTorch rounds every tensor
 * operation to float32; the engine computes each element in float64 and rounds once, so the two
 * agree to float32 rounding (tests/unit/figure-training-pytorch.test.ts runs both).
 *
 * @module
 */
import { EngineInputError, finiteNumber, inRange, oneOf } from './validate';

/** Which optimizer, with PyTorch's defaults for the omitted fields. */
export type OptimizerSpec =
  /** SGD; momentum default 0.9 (PyTorch's is 0, but nobody trains a deep net that way). */
  | { name: 'sgd'; lr: number; momentum?: number | undefined }
  /** Adam; defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8. */
  | {
      name: 'adam';
      lr: number;
      beta1?: number | undefined;
      beta2?: number | undefined;
      eps?: number | undefined;
    };

/** An optimizer spec with every field filled in. */
export type ResolvedOptimizer =
  | { name: 'sgd'; lr: number; momentum: number }
  | { name: 'adam'; lr: number; beta1: number; beta2: number; eps: number };

/** A stateful optimizer over a fixed list of parameter arrays. */
export interface Optimizer {
  /**
   * Applies one update to parameter `index` in place, from its gradient, at step `t` (1-based).
   * @returns the squared Euclidean norm of the change ‖Δp‖², for the update-to-weight ratio
   */
  update(index: number, param: Float32Array, grad: Float32Array, t: number): number;
}

/** Checks an optimizer spec and fills in its defaults. */
export function checkOptimizer(spec: OptimizerSpec): ResolvedOptimizer {
  if (typeof spec !== 'object' || spec === null) {
    throw new EngineInputError('optimizer', spec, "{ name: 'sgd' | 'adam', lr, … }");
  }
  const name = oneOf('optimizer.name', spec.name, ['sgd', 'adam']);
  const lr = finiteNumber('optimizer.lr', spec.lr);
  if (!(lr > 0)) throw new EngineInputError('optimizer.lr', lr, 'a finite number > 0');
  if (name === 'sgd') {
    const s = spec as Extract<OptimizerSpec, { name: 'sgd' }>;
    return { name, lr, momentum: inRange('optimizer.momentum', s.momentum ?? 0.9, 0, 0.999) };
  }
  const a = spec as Extract<OptimizerSpec, { name: 'adam' }>;
  const eps = finiteNumber('optimizer.eps', a.eps ?? 1e-8);
  if (!(eps > 0)) throw new EngineInputError('optimizer.eps', eps, 'a finite number > 0');
  return {
    name,
    lr,
    beta1: inRange('optimizer.beta1', a.beta1 ?? 0.9, 0, 0.999999),
    beta2: inRange('optimizer.beta2', a.beta2 ?? 0.999, 0, 0.999999),
    eps,
  };
}

/**
 * Creates an optimizer for parameters of the given sizes (state is allocated once, zeroed).
 *
 * `lrScale` (optional, one entry per parameter array) multiplies the learning rate of each array:
 * parameter `index` is updated with lr·lrScale[index], as a PyTorch parameter group with its own
 * `lr` would be (μP's per-layer learning rates). Omitted, every array uses `lr` itself, and the
 * updates are bit for bit those without the option (lr·1 is exact).
 * @throws EngineInputError for a bad spec, or an `lrScale` that is not one finite number ≥ 0 per array
 */
export function createOptimizer(
  spec: OptimizerSpec,
  sizes: readonly number[],
  lrScale?: readonly number[],
): Optimizer {
  const s = checkOptimizer(spec);
  if (lrScale !== undefined) {
    if (!Array.isArray(lrScale) || lrScale.length !== sizes.length) {
      throw new EngineInputError(
        'lrScale',
        lrScale,
        `one multiplier per parameter array (${sizes.length})`,
      );
    }
    lrScale.forEach((m, i) => {
      if (typeof m !== 'number' || !Number.isFinite(m) || m < 0) {
        throw new EngineInputError(`lrScale[${i}]`, m, 'a finite number ≥ 0');
      }
    });
  }
  const rateOf = (index: number): number => s.lr * (lrScale?.[index] ?? 1);
  const first = sizes.map((n) => new Float32Array(n));
  if (s.name === 'sgd') {
    const { momentum } = s;
    return {
      update(index, p, g, t) {
        const buf = first[index]!;
        const lr = rateOf(index);
        let sq = 0;
        for (let i = 0; i < p.length; i++) {
          const b = t === 1 ? g[i]! : momentum * buf[i]! + g[i]!;
          buf[i] = b;
          const before = p[i]!;
          p[i] = before - lr * b;
          const d = p[i]! - before;
          sq += d * d;
        }
        return sq;
      },
    };
  }
  const { beta1, beta2, eps } = s;
  const second = sizes.map((n) => new Float32Array(n));
  // β₁ᵗ and β₂ᵗ by repeated multiplication (exact IEEE operations, unlike Math.pow, so every
  // browser gets the same bits); steps arrive in order, so this is one multiply per step.
  let powT = 0;
  let pow1 = 1;
  let pow2 = 1;
  return {
    update(index, p, g, t) {
      if (t < powT) [powT, pow1, pow2] = [0, 1, 1];
      for (; powT < t; powT++) {
        pow1 *= beta1;
        pow2 *= beta2;
      }
      const m = first[index]!;
      const v = second[index]!;
      const lr = rateOf(index);
      const c1 = 1 - pow1;
      const c2 = 1 - pow2;
      let sq = 0;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        const before = p[i]!;
        p[i] = before - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
        const d = p[i]! - before;
        sq += d * d;
      }
      return sq;
    },
  };
}
