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
import type { Kernels } from './kernels';
import { createRng, type Rng } from './rng';
import { checkBins, checkLevels } from './summary-options';
import { mergeMoments, rowMoments, rowsWithFinite, type RowMoments } from './row-moments';
import {
  summarize,
  summaryFromMoments,
  type RawMoments,
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
  /**
   * Present when the batch was split into this many parts (computed apart, e.g. by two workers)
   * and merged by {@link mergePropagateParts}; absent when computed in one piece.
   */
  readonly batchParts?: number;
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
): Generator<PropagateProgress, PropagateResult, unknown> {
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

/** The seeded draws of a run, in the documented order; every part of a split batch makes the same. */
interface Network {
  readonly W: Float32Array[];
  readonly b: Float32Array[];
  /** All inputs h⁰ (batch × n₀). */
  readonly input: Float32Array;
  /** 'mse' targets (batch × n_depth), else empty. */
  readonly targets: Float32Array;
  /** 'readout' vector (n_depth), else empty. */
  readonly readout: Float32Array;
}

function drawNetwork(p: Plan): Network {
  const { depth, widths: n, batch: B } = p;
  const rng = createRng(p.seed);
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
  const input = drawInput(rng, B * n[0]!, p.input);
  const targets =
    p.backward && p.loss === 'mse'
      ? rng.normalArray(new Float32Array(B * n[depth]!))
      : new Float32Array(0);
  const readout =
    p.backward && p.loss === 'readout'
      ? rng.normalArray(new Float32Array(n[depth]!))
      : new Float32Array(0);
  return { W, b, input, targets, readout };
}

/** One layer forward over `rows` samples; the moments come back when the fused kernel took them. */
interface ForwardStep {
  readonly pre: Float32Array;
  readonly post: Float32Array;
  readonly deriv: Float32Array | null;
  readonly preMoments: RawMoments | null;
  readonly postMoments: RawMoments | null;
  /** Saturation rule of the post summary: none after a skip connection (h is no longer φ). */
  readonly postRule: 'tanh' | 'sigmoid' | 'none';
}

function forwardStep(
  k: Kernels,
  p: Plan,
  l: number,
  x: Float32Array,
  net: Network,
  skip: Float32Array | null,
  rows: number,
): ForwardStep {
  const { widths: n, act, options } = p;
  const size = rows * n[l]!;
  const pre = new Float32Array(size);
  const post = new Float32Array(size);
  const deriv = p.backward ? new Float32Array(size) : null;
  // The fused layer (wasm) also takes the moments while the data is at hand; after a skip
  // connection the activations change, so theirs are taken afterwards.
  const postRule = skip === null ? act.saturation : 'none';
  const fused =
    k.forwardLayer?.(
      x,
      net.W[l]!,
      net.b[l]!,
      pre,
      post,
      deriv,
      rows,
      n[l]!,
      n[l - 1]!,
      act,
      options.detail === 'moments'
        ? { pre: options.saturation ?? 'none', post: skip === null ? postRule : null }
        : null,
    ) ?? false;
  if (fused === false) {
    k.matmul(x, net.W[l]!, pre, rows, n[l]!, n[l - 1]!);
    k.biasActivation(pre, net.b[l]!, post, deriv, rows, n[l]!, act);
  }
  if (skip !== null) {
    for (let i = 0; i < size; i++) post[i] = skip[i]! + p.alpha * post[i]!;
  }
  return {
    pre,
    post,
    deriv,
    preMoments: fused ? (fused.pre ?? null) : null,
    postMoments: fused ? (fused.post ?? null) : null,
    postRule,
  };
}

/**
 * ∂L/∂h^depth for a block of rows of the output, and their share of the loss. Every loss is
 * divided by the whole batch, so blocks of a split batch add up to the whole.
 */
function topGradient(
  p: Plan,
  out: Float32Array,
  targets: Float32Array,
  readout: Float32Array,
): { readonly top: Float32Array; readonly loss: number } {
  const B = p.batch;
  const width = p.widths[p.depth]!;
  const top = new Float32Array(out.length);
  let loss = 0;
  for (let i = 0; i < out.length; i++) {
    if (p.loss === 'sum') {
      loss += out[i]! / B;
      top[i] = 1 / B;
    } else if (p.loss === 'readout') {
      const v = readout[i % width]!;
      loss += (v * out[i]!) / B;
      top[i] = v / B;
    } else {
      const r = out[i]! - targets[i]!;
      loss += (0.5 * r * r) / B;
      top[i] = r / B;
    }
  }
  return { top, loss };
}

/** gPre = scale·g·φ′, dW = gPreᵀ·x, db = Σ_rows gPre and (into `below`) dX = gPre·W. */
function plainBackward(
  k: Kernels,
  g: Float32Array,
  deriv: Float32Array,
  scale: number,
  x: Float32Array,
  W: Float32Array,
  below: Float32Array | null,
  rows: number,
  width: number,
  fanIn: number,
): { readonly gPre: Float32Array; readonly gW: Float32Array; readonly gB: Float32Array } {
  const size = rows * width;
  const gPre = new Float32Array(size);
  for (let i = 0; i < size; i++) gPre[i] = scale * g[i]! * deriv[i]!;
  const gW = new Float32Array(width * fanIn);
  k.matmulGradWeight(gPre, x, gW, rows, width, fanIn);
  const gB = new Float32Array(width);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < width; c++) gB[c] = gB[c]! + gPre[r * width + c]!;
  if (below !== null) k.matmulGradInput(gPre, W, below, rows, width, fanIn);
  return { gPre, gW, gB };
}

/**
 * Sends layer l's gradients down: dX (`below`) to h^{l−1}, and g itself along the skip connection
 * to h^s, adding to what already arrived there.
 */
function routeGradient(
  gradPost: (Float32Array | undefined)[],
  l: number,
  g: Float32Array,
  below: Float32Array | null,
  s: number | null,
): void {
  if (below !== null) {
    const prev = gradPost[l - 1];
    if (prev !== undefined) for (let i = 0; i < below.length; i++) below[i] = below[i]! + prev[i]!;
    gradPost[l - 1] = below;
  }
  if (s !== null && s > 0) {
    const acc = gradPost[s] ?? new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) acc[i] = acc[i]! + g[i]!;
    gradPost[s] = acc;
  }
  gradPost[l] = undefined;
}

function* run(p: Plan): Generator<PropagateProgress, PropagateResult, unknown> {
  const { depth, widths: n, batch: B, options } = p;
  const k = createKernels();
  const net = drawNetwork(p);
  const h: Float32Array[] = [net.input];
  const input = summarize(h[0]!, B, n[0]!, options);
  const layers: LayerResult[] = [];
  const deriv: Float32Array[] = [new Float32Array(0)];
  let nonFinite = 0;
  for (let l = 1; l <= depth; l++) {
    const s = p.skipFrom[l] ?? null;
    const f = forwardStep(k, p, l, h[l - 1]!, net, s === null ? null : h[s]!, B);
    h.push(f.post);
    deriv.push(f.deriv ?? new Float32Array(0));
    // Without a backward pass only the last two outputs can still feed a skip connection.
    if (!p.backward && l >= 3) h[l - 3] = new Float32Array(0);
    const size = B * n[l]!;
    const preS = f.preMoments
      ? summaryFromMoments(f.preMoments, size, options.saturation ?? 'none')
      : summarize(f.pre, B, n[l]!, options);
    const postS = f.postMoments
      ? summaryFromMoments(f.postMoments, size, f.postRule)
      : summarize(f.post, B, n[l]!, { ...options, saturation: f.postRule });
    nonFinite += preS.nonFinite + postS.nonFinite;
    layers.push({
      layer: l,
      fanIn: n[l - 1]!,
      width: n[l]!,
      skipFrom: s,
      pre: preS,
      post: postS,
      weightMeanSquare: sumSquares(net.W[l]!) / net.W[l]!.length,
    });
    yield { phase: 'forward', layer: l, of: depth };
  }
  if (!p.backward) return { layers, input, nonFinite };

  // Backward pass. gradPost[l] = ∂L/∂h^l accumulates the direct path and any skip connections.
  const { top, loss } = topGradient(p, h[depth]!, net.targets, net.readout);
  const gradPost: (Float32Array | undefined)[] = [];
  gradPost[depth] = top;
  for (let l = depth; l >= 1; l--) {
    const g = gradPost[l]!;
    const size = g.length;
    const s = p.skipFrom[l] ?? null;
    const scale = s === null ? 1 : p.alpha;
    const W = net.W[l]!;
    const below = l > 1 ? new Float32Array(B * n[l - 1]!) : null;
    // The fused layer (wasm) keeps gPre and dW inside the kernel and returns their moments; a dW
    // that is not all finite needs Σ dW² with the TypeScript semantics, so that case runs plainly.
    const wCount = n[l]! * n[l - 1]!;
    const fusedB =
      options.detail === 'moments'
        ? (k.backwardLayer?.(g, deriv[l]!, scale, h[l - 1]!, W, below, B, n[l]!, n[l - 1]!) ??
          false)
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
      const { gPre, gW, gB } = plainBackward(
        k,
        g,
        deriv[l]!,
        scale,
        h[l - 1]!,
        W,
        below,
        B,
        n[l]!,
        n[l - 1]!,
      );
      summaries = {
        gradPre: summarize(gPre, B, n[l]!, options),
        gradPost: summarize(g, B, n[l]!, options),
        gradWeight: summarize(gW, n[l]!, n[l - 1]!, options),
        gradBias: summarize(gB, 1, n[l]!, options),
      };
      gNorm = Math.sqrt(sumSquares(gW));
    }
    routeGradient(gradPost, l, g, below, s);
    layers[l - 1] = {
      ...layers[l - 1]!,
      ...summaries,
      gradWeightRatio: weightRatio(gNorm, sumSquares(W)),
    };
    yield { phase: 'backward', layer: depth - l + 1, of: depth };
  }
  return { layers, input, loss, nonFinite };
}

/** ‖dW‖_F / ‖W‖_F from ‖dW‖ and ‖W‖²: Infinity for a zero W with a nonzero gradient, 0 when both are 0. */
function weightRatio(gNorm: number, weightSquares: number): number {
  const wNorm = Math.sqrt(weightSquares);
  return wNorm > 0 ? gNorm / wNorm : gNorm > 0 ? Infinity : 0;
}

/** Part `index` (0-based) of a batch split into `of` contiguous blocks of rows, near-equal in size. */
export interface BatchPart {
  readonly index: number;
  readonly of: number;
}

/** One layer of a {@link PropagatePart}: mergeable moments, and the part's own dW and db sums. */
export interface LayerPart {
  readonly pre: RowMoments;
  readonly post: RowMoments;
  readonly weightMeanSquare: number;
  /** ‖W_l‖²_F (the same in every part). */
  readonly weightSquares: number;
  readonly gradPre?: RowMoments;
  readonly gradPost?: RowMoments;
  /** Σ over this part's rows of gPreᵀ·h^{l−1} (n_l × n_{l−1}): the parts add up to ∂L/∂W_l. */
  readonly gradWeight?: Float32Array;
  /** Σ over this part's rows of gPre (n_l): the parts add up to ∂L/∂b_l. */
  readonly gradBias?: Float32Array;
}

/** What one part of a split batch computes: {@link propagatePart}'s result, for {@link mergePropagateParts}. */
export interface PropagatePart {
  readonly part: BatchPart;
  /** Its rows of the batch, [start, end). */
  readonly rows: readonly [number, number];
  readonly input: RowMoments;
  readonly layers: LayerPart[];
  /** This part's share of the loss (every loss divides by the whole batch). */
  readonly loss?: number;
}

/** Rows [start, end) of `part` in a batch of `batch`: start = ⌊batch·index/of⌋. */
export function batchRows(batch: number, part: BatchPart): [number, number] {
  return [
    Math.floor((batch * part.index) / part.of),
    Math.floor((batch * (part.index + 1)) / part.of),
  ];
}

function checkPart(p: Plan, part: BatchPart): BatchPart {
  if (typeof part !== 'object' || part === null) {
    throw new EngineInputError('part', part, '{ index, of } with 0 ≤ index < of');
  }
  const of = positiveInt('part.of', part.of, p.batch);
  const index = Math.trunc(inRange('part.index', part.index, 0, of - 1));
  if (index !== part.index) throw new EngineInputError('part.index', part.index, 'an integer');
  if (p.options.detail !== 'moments') {
    throw new EngineInputError(
      'summaries',
      p.options.detail,
      "'moments' (a split batch merges moments; quantiles need every value in one place)",
    );
  }
  return { index, of };
}

/**
 * Propagates one block of rows of the batch {@link propagate} would use: the same seeded weights,
 * biases, inputs and targets (every part draws them all, so no weights cross a worker boundary),
 * then only rows {@link batchRows}. Needs `summaries: 'moments'`. Merge the parts with
 * {@link mergePropagateParts}. Yields progress like {@link propagateSteps}; validation throws at once.
 * @throws EngineInputError for an invalid config or part
 */
export function propagatePartSteps(
  config: PropagateConfig,
  part: BatchPart,
): Generator<PropagateProgress, PropagatePart, unknown> {
  const plan = validate(config);
  const checked = checkPart(plan, part);
  checkBudget(plan);
  return runPart(plan, checked);
}

/** {@link propagatePartSteps} run to its end. */
export function propagatePart(config: PropagateConfig, part: BatchPart): PropagatePart {
  const steps = propagatePartSteps(config, part);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

function* runPart(p: Plan, part: BatchPart): Generator<PropagateProgress, PropagatePart, unknown> {
  const { depth, widths: n } = p;
  const [start, end] = batchRows(p.batch, part);
  const rows = end - start;
  const k = createKernels();
  const net = drawNetwork(p);
  const h: Float32Array[] = [net.input.slice(start * n[0]!, end * n[0]!)];
  const input = rowMoments(h[0]!, rows, n[0]!);
  const layers: LayerPart[] = [];
  const deriv: Float32Array[] = [new Float32Array(0)];
  const withRows = (m: RawMoments | null, x: Float32Array, cols: number, rule: Rule): RowMoments =>
    m ? { ...m, unitRows: rowsWithFinite(x, rows, cols) } : rowMoments(x, rows, cols, rule);
  for (let l = 1; l <= depth; l++) {
    const s = p.skipFrom[l] ?? null;
    const f = forwardStep(k, p, l, h[l - 1]!, net, s === null ? null : h[s]!, rows);
    h.push(f.post);
    deriv.push(f.deriv ?? new Float32Array(0));
    if (!p.backward && l >= 3) h[l - 3] = new Float32Array(0);
    const W = net.W[l]!;
    const weightSquares = sumSquares(W);
    layers.push({
      pre: withRows(f.preMoments, f.pre, n[l]!, 'none'),
      post: withRows(f.postMoments, f.post, n[l]!, f.postRule),
      weightMeanSquare: weightSquares / W.length,
      weightSquares,
    });
    yield { phase: 'forward', layer: l, of: depth };
  }
  const result = { part, rows: [start, end] as const, input, layers };
  if (!p.backward) return result;

  const targets = net.targets.subarray(start * n[depth]!, end * n[depth]!);
  const { top, loss } = topGradient(p, h[depth]!, targets, net.readout);
  const gradPost: (Float32Array | undefined)[] = [];
  gradPost[depth] = top;
  for (let l = depth; l >= 1; l--) {
    const g = gradPost[l]!;
    const s = p.skipFrom[l] ?? null;
    const below = l > 1 ? new Float32Array(rows * n[l - 1]!) : null;
    const { gPre, gW, gB } = plainBackward(
      k,
      g,
      deriv[l]!,
      s === null ? 1 : p.alpha,
      h[l - 1]!,
      net.W[l]!,
      below,
      rows,
      n[l]!,
      n[l - 1]!,
    );
    layers[l - 1] = {
      ...layers[l - 1]!,
      gradPre: rowMoments(gPre, rows, n[l]!),
      gradPost: rowMoments(g, rows, n[l]!),
      gradWeight: gW,
      gradBias: gB,
    };
    routeGradient(gradPost, l, g, below, s);
    yield { phase: 'backward', layer: depth - l + 1, of: depth };
  }
  return { ...result, loss };
}

type Rule = 'tanh' | 'sigmoid' | 'none';

/**
 * Merges the parts of a split batch into the result {@link propagate} gives for the same config:
 * counts, minima, maxima, zero and saturation fractions exactly; means, variances and mean squares
 * up to float64 rounding of the sums ({@link mergeMoments}); ∂L/∂W and ∂L/∂b as the float32 sum of
 * the parts' sums, so their statistics match up to float32 rounding. The parts may come in any order.
 * @throws EngineInputError when the parts do not make up one batch of this config
 */
export function mergePropagateParts(
  config: PropagateConfig,
  parts: readonly PropagatePart[],
): PropagateResult {
  const p = validate(config);
  const of = parts[0]?.part.of ?? 0;
  const sorted = [...parts].sort((a, b) => a.part.index - b.part.index);
  sorted.forEach((q, i) => {
    const [start, end] = batchRows(p.batch, { index: i, of });
    if (q.part.of !== of || q.part.index !== i || q.rows[0] !== start || q.rows[1] !== end) {
      throw new EngineInputError(
        'parts',
        parts.length,
        `parts 0 … ${of - 1} of one batch, each once`,
      );
    }
    if (q.layers.length !== p.depth) {
      throw new EngineInputError('parts', q.layers.length, `${p.depth} layers in every part`);
    }
  });
  if (of === 0 || sorted.length !== of) {
    throw new EngineInputError('parts', parts.length, 'every part of the split batch');
  }
  const { depth, widths: n, batch: B } = p;
  const merged = (pick: (q: PropagatePart) => RowMoments): RowMoments =>
    sorted.map(pick).reduce((a, b) => mergeMoments(a, b));
  const input = summaryFromMoments(
    merged((q) => q.input),
    B * n[0]!,
    'none',
  );
  let nonFinite = 0;
  const layers: LayerResult[] = [];
  for (let l = 1; l <= depth; l++) {
    const at = (q: PropagatePart): LayerPart => q.layers[l - 1]!;
    const s = p.skipFrom[l] ?? null;
    const size = B * n[l]!;
    const pre = summaryFromMoments(
      merged((q) => at(q).pre),
      size,
      'none',
    );
    const post = summaryFromMoments(
      merged((q) => at(q).post),
      size,
      s === null ? p.act.saturation : 'none',
    );
    nonFinite += pre.nonFinite + post.nonFinite;
    const first = at(sorted[0]!);
    let layer: LayerResult = {
      layer: l,
      fanIn: n[l - 1]!,
      width: n[l]!,
      skipFrom: s,
      pre,
      post,
      weightMeanSquare: first.weightMeanSquare,
    };
    if (p.backward) {
      const gW = sumParts(
        sorted.map((q) => at(q).gradWeight),
        n[l]! * n[l - 1]!,
      );
      const gB = sumParts(
        sorted.map((q) => at(q).gradBias),
        n[l]!,
      );
      layer = {
        ...layer,
        gradPre: summaryFromMoments(
          merged((q) => at(q).gradPre!),
          size,
          'none',
        ),
        gradPost: summaryFromMoments(
          merged((q) => at(q).gradPost!),
          size,
          'none',
        ),
        gradWeight: summarize(gW, n[l]!, n[l - 1]!, { detail: 'moments' }),
        gradBias: summarize(gB, 1, n[l]!, { detail: 'moments' }),
        gradWeightRatio: weightRatio(Math.sqrt(sumSquares(gW)), first.weightSquares),
      };
    }
    layers.push(layer);
  }
  const base = { layers, input, nonFinite, batchParts: of };
  if (!p.backward) return base;
  return { ...base, loss: sorted.reduce((sum, q) => sum + (q.loss ?? Number.NaN), 0) };
}

/** The float32 sum of the parts' arrays, in part order. */
function sumParts(arrays: readonly (Float32Array | undefined)[], length: number): Float32Array {
  const total = new Float32Array(length);
  for (const a of arrays) {
    if (a === undefined || a.length !== length) {
      throw new EngineInputError('parts', a?.length, `gradient sums of ${length} entries`);
    }
    for (let i = 0; i < length; i++) total[i] = total[i]! + a[i]!;
  }
  return total;
}
