/**
 * Distributions by layer: histograms of every layer's activations (or back-propagated gradients) in a
 * deep network at initialization, one row per layer and one column per initialization. This is
 * Glorot and Bengio's (2010) picture: tanh under the "standard" U(±1/√n) narrows layer by layer,
 * while under their normalized init the layers look alike; a large gain piles mass at ±1.
 *
 * The mean-field prediction (see ../saturation/layer-theory.ts) gives each activation histogram's
 * expected bar heights and standard deviation; gradients show the prediction's standard deviation.
 *
 * @module
 */
import { initEntry, initLabel, initOptions, sigmaW2Of } from '../../engine/init-catalogue';
import type { PropagateResult } from '../../engine/propagate';
import { stackScript } from '../../pytorch/stack-script';
import { propagateSharedSteps } from '../../worker/split';
import { STREAM_PARAM, streamOptions } from '../stream';
import type { Summary } from '../../engine/stats';
import type { ParamsOf } from '../params';
import { activationCdf, gradientTheory, layerTheory } from '../saturation/layer-theory';
import { formatNumber, type FigureModel } from '../types';
import { boundedEdges, isSaturatedBin, openEdges } from './bins';

export const INIT_OPTIONS = initOptions([
  'torch_default',
  'xavier_uniform',
  'xavier_normal',
  'kaiming_normal',
  'lecun_normal',
  'unscaled',
]);

/** The catalogue's label (the panel titles and the summary). */
export const initName = initLabel;

export const schema = {
  inits: {
    kind: 'multi',
    label: 'Initializations',
    default: ['torch_default', 'xavier_uniform'],
    options: INIT_OPTIONS,
    hint: 'One column each. “Standard” is PyTorch’s default for nn.Linear.',
  },
  activation: {
    kind: 'choice',
    label: 'Activation',
    default: 'tanh',
    options: [
      { value: 'tanh', label: 'tanh' },
      { value: 'sigmoid', label: 'sigmoid' },
      { value: 'relu', label: 'ReLU' },
      { value: 'leaky_relu', label: 'leaky ReLU (0.01)' },
      { value: 'linear', label: 'linear' },
      { value: 'gelu', label: 'GELU' },
    ],
  },
  what: {
    kind: 'choice',
    label: 'Show',
    default: 'activations',
    options: [
      { value: 'activations', label: 'Activations' },
      { value: 'gradients', label: 'Gradients (∂ℒ/∂pre-activation)' },
    ],
  },
  depth: {
    kind: 'number',
    label: 'Depth (layers)',
    min: 2,
    max: 10,
    step: 1,
    integer: true,
    default: 5,
  },
  width: {
    kind: 'number',
    label: 'Width (units per layer)',
    min: 16,
    max: 512,
    step: 16,
    integer: true,
    default: 256,
  },
  gain: {
    kind: 'number',
    label: 'Gain',
    min: 0.25,
    max: 8,
    step: 0.01,
    scale: 'log',
    default: 1,
    hint: 'Multiplies every weight’s standard deviation; tanh’s recommended gain is 5/3.',
  },
  seed: {
    kind: 'number',
    label: 'Random seed',
    min: 1,
    max: 50,
    step: 1,
    integer: true,
    default: 1,
  },
  stream: STREAM_PARAM,
} as const;

export type DistributionParams = ParamsOf<typeof schema>;

/** One histogram bar. `share` is the fraction of the layer's entries in [x1, x2). */
export interface Bin {
  readonly init: string;
  readonly layer: number;
  readonly x1: number;
  readonly x2: number;
  readonly share: number;
  /** The mean-field prediction of `share`, or null where there is none. */
  readonly theory: number | null;
  /** The bin lies where the engine counts a unit as saturated. */
  readonly saturated: boolean;
}

/** One layer's numbers, for the labels, the summary and the table. */
export interface LayerStats {
  readonly init: string;
  readonly layer: number;
  readonly mean: number;
  readonly std: number;
  readonly theoryStd: number | null;
  /** tanh/sigmoid: the engine's saturated fraction; null otherwise. */
  readonly saturated: number | null;
  /** Entries exactly 0. */
  readonly zero: number;
  /** Finite entries outside the drawn range. */
  readonly offChart: number;
  readonly nonFinite: number;
}

export interface DistributionData {
  readonly what: 'activations' | 'gradients';
  readonly activation: string;
  readonly bins: Bin[];
  readonly layers: LayerStats[];
}

/** Samples per run: 64 × width entries per histogram, enough for 40 bars and quick to redraw. */
export const BATCH = 64;
/** Samples of the first, moments-only run that sets the range of the bins. */
const RANGE_BATCH = 32;

/** The run behind one init's column: compute and the PyTorch script share it. */
export function config(p: DistributionParams, init: string) {
  return {
    ...streamOptions(p.stream),
    depth: p.depth,
    width: p.width,
    batch: BATCH,
    activation: p.activation,
    weightInit: initEntry(init).spec({ gain: p.gain }),
    seed: p.seed,
    backward: p.what === 'gradients',
    // A random readout keeps the backward signal independent of the forward weights, as the
    // mean-field gradient prediction assumes (see propagate.ts).
    loss: 'readout' as const,
  };
}

const summaryOf = (l: PropagateResult['layers'][number], what: DistributionData['what']) =>
  what === 'gradients' ? l.gradPre! : l.post;

function* compute(p: DistributionParams): Generator<unknown, DistributionData> {
  const what = p.what as DistributionData['what'];
  const bounded = what === 'activations' ? boundedEdges(p.activation) : null;
  let edges = bounded;
  if (edges === null) {
    // A first, moments-only pass finds one range that holds every layer of every init.
    const seen: Summary[] = [];
    for (const init of p.inits) {
      const r = yield* propagateSharedSteps({
        ...config(p, init),
        batch: RANGE_BATCH,
        summaries: 'moments',
      });
      for (const l of r.layers) seen.push(summaryOf(l, what));
    }
    edges = openEdges(seen, what === 'gradients');
    // The loss divides by the batch, so gradients scale as 1/batch: rescale to the full batch.
    if (what === 'gradients') edges = edges.map((e) => (e * RANGE_BATCH) / BATCH);
    // ReLU's exact zeros are a spike that would flatten every other bar: they go to the underflow
    // (the smallest positive float32 is far above MIN_VALUE) and are reported as a share instead.
    if (what === 'activations' && p.activation === 'relu' && edges[0] === 0) {
      edges[0] = Number.MIN_VALUE;
    }
  }
  const bins: Bin[] = [];
  const layers: LayerStats[] = [];
  for (const init of p.inits) {
    const result = yield* propagateSharedSteps({
      ...config(p, init),
      histogramBins: { edges },
      quantiles: [],
    });
    const sigmaW2 = sigmaW2Of(init, p.width, { gain: p.gain });
    const theory = layerTheory({ activation: p.activation, sigmaW2, depth: p.depth });
    const grads = what === 'gradients' ? gradientTheory(theory, sigmaW2) : null;
    result.layers.forEach((l, i) => {
      const s = summaryOf(l, what);
      const t = theory[i]!;
      const cdf =
        what === 'activations' ? activationCdf(p.activation, t.preMean, t.preVariance) : null;
      const finite = s.count - s.nonFinite;
      const dropped = edges[0] === Number.MIN_VALUE ? s.fractionZero : 0;
      const { counts, overflow, underflow } = s.histogram;
      counts.forEach((c, k) => {
        // Bounded activations reach their top value exactly (tanh → 1 in float32): keep it in.
        const n = bounded !== null && k === counts.length - 1 ? c + overflow : c;
        const x1 = edges[k]!;
        const x2 = edges[k + 1]!;
        bins.push({
          init,
          layer: l.layer,
          x1,
          x2,
          share: finite > 0 ? n / finite : 0,
          theory: cdf === null ? null : cdf(x2) - cdf(x1),
          saturated: bounded !== null && isSaturatedBin(p.activation, x1, x2),
        });
      });
      // ∂L/∂pre has mean 0; the readout puts second moment 1/batch² on the last layer's ∂L/∂h.
      const gradTheory = grads ? Math.sqrt(grads[i]!) / BATCH : null;
      layers.push({
        init,
        layer: l.layer,
        mean: s.mean,
        std: Math.sqrt(s.variance),
        theoryStd: what === 'gradients' ? gradTheory : Math.sqrt(t.postVariance),
        saturated: what === 'activations' ? s.fractionSaturated : null,
        zero: s.fractionZero,
        offChart:
          finite > 0
            ? Math.max(0, (bounded !== null ? underflow : underflow + overflow) / finite - dropped)
            : 0,
        nonFinite: s.nonFinite,
      });
    });
  }
  return { what, activation: p.activation, bins, layers };
}

const percent = (x: number): string => `${formatNumber(100 * x)}%`;

export const model: FigureModel<typeof schema, DistributionData> = {
  id: 'distributions-by-layer',
  title: 'Distributions by layer',
  prefix: 'dist',
  schema,
  primary: ['activation', 'what', 'gain'],
  pytorch: (p) =>
    stackScript({
      title: 'Distributions by layer',
      settings: `${p.depth} layers of width ${p.width}, ${p.activation}, gain ${p.gain}, batch ${BATCH}, seed ${p.seed}`,
      runs: p.inits.map((init) => ({ label: initName(init), config: config(p, init) })),
      stats: [
        p.what === 'gradients'
          ? { label: 'std of dL/dz', of: 'gradPre', stat: 'std' }
          : { label: 'std of the activations h', of: 'post', stat: 'std' },
        ...(p.activation === 'tanh' || p.activation === 'sigmoid'
          ? [{ label: 'share saturated', of: 'post', stat: 'fractionSaturated' } as const]
          : []),
      ],
    }),
  presets: [
    {
      id: 'glorot-bengio',
      label: 'Glorot & Bengio: standard vs normalized',
      params: {
        inits: ['torch_default', 'xavier_uniform'],
        activation: 'tanh',
        what: 'activations',
        depth: 5,
        gain: 1,
      },
    },
    {
      id: 'tanh-gain',
      label: 'Xavier with tanh’s gain 5/3',
      params: {
        inits: ['xavier_uniform'],
        activation: 'tanh',
        what: 'activations',
        depth: 5,
        gain: 1.67,
      },
    },
    {
      id: 'saturated',
      label: 'Saturated tanh (gain 4)',
      params: {
        inits: ['xavier_uniform'],
        activation: 'tanh',
        what: 'activations',
        depth: 5,
        gain: 4,
      },
    },
    {
      id: 'gradients',
      label: 'Gradients: standard vs normalized',
      params: {
        inits: ['torch_default', 'xavier_uniform'],
        activation: 'tanh',
        what: 'gradients',
        depth: 5,
        gain: 1,
      },
    },
    {
      id: 'sigmoid',
      label: 'Sigmoid: the offset at ½',
      params: {
        inits: ['xavier_uniform'],
        activation: 'sigmoid',
        what: 'activations',
        depth: 5,
        gain: 1,
      },
    },
  ],
  compute,
  summary(d, p) {
    const name = d.what === 'gradients' ? 'gradients' : 'activations';
    const parts = p.inits.map((init) => {
      const rows = d.layers.filter((l) => l.init === init);
      const first = rows[0];
      const last = rows.at(-1);
      if (!first || !last) return '';
      const verb = last.std < first.std ? 'falls' : 'rises';
      let text = `${initName(init)}: the std of the ${name} ${verb} from ${formatNumber(first.std)} at layer 1 to ${formatNumber(last.std)} at layer ${last.layer}`;
      if (last.theoryStd !== null) text += ` (theory ${formatNumber(last.theoryStd)})`;
      if (first.saturated !== null && last.saturated !== null) {
        text += `; ${percent(first.saturated)} saturated at layer 1, ${percent(last.saturated)} at layer ${last.layer}`;
      }
      if (p.activation === 'relu' && d.what === 'activations') {
        text += `; ${percent(last.zero)} of layer ${last.layer}’s outputs are exactly 0`;
      }
      const overflow = rows.find((l) => l.nonFinite > 0);
      if (overflow) text += ` (values overflow from layer ${overflow.layer})`;
      return text;
    });
    return `Histograms of the ${name}, ${p.activation}, width ${p.width}. ${parts.join('. ')}.`;
  },
  table(d) {
    return {
      columns: [
        'init',
        'layer',
        'mean',
        'std',
        'theory_std',
        'fraction_saturated',
        'fraction_zero',
        'fraction_off_chart',
      ],
      rows: d.layers.map((l) => [
        l.init,
        l.layer,
        l.mean,
        l.std,
        l.theoryStd,
        l.saturated,
        l.zero,
        l.offChart,
      ]),
    };
  },
};
