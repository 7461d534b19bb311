/**
 * Forward (and optionally backward) propagation of a random batch through a deep fully connected
 * network, with summaries of every layer: the numerical experiment behind the chapters.
 *
 * Network: h⁰ = x (the inputs, batch × n₀), and for layer l = 1 … depth
 *   pre_l = h^{l−1}·W_lᵀ + b_l,  W_l of shape (n_l, n_{l−1}) as in PyTorch,
 *   h^l = φ(pre_l), or h^l = h^s + α·φ(pre_l) when layer l ends a residual block.
 *
 * Residual blocks (`residual` set): layer 1 is always a plain stem. With `branch: 1` (default)
 * every later layer whose width equals its input's is a block x + α·φ(Wx + b). With `branch: 2`
 * layers pair up greedily from layer 2: (l, l+1) form a block x + α·φ(W₂φ(W₁x + b₁) + b₂) when
 * n_{l+1} = n_{l−1}; an unpaired layer is plain. `zeroInitLast` sets the last layer's W and b of
 * every block to 0 after drawing them (so the random stream, and every other layer, is unchanged).
 *
 * Random draw order, from one generator `createRng(seed)`: W_1 … W_depth (each by `weightInit`,
 * row-major), then b_1 … b_depth (`biasInit`, with context fanIn = n_{l−1}), then the inputs
 * (batch × n₀, row-major), then, for the 'mse' loss, the targets (batch × n_depth, N(0, 1)), or for
 * the 'readout' loss the readout vector v (n_depth, N(0, 1)).
 *
 * Losses, always divided by the batch size: 'sum' L = (1/B)·Σ h^depth (so ∂L/∂h^depth = 1/B
 * everywhere); 'mse' L = (1/B)·Σ_b ½‖h^depth_b − t_b‖²; 'readout' L = (1/B)·Σ_b v·h^depth_b with a
 * random readout v independent of the network.
 *
 * Which loss to compare with mean-field theory: the backward prediction assumes the gradient
 * flowing back is independent of the forward weights. An all-ones readout ('sum') breaks that for
 * activations whose derivative depends on the sign of the input (relu and its kin: E[W_ji·φ′(pre_j)]
 * ∝ h_i, so measured gradients grow by about e^0.15 per relu layer above the prediction), and 'mse'
 * feeds the forward output back. A random readout restores the independence (Yang 2020, "Tensor
 * Programs III"); with 'readout', E[(∂L/∂h^depth)²] = 1/B² exactly as for 'sum'.
 *
 * @module
 */

import { resolveActivation, type Activation } from './activations';
import { initTensor, type InitSpec } from './init';
import { createKernels } from './backend';
import { createRng, type Rng } from './rng';
import {
  summarize,
  summaryFromMoments,
  type HistogramBins,
  type Summary,
  type SummaryOptions,
} from './stats';
import {
  EngineInputError,
  MAX_ELEMENTS,
  checkMemory,
  finiteNumber,
  inRange,
  nonNegative,
  oneOf,
  positiveInt,
} from './validate';

/** How the inputs are drawn: mean and standard deviation of a stated distribution. */
export interface InputSpec {
  /** 'normal' (default), 'uniform' (U(mean ± √3·std)) or 'rademacher' (mean ± std). */
  readonly distribution?: 'normal' | 'uniform' | 'rademacher';
  /** Default 0. */
  readonly mean?: number;
  /** Default 1. */
  readonly std?: number;
  /** Input features n₀; default the first layer's width. */
  readonly width?: number;
}

/** Residual connections; see the module notes for the block structure. */
export interface ResidualSpec {
  /** Branch scale α in x + α·f(x). */
  readonly alpha: number;
  /** Linear layers per branch: 1 (default) or 2. */
  readonly branch?: 1 | 2;
  /** Zero the last layer (W and b) of every branch, as in Fixup/SkipInit-style schemes. */
  readonly zeroInitLast?: boolean;
}

/** Everything {@link propagate} needs. */
export interface PropagateConfig {
  /** Number of layers. */
  readonly depth: number;
  /** Units per layer: one number for all, or `depth` numbers. */
  readonly width: number | readonly number[];
  /** Samples propagated together. */
  readonly batch: number;
  /** Activation name (see `ACTIVATIONS`), or an {@link Activation} such as a compiled formula. */
  readonly activation: string | Activation;
  /** leaky_relu slope / elu α. */
  readonly activationParam?: number;
  /** Weight initializer. */
  readonly weightInit: InitSpec;
  /** Bias initializer; default zeros. */
  readonly biasInit?: InitSpec;
  /** Input distribution; default N(0, 1) with n₀ = the first width. */
  readonly input?: InputSpec;
  /** Seed of the single random stream (see the module notes for the draw order). */
  readonly seed: number;
  /** Also run the backward pass; default false. */
  readonly backward?: boolean;
  /** Loss for the backward pass; default 'sum'. */
  readonly loss?: 'sum' | 'mse' | 'readout';
  /** Residual blocks; default none. */
  readonly residual?: ResidualSpec;
  /** Histogram bins for every summary; default `symlogEdges()`. */
  readonly histogramBins?: HistogramBins;
  /** Quantile levels for every summary; default `DEFAULT_QUANTILES`. */
  readonly quantiles?: readonly number[];
  /**
   * 'full' (default) or 'moments': summaries without histograms and quantiles (their arrays come
   * back empty), for callers that plot only moments and want the speed.
   */
  readonly summaries?: 'full' | 'moments';
}

/** One layer's summaries. Gradient fields are present only with `backward: true`. */
export interface LayerResult {
  /** 1-based layer number. */
  readonly layer: number;
  /** n_{l−1} and n_l. */
  readonly fanIn: number;
  readonly width: number;
  /** Layer whose output is added back (0 = the inputs), or null for a plain layer. */
  readonly skipFrom: number | null;
  /** pre_l = h^{l−1}·W_lᵀ + b_l. */
  readonly pre: Summary;
  /** h^l, the layer's output (including the skip connection for a block end). */
  readonly post: Summary;
  /** Mean of W_l², the realised weight variance (about σ_w²/fanIn). */
  readonly weightMeanSquare: number;
  readonly gradPre?: Summary;
  readonly gradPost?: Summary;
  readonly gradWeight?: Summary;
  readonly gradBias?: Summary;
  /** ‖∂L/∂W_l‖_F / ‖W_l‖_F: relative size of a gradient step; Infinity when W_l = 0. */
  readonly gradWeightRatio?: number;
}

/** Result of {@link propagate}. */
export interface PropagateResult {
  /** One entry per layer, layer 1 first. */
  readonly layers: LayerResult[];
  /** Summary of the inputs h⁰. */
  readonly input: Summary;
  /** Loss value (only with `backward: true`). */
  readonly loss?: number;
  /** Non-finite entries over all pre- and post-activations (overflow is reported, not thrown). */
  readonly nonFinite: number;
}

/** Progress after each layer, yielded by {@link propagateSteps}. */
export interface PropagateProgress {
  readonly phase: 'forward' | 'backward';
  /** Layers finished in this phase. */
  readonly layer: number;
  /** Layers in the phase (= depth). */
  readonly of: number;
}

/** Validated, defaulted configuration. */
interface Plan {
  depth: number;
  widths: number[]; // widths[0] = n₀ (inputs), widths[l] = n_l
  batch: number;
  act: Activation;
  weightInit: InitSpec;
  biasInit: InitSpec;
  input: Required<Omit<InputSpec, 'width'>>;
  seed: number;
  backward: boolean;
  loss: 'sum' | 'mse' | 'readout';
  alpha: number;
  skipFrom: (number | null)[]; // per layer, index 1 … depth
  zeroInitLast: boolean;
  options: SummaryOptions;
}

function validate(config: PropagateConfig): Plan {
  if (typeof config !== 'object' || config === null) {
    throw new EngineInputError('config', config, 'a PropagateConfig object');
  }
  const depth = positiveInt('depth', config.depth, 10_000);
  const batch = positiveInt('batch', config.batch);
  const w = config.width;
  let widths: number[];
  if (Array.isArray(w)) {
    if (w.length !== depth) {
      throw new EngineInputError('width', w, `a number or an array of depth = ${depth} widths`);
    }
    widths = w.map((n, i) => positiveInt(`width[${i}]`, n));
  } else {
    widths = new Array<number>(depth).fill(positiveInt('width', w));
  }
  const inp = config.input ?? {};
  const n0 = inp.width === undefined ? widths[0]! : positiveInt('input.width', inp.width);
  widths = [n0, ...widths];
  const act = resolveActivation(config.activation, config.activationParam);
  const input = {
    distribution: oneOf('input.distribution', inp.distribution ?? 'normal', [
      'normal',
      'uniform',
      'rademacher',
    ]),
    mean: finiteNumber('input.mean', inp.mean ?? 0),
    std: nonNegative('input.std', inp.std ?? 1),
  };
  const seed = finiteNumber('seed', config.seed);
  const backward = config.backward ?? false;
  if (typeof backward !== 'boolean') throw new EngineInputError('backward', backward, 'a boolean');
  const loss = oneOf('loss', config.loss ?? 'sum', ['sum', 'mse', 'readout']);
  const res = config.residual;
  const alpha = res === undefined ? 1 : finiteNumber('residual.alpha', res.alpha);
  const branch = res?.branch ?? 1;
  if (branch !== 1 && branch !== 2) throw new EngineInputError('residual.branch', branch, '1 or 2');
  const skipFrom: (number | null)[] = new Array<number | null>(depth + 1).fill(null);
  if (res !== undefined) {
    for (let l = 2; l <= depth;) {
      if (branch === 1 && widths[l] === widths[l - 1]) skipFrom[l] = l - 1;
      if (branch === 2 && l < depth && widths[l + 1] === widths[l - 1]) {
        skipFrom[l + 1] = l - 1;
        l += 2;
      } else l += 1;
    }
  }
  return {
    depth,
    widths,
    batch,
    act,
    weightInit: checkInit('weightInit', config.weightInit, n0),
    biasInit: checkInit('biasInit', config.biasInit ?? { name: 'zeros' }, n0),
    input,
    seed,
    backward,
    loss,
    alpha,
    skipFrom,
    zeroInitLast: res?.zeroInitLast ?? false,
    options: {
      ...(config.quantiles === undefined ? {} : { quantiles: checkLevels(config.quantiles) }),
      ...(config.histogramBins === undefined ? {} : { bins: checkBins(config.histogramBins) }),
      detail: oneOf('summaries', config.summaries ?? 'full', ['full', 'moments']),
    },
  };
}

/** Dry-runs an initializer on a 2×2 weight (or 2-entry bias) to surface bad specs early. */
function checkInit(param: string, spec: InitSpec, fanIn: number): InitSpec {
  if (typeof spec !== 'object' || spec === null) {
    throw new EngineInputError(param, spec, 'an InitSpec such as { name: "normal", std: 0.1 }');
  }
  const shape = param === 'biasInit' ? [2] : [2, 2];
  try {
    initTensor(shape, spec, createRng(0), { fanIn });
  } catch (e) {
    if (!(e instanceof EngineInputError)) throw e;
    const inner = e.param === 'init' ? '' : `.${e.param}`;
    throw new EngineInputError(`${param}${inner}`, e.received, e.allowed);
  }
  return spec;
}

function checkLevels(levels: readonly number[]): number[] {
  if (!Array.isArray(levels)) throw new EngineInputError('quantiles', levels, 'an array');
  return levels.map((p, i) => inRange(`quantiles[${i}]`, p, 0, 1));
}

function checkBins(bins: HistogramBins): HistogramBins {
  if (typeof bins === 'object' && bins !== null && 'edges' in bins && Array.isArray(bins.edges)) {
    const e = bins.edges;
    e.forEach((v, i) => finiteNumber(`histogramBins.edges[${i}]`, v));
    if (e.length < 2 || e.some((v, i) => i > 0 && v <= e[i - 1]!)) {
      throw new EngineInputError('histogramBins.edges', e, 'at least 2 increasing numbers');
    }
    return bins;
  }
  if (typeof bins !== 'object' || bins === null || !('count' in bins)) {
    throw new EngineInputError('histogramBins', bins, '{ edges } or { min, max, count }');
  }
  const min = finiteNumber('histogramBins.min', bins.min);
  const max = finiteNumber('histogramBins.max', bins.max);
  if (!(max > min)) throw new EngineInputError('histogramBins.max', max, `a number > ${min}`);
  return { min, max, count: positiveInt('histogramBins.count', bins.count, 10_000) };
}

/** Counts float32 entries before allocating any: all weights/biases, inputs, per-layer buffers. */
function checkBudget(p: Plan): void {
  const { widths, batch, depth } = p;
  let total = batch * widths[0]!;
  for (let l = 1; l <= depth; l++) {
    checkMemory('width', widths[l]! * widths[l - 1]!);
    checkMemory('batch', batch * widths[l]!);
    total += widths[l]! * widths[l - 1]! + widths[l]!;
    // Forward keeps every h^l only when the backward pass needs it (plus φ′(pre_l)).
    total += p.backward ? 2 * batch * widths[l]! : 0;
  }
  const widest = Math.max(...widths);
  total += 4 * batch * widest + (p.backward ? widest * widest + 2 * batch * widest : 0);
  if (total > MAX_ELEMENTS) checkMemory(depth > 1 ? 'depth' : 'width', total);
}

/** Draws the inputs h⁰ (or targets) from `rng`. */
function drawInput(rng: Rng, n: number, spec: Plan['input']): Float32Array {
  const out = new Float32Array(n);
  const { mean, std } = spec;
  if (spec.distribution === 'normal') return rng.normalArray(out, mean, std);
  if (spec.distribution === 'uniform') {
    return rng.uniformArray(out, mean - Math.sqrt(3) * std, mean + Math.sqrt(3) * std);
  }
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < 0.5 ? mean - std : mean + std;
  return out;
}

const sumSquares = (a: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
};

/**
 * Propagates step by step: yields progress after each layer of each phase and returns the
 * result. Validation happens immediately (the call throws), not at the first `next()`.
 * @throws EngineInputError for any invalid or over-budget configuration
 */
export function propagateSteps(
  config: PropagateConfig,
): Generator<PropagateProgress, PropagateResult, void> {
  const plan = validate(config);
  checkBudget(plan);
  return run(plan);
}

/**
 * Propagates a seeded random batch through the network and summarises every layer.
 * Synchronous and pure: the same config gives the same result.
 * @throws EngineInputError for any invalid or over-budget configuration
 */
export function propagate(config: PropagateConfig): PropagateResult {
  const steps = propagateSteps(config);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

function* run(p: Plan): Generator<PropagateProgress, PropagateResult, void> {
  const { depth, widths: n, batch: B, act, options } = p;
  const rng = createRng(p.seed);
  const k = createKernels();
  const W: Float32Array[] = [new Float32Array(0)];
  const b: Float32Array[] = [new Float32Array(0)];
  for (let l = 1; l <= depth; l++) W.push(initTensor([n[l]!, n[l - 1]!], p.weightInit, rng));
  for (let l = 1; l <= depth; l++) {
    b.push(initTensor([n[l]!], p.biasInit, rng, { fanIn: n[l - 1]! }));
  }
  if (p.zeroInitLast) {
    for (let l = 1; l <= depth; l++) {
      if (p.skipFrom[l] !== null) {
        W[l]!.fill(0);
        b[l]!.fill(0);
      }
    }
  }
  const h: Float32Array[] = [drawInput(rng, B * n[0]!, p.input)];
  const targets =
    p.backward && p.loss === 'mse'
      ? rng.normalArray(new Float32Array(B * n[depth]!))
      : new Float32Array(0);
  const readout =
    p.backward && p.loss === 'readout'
      ? rng.normalArray(new Float32Array(n[depth]!))
      : new Float32Array(0);

  const input = summarize(h[0]!, B, n[0]!, options);
  const layers: LayerResult[] = [];
  const deriv: Float32Array[] = [new Float32Array(0)];
  let nonFinite = 0;
  for (let l = 1; l <= depth; l++) {
    const size = B * n[l]!;
    const pre = new Float32Array(size);
    const post = new Float32Array(size);
    const d = p.backward ? new Float32Array(size) : null;
    const s = p.skipFrom[l] ?? null;
    // The fused layer (wasm) also takes the moments while the data is at hand; after a skip
    // connection the activations change, so theirs are taken below.
    const postRule = s === null ? act.saturation : 'none';
    const fused =
      k.forwardLayer?.(
        h[l - 1]!,
        W[l]!,
        b[l]!,
        pre,
        post,
        d,
        B,
        n[l]!,
        n[l - 1]!,
        act,
        options.detail === 'moments'
          ? { pre: options.saturation ?? 'none', post: s === null ? postRule : null }
          : null,
      ) ?? false;
    if (fused === false) {
      k.matmul(h[l - 1]!, W[l]!, pre, B, n[l]!, n[l - 1]!);
      k.biasActivation(pre, b[l]!, post, d, B, n[l]!, act);
    }
    if (s !== null) {
      const x = h[s]!;
      for (let i = 0; i < size; i++) post[i] = x[i]! + p.alpha * post[i]!;
    }
    h.push(post);
    deriv.push(d ?? new Float32Array(0));
    // Without a backward pass only the last two outputs can still feed a skip connection.
    if (!p.backward && l >= 3) h[l - 3] = new Float32Array(0);
    const preS =
      fused && fused.pre
        ? summaryFromMoments(fused.pre, size, options.saturation ?? 'none')
        : summarize(pre, B, n[l]!, options);
    const postS =
      fused && fused.post
        ? summaryFromMoments(fused.post, size, postRule)
        : summarize(post, B, n[l]!, { ...options, saturation: postRule });
    nonFinite += preS.nonFinite + postS.nonFinite;
    layers.push({
      layer: l,
      fanIn: n[l - 1]!,
      width: n[l]!,
      skipFrom: s,
      pre: preS,
      post: postS,
      weightMeanSquare: sumSquares(W[l]!) / W[l]!.length,
    });
    yield { phase: 'forward', layer: l, of: depth };
  }
  if (!p.backward) return { layers, input, nonFinite };

  // Backward pass. gradPost[l] = ∂L/∂h^l accumulates the direct path and any skip connections.
  const out = h[depth]!;
  const gradPost: (Float32Array | undefined)[] = [];
  const top = new Float32Array(out.length);
  let loss = 0;
  for (let i = 0; i < out.length; i++) {
    if (p.loss === 'sum') {
      loss += out[i]! / B;
      top[i] = 1 / B;
    } else if (p.loss === 'readout') {
      const v = readout[i % n[depth]!]!;
      loss += (v * out[i]!) / B;
      top[i] = v / B;
    } else {
      const r = out[i]! - targets[i]!;
      loss += (0.5 * r * r) / B;
      top[i] = r / B;
    }
  }
  gradPost[depth] = top;
  for (let l = depth; l >= 1; l--) {
    const g = gradPost[l]!;
    const size = g.length;
    const s = p.skipFrom[l] ?? null;
    const scale = s === null ? 1 : p.alpha;
    const d = deriv[l]!;
    const below = l > 1 ? new Float32Array(B * n[l - 1]!) : null;
    // The fused layer (wasm) keeps gPre and dW inside the kernel and returns their moments; a dW
    // that is not all finite needs Σ dW² with the TypeScript semantics, so that case runs plainly.
    const wCount = n[l]! * n[l - 1]!;
    const fusedB =
      options.detail === 'moments'
        ? (k.backwardLayer?.(g, d, scale, h[l - 1]!, W[l]!, below, B, n[l]!, n[l - 1]!) ?? false)
        : false;
    const fused = fusedB && fusedB.gradWeight.count === wCount ? fusedB : false;
    let summaries: Pick<LayerResult, 'gradPre' | 'gradPost' | 'gradWeight' | 'gradBias'>;
    let gNorm: number;
    if (fused) {
      summaries = {
        gradPre: summaryFromMoments(fused.gradPre, size, 'none'),
        gradPost: summaryFromMoments(fused.gradPost, size, 'none'),
        gradWeight: summaryFromMoments(fused.gradWeight, wCount, 'none'),
        gradBias: summaryFromMoments(fused.gradBias, n[l]!, 'none'),
      };
      gNorm = Math.sqrt(fused.gradWeight.squares);
    } else {
      const gPre = new Float32Array(size);
      for (let i = 0; i < size; i++) gPre[i] = scale * g[i]! * d[i]!;
      const gW = new Float32Array(wCount);
      k.matmulGradWeight(gPre, h[l - 1]!, gW, B, n[l]!, n[l - 1]!);
      const gB = new Float32Array(n[l]!);
      for (let r = 0; r < B; r++)
        for (let c = 0; c < n[l]!; c++) gB[c] = gB[c]! + gPre[r * n[l]! + c]!;
      if (below !== null) k.matmulGradInput(gPre, W[l]!, below, B, n[l]!, n[l - 1]!);
      summaries = {
        gradPre: summarize(gPre, B, n[l]!, options),
        gradPost: summarize(g, B, n[l]!, options),
        gradWeight: summarize(gW, n[l]!, n[l - 1]!, options),
        gradBias: summarize(gB, 1, n[l]!, options),
      };
      gNorm = Math.sqrt(sumSquares(gW));
    }
    if (below !== null) {
      const prev = gradPost[l - 1];
      if (prev !== undefined)
        for (let i = 0; i < below.length; i++) below[i] = below[i]! + prev[i]!;
      gradPost[l - 1] = below;
    }
    if (s !== null && s > 0) {
      const acc = gradPost[s] ?? new Float32Array(size);
      for (let i = 0; i < size; i++) acc[i] = acc[i]! + g[i]!;
      gradPost[s] = acc;
    }
    const wNorm = Math.sqrt(sumSquares(W[l]!));
    layers[l - 1] = {
      ...layers[l - 1]!,
      ...summaries,
      gradWeightRatio: wNorm > 0 ? gNorm / wNorm : gNorm > 0 ? Infinity : 0,
    };
    gradPost[l] = undefined;
    yield { phase: 'backward', layer: depth - l + 1, of: depth };
  }
  return { layers, input, loss, nonFinite };
}
