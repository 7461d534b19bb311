/**
 * Variance by depth: the second moment of pre-activations, activations and gradients at every layer
 * of a deep fully connected stack, simulated by the engine, with the mean-field prediction beside it.
 *
 * Theory (Poole et al. 2016): with σ_w² = n·Var(w), the pre-activation second moment follows
 * q^l = σ_w²·E[φ(√q^{l−1} z)²] + σ_b², starting from q¹ = σ_w²·E[x²] + σ_b² for N(0, 1) inputs.
 *
 * @module
 */
import type { InitSpec } from '../../engine/init';
import { meanField } from '../../engine/meanfield';
import { propagateSteps } from '../../engine/propagate';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';
import { ACTIVATION_OPTIONS, INIT_OPTIONS, initLabel, weightInit, sigmaW2Of } from './inits';

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
      { value: 'grad', label: 'Gradients (∂L/∂pre-activation)' },
    ],
  },
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

export interface VarianceData {
  readonly quantity: 'pre' | 'post' | 'grad';
  readonly points: DepthPoint[];
}

function* compute(p: VarianceParams): Generator<unknown, VarianceData> {
  const quantity = p.quantity as VarianceData['quantity'];
  const points: DepthPoint[] = [];
  for (const init of p.inits) {
    const biasInit: InitSpec =
      p.sigmaB > 0 ? { name: 'normal', mean: 0, std: p.sigmaB } : { name: 'zeros' };
    const result = yield* propagateSteps({
      depth: p.depth,
      width: p.width,
      batch: p.batch,
      activation: p.activation,
      weightInit: weightInit(init, p.gain),
      biasInit,
      seed: p.seed,
      backward: quantity === 'grad',
      // A random readout keeps the backward signal independent of the forward weights, which the
      // mean-field gradient prediction assumes (an all-ones readout breaks it for relu).
      loss: 'readout',
      summaries: 'moments',
    });
    const sigmaW2 = sigmaW2Of(init, p.gain, p.width);
    const sigmaB2 = p.sigmaB ** 2;
    // q[0] is layer 1's pre-activation second moment for N(0, 1) inputs.
    const theory = meanField({
      activation: p.activation,
      sigmaW2,
      sigmaB2,
      q0: sigmaW2 + sigmaB2,
      // One step further for activations: layer l's E[φ²] is read off q at index l (see below).
      // For gradients the last index must be the last layer, where the readout enters.
      depth: quantity === 'post' ? p.depth : p.depth - 1,
    });
    result.layers.forEach((layer, i) => {
      const q = theory.q[i] ?? NaN;
      const next = theory.q[i + 1];
      let measured: number;
      let predicted: number;
      let nonFinite: number;
      if (quantity === 'pre') {
        measured = layer.pre.meanSquare;
        predicted = q;
        nonFinite = layer.pre.nonFinite;
      } else if (quantity === 'post') {
        measured = layer.post.meanSquare;
        // E[φ(√q z)²] = (q^{l+1} − σ_b²)/σ_w².
        predicted = next !== undefined ? (next - sigmaB2) / sigmaW2 : NaN;
        nonFinite = layer.post.nonFinite;
      } else {
        const grad = layer.gradPre!;
        measured = grad.meanSquare;
        // The readout loss puts second moment 1/batch² on the last layer's gradient.
        predicted = (theory.gradPre[i] ?? NaN) / p.batch ** 2;
        nonFinite = grad.nonFinite;
      }
      points.push({ init, layer: i + 1, measured, theory: predicted, nonFinite });
    });
  }
  return { quantity, points };
}

const QUANTITY_NAMES = { pre: 'pre-activation', post: 'activation', grad: 'gradient' } as const;

export const model: FigureModel<typeof schema, VarianceData> = {
  id: 'variance-by-depth',
  title: 'Variance by depth',
  prefix: 'vbd',
  schema,
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
      },
    },
  ],
  compute,
  summary(d, p) {
    const name = QUANTITY_NAMES[d.quantity];
    const parts = p.inits.map((init) => {
      const curve = d.points.filter((pt) => pt.init === init);
      const first = curve[0];
      const last = curve[curve.length - 1];
      if (!first || !last) return '';
      const overflow = curve.find((pt) => pt.nonFinite > 0);
      const tail = overflow ? ` (values overflow from layer ${overflow.layer})` : '';
      return `${initLabel(init)}: ${formatNumber(first.measured)} at layer 1 to ${formatNumber(last.measured)} at layer ${last.layer}, theory ${formatNumber(last.theory)}${tail}`;
    });
    return `Mean square of the ${name}s, ${p.activation}, width ${p.width}. ${parts.join('; ')}.`;
  },
  table(d) {
    return {
      columns: ['init', 'layer', 'measured_mean_square', 'theory', 'non_finite'],
      rows: d.points.map((pt) => [pt.init, pt.layer, pt.measured, pt.theory, pt.nonFinite]),
    };
  },
};
