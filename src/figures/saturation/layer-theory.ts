/**
 * Mean-field marginals of each layer of a deep network, allowing biases with a nonzero mean (which
 * the engine's `meanField` leaves out): the distribution figures compare their histograms and
 * saturated or dead fractions against these.
 *
 * With W_ij ~ (0, σ_w²/n) and b_i ~ N(μ_b, σ_b²), in the wide limit a layer's pre-activations are
 * N(μ_b, v^l) across units and samples, with v^1 = σ_w²·E[x²] + σ_b² and
 * v^{l+1} = σ_w²·E[φ(pre^l)²] + σ_b²: the weights have mean 0, so only the second moment of the
 * activations below enters, and the bias adds its own mean and variance.
 *
 * @module
 */
import { activation as lookup } from '../../engine/activations';
import { gaussianExpectation } from '../../engine/quadrature';
import { erfc } from '../../engine/special';

/** One layer's predicted marginals. */
export interface LayerTheory {
  readonly layer: number;
  /** Pre-activations are N(preMean, preVariance). */
  readonly preMean: number;
  readonly preVariance: number;
  /** Mean and variance of the activations φ(pre). */
  readonly postMean: number;
  readonly postVariance: number;
  /** E[φ′(pre)²], the mean squared slope: what the backward pass multiplies by. */
  readonly slopeMeanSquare: number;
}

export interface LayerTheoryConfig {
  readonly activation: string;
  /** σ_w² = n·Var(w). */
  readonly sigmaW2: number;
  readonly biasMean?: number;
  readonly biasStd?: number;
  readonly depth: number;
  /** E[x²] of the inputs; default 1 (N(0, 1) inputs). */
  readonly inputMeanSquare?: number;
  /** Relative tolerance of the Gaussian expectations; default 1e-9 (figures need far less). */
  readonly rtol?: number;
}

/** Runs the recursion in the module notes for layers 1 … depth. */
export function layerTheory(config: LayerTheoryConfig): LayerTheory[] {
  const a = lookup(config.activation);
  const m = config.biasMean ?? 0;
  const b2 = (config.biasStd ?? 0) ** 2;
  const rtol = config.rtol ?? 1e-9;
  const square = (x: number): number => a.f(x) ** 2;
  const slope = (x: number): number => a.df(x) ** 2;
  let meanSquare = config.inputMeanSquare ?? 1;
  const out: LayerTheory[] = [];
  for (let layer = 1; layer <= config.depth; layer++) {
    const v = config.sigmaW2 * meanSquare + b2;
    if (!Number.isFinite(v)) {
      out.push({
        layer,
        preMean: m,
        preVariance: v,
        postMean: NaN,
        postVariance: NaN,
        slopeMeanSquare: NaN,
      });
      continue;
    }
    const e1 = gaussianExpectation(a.f, v, a.kinks, m, rtol);
    const e2 = gaussianExpectation(square, v, a.kinks, m, rtol);
    out.push({
      layer,
      preMean: m,
      preVariance: v,
      postMean: e1,
      postVariance: Math.max(0, e2 - e1 * e1),
      slopeMeanSquare: gaussianExpectation(slope, v, a.kinks, m, rtol),
    });
    meanSquare = e2;
  }
  return out;
}

/**
 * Second moment of ∂L/∂pre at each layer of a square network, relative to that of ∂L/∂h at the
 * last layer: going down, ∂L/∂pre^l = φ′(pre^l)·∂L/∂h^l and E[(∂L/∂h^{l−1})²] = σ_w²·E[(∂L/∂pre^l)²]
 * (the mean-field backward pass, valid when the backward signal is independent of the forward
 * weights, as under propagate's 'readout' loss).
 */
export function gradientTheory(layers: readonly LayerTheory[], sigmaW2: number): number[] {
  const out = new Array<number>(layers.length).fill(NaN);
  let post = 1;
  for (let i = layers.length - 1; i >= 0; i--) {
    out[i] = post * layers[i]!.slopeMeanSquare;
    post = out[i]! * sigmaW2;
  }
  return out;
}

/** P(Z < x) for Z ~ N(0, 1). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** P(N(m, v) < x), with v = 0 a point mass at m. */
function gaussianCdf(x: number, m: number, v: number): number {
  if (v === 0) return x > m ? 1 : 0;
  return normalCdf((x - m) / Math.sqrt(v));
}

/**
 * |pre| beyond which the engine counts a unit as saturated: |tanh(y)| > 0.97, or a sigmoid outside
 * [0.03, 0.97]. Null for activations without a saturation rule.
 */
export function saturationThreshold(activation: string): number | null {
  if (activation === 'tanh') return Math.atanh(0.97);
  if (activation === 'sigmoid') return Math.log(0.97 / 0.03);
  return null;
}

/**
 * The fraction the saturation figure plots, for pre-activations N(m, v): saturated units for
 * tanh and sigmoid, outputs exactly 0 (pre ≤ 0) for relu; null for other activations.
 */
export function expectedFraction(activation: string, m: number, v: number): number | null {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? null : activation === 'relu' ? 0.5 : 1;
  if (activation === 'relu') return v === 0 ? (m <= 0 ? 1 : 0) : normalCdf(-m / Math.sqrt(v));
  const t = saturationThreshold(activation);
  if (t === null) return null;
  return gaussianCdf(-t, m, v) + (1 - gaussianCdf(t, m, v));
}

/**
 * P(φ(pre) < y) for pre ~ N(m, v), for the monotone activations whose inverse is simple; null
 * for the others (their histograms are drawn without a prediction).
 */
export function activationCdf(
  activation: string,
  m: number,
  v: number,
): ((y: number) => number) | null {
  const cdf = (x: number): number => gaussianCdf(x, m, v);
  switch (activation) {
    case 'linear':
      return cdf;
    case 'relu':
      return (y) => (y <= 0 ? 0 : cdf(y));
    case 'leaky_relu':
      return (y) => cdf(y < 0 ? y / 0.01 : y);
    case 'tanh':
      return (y) => (y <= -1 ? 0 : y >= 1 ? 1 : cdf(Math.atanh(y)));
    case 'sigmoid':
      return (y) => (y <= 0 ? 0 : y >= 1 ? 1 : cdf(Math.log(y / (1 - y))));
    default:
      return null;
  }
}
