/**
 * How the coordinates of an MLP's layers move in the first step, as a power of the width n, under
 * the standard parametrization (SP) and μP, with SGD and Adam: what a coordinate check measures.
 *
 * Reference: Greg Yang, Edward J. Hu, Igor Babuschkin, Szymon Sidor, Xiaodong Liu, David Farhi,
 * Nick Ryder, Jakub Pachocki, Weizhu Chen, Jianfeng Gao, "Tensor Programs V: Tuning Large Neural
 * Networks via Zero-Shot Hyperparameter Transfer" (arXiv:2203.03466, 2022), Table 3 (the
 * parametrizations) and its coordinate check; the derivation below is ours.
 *
 * Setting. h₁ = W₁x + b₁ (input layer, fan_in d fixed), gₗ = φ(hₗ), hₗ₊₁ = Wₗ₊₁gₗ + bₗ₊₁ (hidden,
 * n × n), f = W_out g_L + b_out (output, K × n, K fixed); the loss's gradient χ = ∂L/∂f is Θ(1) at
 * init. "Size" is the typical magnitude of one coordinate (RMS or mean |·|) on a fixed batch, and
 * Δ is the change after step 1 on the batch the step was taken on. SP: every weight N(0, 1/fan_in),
 * one learning rate η. μP: Table 3 (see `mupLayers`): output weights of variance 1/n², SGD rates
 * η·n for input weights and biases, η/n for the output weights; Adam rates η/n for hidden and
 * output weights. On step 1 momentum plays no part (its buffer is the gradient) and Adam's step is
 * η·sign(gradient) per entry (m̂/√v̂ = g/|g|, ε negligible).
 *
 * Backward sizes: ∂L/∂g_L = W_outᵀχ has coordinates of W_out's size, σ_out = n^{-1/2} (SP) or
 * n^{-1} (μP); n × n hidden weights of variance 1/n keep it, so every ∂L/∂hₗ is of size σ_out.
 *
 * The change of a layer's output is ΔWₗ·g (its own update on its input) + Wₗ·Δg (its input's
 * change), the first summing fan_in products that all agree in sign because the update is built
 * from this input: SGD's ΔW = −η·δgᵀ gives ΔW·g = −η·δ·‖g‖², ‖g‖² ∝ fan_in; Adam's
 * ΔW = −η·sign(δgᵀ) gives −η·sign(δ)·‖g‖₁, ‖g‖₁ ∝ fan_in. Through a hidden matrix the second term
 * keeps its input's size (WWᵀ has Θ(1) eigenvalues); through the output matrix, whose fan_out K
 * is fixed, Δg_L carries a component along W_outᵀχ that sums coherently: W_out·Δg_L ∝
 * Σⱼ W_out,ⱼ·(W_out,ⱼ for SGD, or sign(W_out,ⱼ) for Adam) × (Δh_L's scale).
 *
 * - SP + SGD: input Δ ∝ η·σ_out·d = n^{-1/2}; hidden ∝ η·σ_out·n = n^{1/2}; output: ΔW_out·g ∝ n,
 *   W_out·Δg_L ∝ Σⱼ W_out,ⱼ²·η‖g‖² ∝ (n·σ_out²)·n = n: exponents −½, ½, 1.
 * - SP + Adam: input ∝ d = n⁰; hidden ∝ n; output: ΔW_out·g ∝ n and W_out·Δg_L ∝
 *   Σⱼ |W_out,ⱼ|·η‖g‖₁ ∝ (n·σ_out)·n = n^{3/2}, which dominates: exponents 0, 1, 3/2.
 * - μP + SGD: input ∝ (η·n)·n^{-1}·d = 1; hidden ∝ n^{-1}·n = 1; output ∝ (η/n)·n = 1 and
 *   W_out·Δg_L ∝ (n·n^{-2})·n = 1: all 0.
 * - μP + Adam: input ∝ d = 1; hidden ∝ (η/n)·n = 1; output ∝ (η/n)·n = 1 and
 *   W_out·Δg_L ∝ (n·n^{-1})·1 = 1: all 0.
 * At init every input and hidden output is Θ(1) (variance 1/fan_in), the output Θ(1) in SP and
 * Θ(n^{-1/2}) in μP (variance 1/n² summed over n). With μP's zero readout no gradient reaches the
 * hidden layers on step 1 (W_out = 0): only the output moves, by Θ(1).
 *
 * These are first-order (small-η) exponents, for a smooth or piecewise-linear φ with φ′ of order
 * one on the batch (tanh, ReLU, GELU, …); at a fixed η the SP ones hold until the change stops
 * being small against the layer's Θ(1) size.
 *
 * @module
 */
import type { MupLayerKind } from '../presets/mup';
import { EngineInputError, oneOf } from '../validate';

/** Which parametrization and optimizer, and μP's output init ('table', default, or 'zero'). */
export interface MupExponentConfig {
  readonly parametrization: 'sp' | 'mup';
  readonly optimizer: 'sgd' | 'adam';
  readonly readout?: 'table' | 'zero';
}

/**
 * Width exponents (size ∝ n^exponent) of one kind of layer's output; null where the quantity is
 * exactly zero (e.g. a zero readout at init).
 */
export interface MupExponents {
  /** Coordinate size at initialization. */
  readonly init: number | null;
  /** Coordinate size of the change after one step, Δ = y₁ − y₀. */
  readonly change: number | null;
  /** Coordinate size after one step: the larger of the two (what `mup`'s coord check plots at t = 2). */
  readonly after: number;
}

/**
 * The predicted width exponents of an MLP's input, hidden and output layers' coordinate sizes at
 * init and after one step (see the module note for the derivation):
 *
 * | change after step 1 | input | hidden | output |
 * | ------------------- | ----- | ------ | ------ |
 * | SP + SGD            | −1/2  | 1/2    | 1      |
 * | SP + Adam           | 0     | 1      | 3/2    |
 * | μP + SGD or Adam    | 0     | 0      | 0      |
 *
 * (μP with a zero readout: input and hidden exactly unchanged on step 1, output 0.) An activation
 * layer has its linear layer's exponents.
 * @throws EngineInputError for a bad config
 */
export function mupCoordinateExponents(c: MupExponentConfig): Record<MupLayerKind, MupExponents> {
  if (typeof c !== 'object' || c === null) {
    throw new EngineInputError(
      'config',
      c,
      "{ parametrization: 'sp' | 'mup', optimizer: 'sgd' | 'adam' }",
    );
  }
  const p = oneOf('parametrization', c.parametrization, ['sp', 'mup']);
  const opt = oneOf('optimizer', c.optimizer, ['sgd', 'adam']);
  const readout = oneOf('readout', c.readout ?? 'table', ['table', 'zero']);
  const kind = (init: number | null, change: number | null): MupExponents => ({
    init,
    change,
    after: Math.max(init ?? -Infinity, change ?? -Infinity),
  });
  if (p === 'sp') {
    const [input, hidden, output] = opt === 'sgd' ? [-0.5, 0.5, 1] : [0, 1, 1.5];
    return { input: kind(0, input), hidden: kind(0, hidden), output: kind(0, output) };
  }
  if (readout === 'zero') {
    return { input: kind(0, null), hidden: kind(0, null), output: kind(null, 0) };
  }
  return { input: kind(0, 0), hidden: kind(0, 0), output: kind(-0.5, 0) };
}

/**
 * Least-squares slope of log y against log x: the measured width exponent of sizes `y` at widths
 * `x` (both positive; a non-positive or non-finite y gives NaN).
 */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length < 2) {
    throw new EngineInputError('y', y, `as many sizes as widths (${x.length}), at least 2`);
  }
  if (y.some((v) => !(v > 0) || !Number.isFinite(v))) return NaN;
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}
