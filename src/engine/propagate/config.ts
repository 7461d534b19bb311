/**
 * What `propagate` takes and returns, and the checks of its configuration: the dense stack
 * (optionally with residual blocks) that the chapters' experiments run, validated with its own
 * parameter names before anything is allocated.
 *
 * @module
 */
import { resolveActivation, type Activation } from '../activations';
import { initTensor, type InitSpec } from '../init';
import { createRng } from '../rng';
import type { HistogramBins, Summary, SummaryOptions } from '../stats';
import { checkBins, checkLevels } from '../summary-options';
import {
  EngineInputError,
  MAX_ELEMENTS,
  checkMemory,
  finiteNumber,
  nonNegative,
  oneOf,
  positiveInt,
} from '../validate';

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
  /**
   * The random stream: 'initbook' (default, the engine's own) or 'torch', PyTorch's CPU stream, so
   * that the run draws what `torch.manual_seed(seed)` and the script in the module notes of
   * ./stack.ts draw.
   */
  readonly stream?: 'initbook' | 'torch';
  /** With `stream: 'torch'`: the PyTorch CPU build to reproduce, 'avx2' (default) or 'default'. */
  readonly normalKernel?: 'avx2' | 'default';
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
export interface Plan {
  depth: number;
  widths: number[]; // widths[0] = n₀ (inputs), widths[l] = n_l
  batch: number;
  act: Activation;
  weightInit: InitSpec;
  biasInit: InitSpec;
  input: Required<Omit<InputSpec, 'width'>>;
  seed: number;
  stream: 'initbook' | 'torch';
  normalKernel: 'avx2' | 'default';
  backward: boolean;
  loss: 'sum' | 'mse' | 'readout';
  alpha: number;
  skipFrom: (number | null)[]; // per layer, index 1 … depth
  zeroInitLast: boolean;
  options: SummaryOptions;
}

/**
 * Checks every field of a {@link PropagateConfig} and fills in the defaults.
 * @throws EngineInputError naming the field, the value and what is allowed
 */
export function validate(config: PropagateConfig): Plan {
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
    stream: oneOf('stream', config.stream ?? 'initbook', ['initbook', 'torch']),
    normalKernel: oneOf('normalKernel', config.normalKernel ?? 'avx2', ['avx2', 'default']),
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
export function checkBudget(p: Plan): void {
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
