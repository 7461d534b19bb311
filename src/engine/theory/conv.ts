/**
 * The variance rule of a stack of random convolutions: what the dense mean-field step predicts,
 * applied to conv layers with fan_in = (C_in / groups)·k², and with zero padding's lower fan at
 * the border accounted for exactly.
 *
 * A conv output at position p is y_p = Σ_{c, taps t in bounds} W_{c,t}·x_{c, p+t} + b. With weights
 * of zero mean and variance Var(W), independent of x and of each other, E[y_p²] =
 * Var(W)·(C_in/groups)·Σ_{t in bounds} E[x²]_{p+t} + Var(b): in the interior every k² taps count
 * and this is the dense rule q = σ_w²·E[x²] + σ_b² with σ_w² = fan_in·Var(W); at the border zero
 * padding drops the taps that fall outside, so border positions receive less. The rule is exact in
 * expectation for the conv itself at any width. Through an activation φ the next layer's E[x²] at
 * each position is E[φ(√q z)²] (the mean-field Gaussian assumption; exact for ReLU and other
 * positively homogeneous φ whenever y is symmetric, which zero-mean symmetric weights give).
 *
 * `border: 'exact'` (default) tracks the map of E[y²] over positions layer by layer (it is the same
 * for every channel) and reports its mean over positions, which is what a layer's measured E[y²]
 * over batch, channels and positions estimates. `border: 'ignore'` is the dense rule alone, as if
 * every position were interior (right for padding 0, or for images much larger than the depth
 * times the padding).
 *
 * References: He, Zhang, Ren, Sun, "Delving Deep into Rectifiers", ICCV 2015 (the rule with
 * n_l = k²·c for conv layers); Poole et al., "Exponential expressivity in deep neural networks
 * through transient chaos", NeurIPS 2016 (the q-map).
 *
 * @module
 */
import type { Activation } from '../activations';
import { meanFieldStep } from '../meanfield';
import type { ConvnetOptions } from '../presets/convnet';
import { EngineInputError, nonNegative, positiveInt } from '../validate';

/** One conv layer of {@link convVariance}, with the activation applied to its output. */
export interface ConvVarianceLayer {
  /** Output channels. */
  readonly out: number;
  readonly kernel: number;
  /** Default 1. */
  readonly stride?: number;
  /** Zero padding; default 0. */
  readonly padding?: number;
  /** Default 1. */
  readonly dilation?: number;
  /** Default 1. */
  readonly groups?: number;
  /** Variance of every weight entry (e.g. 2/fan_in for He). */
  readonly weightVariance: number;
  /** Variance of every bias entry; default 0. */
  readonly biasVariance?: number;
  /** Applied to this layer's output before the next layer (default none). */
  readonly activation?: string | Activation;
  readonly activationParam?: number;
}

/** Inputs of {@link convVariance}. */
export interface ConvVarianceConfig {
  /** Per-sample input shape [C, H, W]. */
  readonly inputShape: readonly number[];
  /** E[x²] of the input's entries (1 for N(0, 1) inputs). */
  readonly inputMeanSquare: number;
  readonly layers: readonly ConvVarianceLayer[];
  /** 'exact' (default): zero padding's border accounted for; 'ignore': the dense rule alone. */
  readonly border?: 'exact' | 'ignore';
}

/** The prediction for one conv layer. */
export interface ConvVarianceResult {
  /** Output shape [C_out, H_out, W_out]. */
  readonly shape: readonly [number, number, number];
  /** (C_in/groups)·k². */
  readonly fanIn: number;
  /** σ_w² = fan_in·Var(W). */
  readonly sigmaW2: number;
  /** Mean over output positions of the in-bounds taps times C_in/groups (= fanIn without padding). */
  readonly effectiveFanIn: number;
  /** Predicted E[y²] of the conv's output, averaged over channels and positions. */
  readonly meanSquare: number;
  /** Predicted E[φ(y)²] after the layer's activation (= meanSquare without one). */
  readonly postMeanSquare: number;
}

const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;

/**
 * Predicts E[y²] layer by layer through a stack of random conv layers (see the module note).
 * @throws EngineInputError for a bad shape, geometry, variance or activation
 */
export function convVariance(config: ConvVarianceConfig): ConvVarianceResult[] {
  const shape = config.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new EngineInputError('inputShape', shape, 'a [channels, height, width] shape');
  }
  let [c, h, w] = shape.map((d, i) => positiveInt(`inputShape[${i}]`, d)) as [
    number,
    number,
    number,
  ];
  const border = config.border ?? 'exact';
  if (border !== 'exact' && border !== 'ignore') {
    throw new EngineInputError('border', border, "'exact' or 'ignore'");
  }
  let m: Float64Array = new Float64Array(h * w).fill(
    nonNegative('inputMeanSquare', config.inputMeanSquare),
  );
  const out: ConvVarianceResult[] = [];
  config.layers.forEach((l, i) => {
    const at = `layers[${i}]`;
    const k = positiveInt(`${at}.kernel`, l.kernel);
    const s = positiveInt(`${at}.stride`, l.stride ?? 1);
    const p = nonNegative(`${at}.padding`, l.padding ?? 0);
    const d = positiveInt(`${at}.dilation`, l.dilation ?? 1);
    const g = positiveInt(`${at}.groups`, l.groups ?? 1);
    const co = positiveInt(`${at}.out`, l.out);
    if (c % g !== 0 || co % g !== 0) {
      throw new EngineInputError(`${at}.groups`, g, `a divisor of ${c} and ${co}`);
    }
    const vw = nonNegative(`${at}.weightVariance`, l.weightVariance);
    const vb = nonNegative(`${at}.biasVariance`, l.biasVariance ?? 0);
    const ho = Math.floor((h + 2 * p - d * (k - 1) - 1) / s) + 1;
    const wo = Math.floor((w + 2 * p - d * (k - 1) - 1) / s) + 1;
    if (ho < 1 || wo < 1) {
      throw new EngineInputError(
        `${at}.kernel`,
        k,
        `a kernel that fits the padded ${h}×${w} input`,
      );
    }
    const cg = c / g;
    const q = new Float64Array(ho * wo);
    let taps = 0;
    if (border === 'ignore') {
      q.fill(vw * cg * k * k * mean(m) + vb);
      taps = k * k * ho * wo;
    } else {
      for (let oi = 0; oi < ho; oi++) {
        for (let oj = 0; oj < wo; oj++) {
          let sum = 0;
          for (let a = 0; a < k; a++) {
            const ii = oi * s - p + a * d;
            if (ii < 0 || ii >= h) continue;
            for (let e = 0; e < k; e++) {
              const jj = oj * s - p + e * d;
              if (jj < 0 || jj >= w) continue;
              sum += m[ii * w + jj]!;
              taps++;
            }
          }
          q[oi * wo + oj] = vw * cg * sum + vb;
        }
      }
    }
    const next = post(q, l.activation, l.activationParam);
    out.push({
      shape: [co, ho, wo],
      fanIn: cg * k * k,
      sigmaW2: cg * k * k * vw,
      effectiveFanIn: (cg * taps) / (ho * wo),
      meanSquare: mean(q),
      postMeanSquare: mean(next),
    });
    [c, h, w] = [co, ho, wo];
    m = next;
  });
  return out;
}

/** E[φ(√q z)²] at every position (the identity without φ), each distinct q integrated once. */
function post(
  q: Float64Array,
  activation: string | Activation | undefined,
  activationParam: number | undefined,
): Float64Array {
  if (activation === undefined) return q.slice();
  const memo = new Map<number, number>();
  return q.map((v) => {
    let r = memo.get(v);
    if (r === undefined) {
      r = meanFieldStep({
        activation,
        ...(activationParam === undefined ? {} : { activationParam }),
        sigmaW2: 1,
        sigmaB2: 0,
        q: v,
      }).q;
      memo.set(v, r);
    }
    return r;
  });
}

/**
 * {@link convVariance} for the `convnet` preset's plain stacks at the same options: N(0, 1) inputs,
 * every conv 3×3 with padding 1 followed by ReLU, weight variances 2/fan_in ('he'),
 * 2/(fan_in + fan_out) ('xavier') or 1/(3·fan_in) with bias variance 1/(3·fan_in) ('torch').
 * One entry per conv layer, in order.
 * @throws EngineInputError for residual or batchnorm options (not covered by this rule)
 */
export function convnetVariance(
  options: ConvnetOptions = {},
  border: 'exact' | 'ignore' = 'exact',
): ConvVarianceResult[] {
  if (options.residual === true || options.batchnorm === true) {
    throw new EngineInputError(
      'options',
      { residual: options.residual, batchnorm: options.batchnorm },
      'a plain stack without batchnorm (residual: false, batchnorm: false)',
    );
  }
  const depth = positiveInt('depth', options.depth ?? 30);
  const channels = positiveInt('channels', options.channels ?? 16);
  const inChannels = positiveInt('inChannels', options.inChannels ?? 3);
  const size = positiveInt('imageSize', options.imageSize ?? 32);
  const init = options.init ?? 'he';
  const layers: ConvVarianceLayer[] = [];
  for (let l = 0; l < depth; l++) {
    const cin = l === 0 ? inChannels : channels;
    const fanIn = cin * 9;
    const fanOut = channels * 9;
    const torch = 1 / (3 * fanIn);
    layers.push({
      out: channels,
      kernel: 3,
      padding: 1,
      weightVariance: init === 'he' ? 2 / fanIn : init === 'xavier' ? 2 / (fanIn + fanOut) : torch,
      biasVariance: init === 'torch' ? torch : 0,
      activation: 'relu',
    });
  }
  return convVariance({ inputShape: [inChannels, size, size], inputMeanSquare: 1, layers, border });
}
