/**
 * Variance by depth: the second moment of pre-activations, activations and gradients at every layer
 * of a deep fully connected stack, simulated by the engine, with the mean-field prediction beside it.
 *
 * Theory (Poole et al. 2016): with σ_w² = n·Var(w), the pre-activation second moment follows
 * q^l = σ_w²·E[φ(√q^{l−1} z)²] + σ_b², starting from q¹ = σ_w²·E[x²] + σ_b² for N(0, 1) inputs.
 * With residual connections the stack is the engine's (layer 1 a plain stem, then blocks of one or
 * two layers) and the theory is the layer-by-layer bookkeeping of `residual.ts`, which keeps the
 * stream's mean: for ReLU branches the cross term 2α·E[x]·E[F] is what makes He blocks grow about
 * ×2.9 rather than the zero-mean argument's ×2. Gradient lines are withheld where that theory fails
 * (see `gradientTheoryHolds`).
 *
 * @module
 */
import { meanField } from '../../engine/meanfield';
import type { LayerResult, PropagateConfig } from '../../engine/propagate';
import { propagateSharedSteps } from '../../worker/split';
import type { Summary } from '../../engine/stats';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';
import { initEntry, initLabel, sigmaW2Of } from '../../engine/init-catalogue';
import { STREAM_PARAM, streamOptions } from '../stream';
import { ACTIVATION_OPTIONS, INIT_OPTIONS } from './inits';
import { vbdScript } from './pytorch';
import { gradientTheoryHolds, stackTheory, streamLayers, type StackTheory } from './residual';

export const schema = {
  inits: {
    kind: 'multi',
    label: 'Initializations',
    default: ['xavier_normal', 'kaiming_normal'],
    options: INIT_OPTIONS,
    hint: 'Tick several to compare them on the same network.',
  },
  activation: { kind: 'choice', label: 'Activation', default: 'relu', options: ACTIVATION_OPTIONS },
  depth: {
    kind: 'number',
    label: 'Depth (layers)',
    min: 2,
    max: 100,
    step: 1,
    integer: true,
    default: 30,
  },
  width: {
    kind: 'number',
    label: 'Width (units per layer)',
    min: 8,
    max: 512,
    step: 8,
    integer: true,
    default: 256,
  },
  gain: {
    kind: 'number',
    label: 'Gain',
    min: 0.25,
    max: 4,
    step: 0.01,
    scale: 'log',
    default: 1,
    hint: 'Multiplies every weight’s standard deviation (PyTorch’s gain for Xavier and orthogonal).',
  },
  sigmaB: { kind: 'number', label: 'Bias std σ_b', min: 0, max: 1, step: 0.01, default: 0 },
  batch: {
    kind: 'number',
    label: 'Batch (samples)',
    min: 8,
    max: 256,
    step: 8,
    integer: true,
    default: 64,
    hint: 'Inputs pushed through at once; the mean square is taken over batch × units.',
  },
  seed: {
    kind: 'number',
    label: 'Random seed',
    min: 1,
    max: 50,
    step: 1,
    integer: true,
    default: 3,
    hint: 'Redraws weights and inputs: a finite network wanders around the prediction.',
  },
  quantity: {
    kind: 'choice',
    label: 'Show',
    default: 'pre',
    options: [
      { value: 'pre', label: 'Pre-activations' },
      { value: 'post', label: 'Activations' },
      { value: 'grad', label: 'Gradients (∂ℒ/∂pre-activation)' },
      { value: 'gradPost', label: 'Gradients (∂ℒ/∂activation)' },
    ],
  },
  residual: {
    kind: 'choice',
    label: 'Residual connections',
    default: 'none',
    options: [
      { value: 'none', label: 'None (plain stack)' },
      { value: '1', label: 'One layer per branch' },
      { value: '2', label: 'Two layers per branch' },
    ],
    hint: 'Layer 1 stays plain; after it each block adds its branch to its input, x + α·F(x).',
  },
  zeroInitLast: {
    kind: 'toggle',
    label: 'Zero-init the last layer of each branch',
    default: false,
    hint: 'Sets that layer’s weights and bias to 0, so every block starts as the identity. Only with residual connections.',
  },
  alpha: {
    kind: 'number',
    label: 'Branch scale α',
    min: 0,
    max: 2,
    step: 0.01,
    default: 1,
    hint: 'Multiplies every branch: x + α·F(x). Only with residual connections.',
  },
  stream: STREAM_PARAM,
} as const;

export type VarianceParams = ParamsOf<typeof schema>;

/** One point of one curve. */
export interface DepthPoint {
  readonly init: string;
  readonly layer: number;
  /** Simulated mean square over all batch × unit entries. */
  readonly measured: number;
  /** Mean-field prediction for the same quantity. */
  readonly theory: number;
  /** Entries that overflowed to ±Infinity or NaN at this layer. */
  readonly nonFinite: number;
}

/**
 * Growth of the residual stream per block, for one init: the block outputs' mean square (forward
 * quantities) or that of ∂L/∂(block output) towards the input (gradients), as a geometric mean from
 * layer 1's output to the last block's.
 */
export interface BlockGrowth {
  readonly init: string;
  /** Residual blocks in the stack (0 when none fits). */
  readonly blocks: number;
  readonly measured: number;
  readonly theory: number;
  /** Gradients only: the forward factor per block, which decides whether `theory` is drawn. */
  readonly forward?: number;
  /** The gradient theory is not drawn for this init (see residual.ts). */
  readonly withheld?: boolean;
}

export interface VarianceData {
  readonly quantity: 'pre' | 'post' | 'grad' | 'gradPost';
  readonly points: DepthPoint[];
  /** One per init, only with residual connections. */
  readonly growth?: BlockGrowth[];
}

/** Mean square of the quantity shown, per layer, from a layer's engine summaries. */
function measuredOf(layer: LayerResult, quantity: VarianceData['quantity']): Summary {
  if (quantity === 'pre') return layer.pre;
  if (quantity === 'post') return layer.post;
  return quantity === 'grad' ? layer.gradPre! : layer.gradPost!;
}

/** Geometric-mean factor per block between two stream values, `blocks` blocks apart. */
const perBlock = (from: number, to: number, blocks: number): number =>
  blocks > 0 ? (to / from) ** (1 / blocks) : NaN;

/**
 * Growth of the stream (layer 1's output, then every block's output) per block: forward from the
 * stem up, gradients from the last block down to the stem.
 */
function residualGrowth(
  init: string,
  layers: readonly LayerResult[],
  t: StackTheory,
  backward: boolean,
): BlockGrowth {
  const stream = streamLayers(layers.map((layer) => layer.skipFrom));
  const blocks = stream.length - 1;
  const first = stream[0]! - 1;
  const last = stream.at(-1)! - 1;
  const forward = perBlock(t.post[first]!, t.post[last]!, blocks);
  if (!backward) {
    const measured = perBlock(
      layers[first]!.post.meanSquare,
      layers[last]!.post.meanSquare,
      blocks,
    );
    return { init, blocks, measured, theory: forward };
  }
  const grad = (i: number): number => layers[i]!.gradPost!.meanSquare;
  return {
    init,
    blocks,
    measured: perBlock(grad(last), grad(first), blocks),
    theory: perBlock(t.gradPost[last]!, t.gradPost[first]!, blocks),
    forward,
  };
}

/** The engine run behind each init's curve: the figure's compute and its PyTorch script share it. */
export function runConfig(p: VarianceParams, init: string): PropagateConfig {
  const quantity = p.quantity as VarianceData['quantity'];
  return {
    depth: p.depth,
    width: p.width,
    batch: p.batch,
    activation: p.activation,
    weightInit: initEntry(init).spec({ gain: p.gain }),
    biasInit: p.sigmaB > 0 ? { name: 'normal', mean: 0, std: p.sigmaB } : { name: 'zeros' },
    seed: p.seed,
    backward: quantity === 'grad' || quantity === 'gradPost',
    // A random readout keeps the backward signal independent of the forward weights, which the
    // mean-field gradient prediction assumes (an all-ones readout breaks it for relu).
    loss: 'readout',
    summaries: 'moments',
    ...streamOptions(p.stream),
    ...(p.residual === 'none'
      ? {}
      : {
          residual: {
            alpha: p.alpha,
            branch: p.residual === '2' ? 2 : 1,
            zeroInitLast: p.zeroInitLast,
          },
        }),
  };
}

function* compute(p: VarianceParams): Generator<unknown, VarianceData> {
  const quantity = p.quantity as VarianceData['quantity'];
  const backward = quantity === 'grad' || quantity === 'gradPost';
  const points: DepthPoint[] = [];
  const growth: BlockGrowth[] = [];
  for (const init of p.inits) {
    const config = runConfig(p, init);
    const residual = config.residual;
    const result = yield* propagateSharedSteps(config);
    const sigmaW2 = sigmaW2Of(init, p.width, { gain: p.gain });
    const sigmaB2 = p.sigmaB ** 2;
    // The readout loss puts second moment 1/batch² on the last layer's gradient.
    const batch2 = p.batch ** 2;
    let theoryOf: (i: number) => number;
    if (residual) {
      const skipFrom = result.layers.map((layer) => layer.skipFrom);
      const t = stackTheory({
        activation: p.activation,
        sigmaW2,
        sigmaB2,
        skipFrom,
        alpha: residual.alpha,
        zeroInitLast: residual.zeroInitLast ?? false,
      });
      const g = residualGrowth(init, result.layers, t, backward);
      // Better no line than one the simulation leaves behind (see residual.ts).
      const withheld =
        g.forward !== undefined && !gradientTheoryHolds(p.activation, g.forward, g.theory);
      growth.push(withheld ? { ...g, withheld } : g);
      const series = { pre: t.pre, post: t.post, grad: t.gradPre, gradPost: t.gradPost }[quantity];
      theoryOf = (i) => (withheld ? NaN : (series[i] ?? NaN) / (backward ? batch2 : 1));
    } else {
      // q[0] is layer 1's pre-activation second moment for N(0, 1) inputs.
      const theory = meanField({
        activation: p.activation,
        sigmaW2,
        sigmaB2,
        q0: sigmaW2 + sigmaB2,
        correlations: false, // only q and the gradients are drawn
        // One step further for activations: layer l's E[φ²] is read off q at index l (see below).
        // For gradients the last index must be the last layer, where the readout enters.
        depth: quantity === 'post' ? p.depth : p.depth - 1,
      });
      theoryOf = (i) => {
        if (quantity === 'pre') return theory.q[i] ?? NaN;
        if (quantity === 'post') {
          // E[φ(√q z)²] = (q^{l+1} − σ_b²)/σ_w².
          const next = theory.q[i + 1];
          return next !== undefined ? (next - sigmaB2) / sigmaW2 : NaN;
        }
        const g = quantity === 'grad' ? theory.gradPre[i] : theory.gradPost[i];
        return (g ?? NaN) / batch2;
      };
    }
    result.layers.forEach((layer, i) => {
      const measured = measuredOf(layer, quantity);
      points.push({
        init,
        layer: i + 1,
        measured: measured.meanSquare,
        theory: theoryOf(i),
        nonFinite: measured.nonFinite,
      });
    });
  }
  return p.residual !== 'none' ? { quantity, points, growth } : { quantity, points };
}

const QUANTITY_NAMES = {
  pre: 'pre-activation',
  post: 'activation',
  grad: 'gradient',
  gradPost: 'activation gradient',
} as const;

/** "residual blocks of two layers (α = 1, last layer of each branch zero)". */
function residualText(p: VarianceParams): string {
  const zero = p.zeroInitLast ? ', last layer of each branch zero' : '';
  const size = p.residual === '2' ? 'two layers' : 'one layer';
  return `residual blocks of ${size} (α = ${formatNumber(p.alpha)}${zero})`;
}

/** How the stream grows per block, and which layers are exactly zero (off the log axis). */
function growthText(g: BlockGrowth, curve: readonly DepthPoint[], p: VarianceParams): string {
  const zeros = curve.filter((pt) => pt.measured === 0).length;
  const zeroText = zeros > 0 ? `, exactly 0 at ${zeros} of ${curve.length} layers` : '';
  if (g.blocks === 0) return `, no residual block fits in ${p.depth} layers${zeroText}`;
  const factor = formatNumber(g.measured);
  const grows =
    g.forward === undefined
      ? `block outputs grow ×${factor} per block`
      : `∂ℒ/∂(block output) grows ×${factor} per block towards the input`;
  const theory = g.withheld
    ? `; no theory line: the gradient’s part along the forward signal grows like the signal, ` +
      `×${formatNumber(g.forward!)} per block, faster than the mean-field ×${formatNumber(g.theory)}`
    : ` (theory ×${formatNumber(g.theory)})`;
  return `, ${grows} over ${g.blocks} blocks${theory}${zeroText}`;
}

/** The biases chapter's comparison: 9 blocks of two He-initialized ReLU layers after a stem. */
const RESIDUAL_PRESET = {
  inits: ['kaiming_normal'],
  activation: 'relu',
  depth: 19,
  gain: 1,
  sigmaB: 0,
  quantity: 'post',
  residual: '2',
  zeroInitLast: false,
  alpha: 1,
} satisfies Partial<VarianceParams>;

export const model: FigureModel<typeof schema, VarianceData> = {
  id: 'variance-by-depth',
  title: 'Variance by depth',
  prefix: 'vbd',
  schema,
  primary: ['activation', 'depth', 'gain', 'quantity'],
  presets: [
    {
      id: 'xavier-vs-he',
      label: 'Xavier vs He, 30 ReLU layers',
      params: {
        inits: ['xavier_normal', 'kaiming_normal'],
        activation: 'relu',
        depth: 30,
        gain: 1,
        sigmaB: 0,
        quantity: 'pre',
        residual: 'none',
      },
    },
    {
      id: 'tanh-xavier',
      label: 'tanh with Xavier',
      params: {
        inits: ['xavier_normal'],
        activation: 'tanh',
        depth: 30,
        gain: 1,
        sigmaB: 0,
        quantity: 'pre',
        residual: 'none',
      },
    },
    {
      id: 'unscaled',
      label: 'Unscaled N(0, 1)',
      params: {
        inits: ['unscaled', 'kaiming_normal'],
        activation: 'relu',
        depth: 10,
        gain: 1,
        sigmaB: 0,
        quantity: 'pre',
        residual: 'none',
      },
    },
    {
      id: 'gradients',
      label: 'Gradients, Xavier vs He',
      params: {
        inits: ['xavier_normal', 'kaiming_normal'],
        activation: 'relu',
        depth: 30,
        gain: 1,
        sigmaB: 0,
        quantity: 'grad',
        residual: 'none',
      },
    },
    {
      // Chapter 1: large weights saturate tanh, yet its gradients explode (χ = σ_w²·E[tanh′²] > 1).
      id: 'tanh-gradients',
      label: 'Gradients, unscaled tanh',
      params: {
        inits: ['unscaled', 'xavier_normal', 'small'],
        activation: 'tanh',
        depth: 10,
        gain: 1,
        sigmaB: 0,
        quantity: 'grad',
        residual: 'none',
      },
    },
    {
      id: 'residual',
      label: 'Residual blocks, He',
      params: RESIDUAL_PRESET,
    },
    {
      id: 'residual-zero',
      label: 'Residual, zero-init last layers',
      params: { ...RESIDUAL_PRESET, zeroInitLast: true },
    },
    {
      id: 'residual-gradients',
      label: 'Residual gradients',
      params: { ...RESIDUAL_PRESET, quantity: 'gradPost' },
    },
  ],
  compute,
  pytorch: (p) => vbdScript(p, runConfig),
  summary(d, p) {
    const name = QUANTITY_NAMES[d.quantity];
    const parts = p.inits.map((init) => {
      const curve = d.points.filter((pt) => pt.init === init);
      const first = curve[0];
      const last = curve[curve.length - 1];
      if (!first || !last) return '';
      const overflow = curve.find((pt) => pt.nonFinite > 0);
      const tail = overflow ? ` (values overflow from layer ${overflow.layer})` : '';
      const growth = d.growth?.find((g) => g.init === init);
      const blocks = growth ? growthText(growth, curve, p) : '';
      const theory = growth?.withheld ? '' : `, theory ${formatNumber(last.theory)}`;
      return `${initLabel(init)}: ${formatNumber(first.measured)} at layer 1 to ${formatNumber(last.measured)} at layer ${last.layer}${theory}${tail}${blocks}`;
    });
    const stack = d.growth ? `, ${residualText(p)}` : '';
    return `Mean square of the ${name}s, ${p.activation}, width ${p.width}${stack}. ${parts.join('; ')}.`;
  },
  table(d) {
    // A withheld theory is an empty cell, not NaN.
    const withheld = new Set(d.growth?.filter((g) => g.withheld).map((g) => g.init));
    return {
      columns: ['init', 'layer', 'measured_mean_square', 'theory', 'non_finite'],
      rows: d.points.map((pt) => [
        pt.init,
        pt.layer,
        pt.measured,
        withheld.has(pt.init) ? null : pt.theory,
        pt.nonFinite,
      ]),
    };
  },
};
