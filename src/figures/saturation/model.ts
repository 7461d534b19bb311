/**
 * Saturation and dead units: at every layer of a deep network, the share of tanh or sigmoid units in
 * their flat ends (|tanh| > 0.97, sigmoid outside [0.03, 0.97]) or of ReLU outputs that are exactly
 * 0, at the chosen gain and over a sweep of gains, with the mean-field expectation beside each.
 *
 * Theory (./layer-theory.ts): pre-activations are N(μ_b, v^l) across units and samples, so the
 * expected shares are P(|pre| > t) with t = atanh(0.97) (tanh) or logit(0.97) (sigmoid), and
 * P(pre ≤ 0) = Φ(−μ_b/√v^l) for ReLU.
 *
 * @module
 */
import type { InitSpec } from '../../engine/init';
import { initEntry, initLabel, initOptions, sigmaW2Of } from '../../engine/init-catalogue';
import type { PropagateConfig } from '../../engine/propagate';
import { stackScript } from '../../pytorch/stack-script';
import { propagateSharedSteps } from '../../worker/split';
import { STREAM_PARAM, streamOptions } from '../stream';
import type { ParamsOf } from '../params';
import { formatNumber, formatOnScale, type FigureModel } from '../types';
import { expectedFraction, layerTheory } from './layer-theory';

export const INIT_OPTIONS = initOptions([
  'xavier_normal',
  'kaiming_normal',
  'torch_default',
  'lecun_normal',
  'unscaled',
]);

/** The catalogue's label (the summary's). */
export const initName = initLabel;

export const schema = {
  activation: {
    kind: 'choice',
    label: 'Activation',
    default: 'tanh',
    options: [
      { value: 'tanh', label: 'tanh (saturated units)' },
      { value: 'sigmoid', label: 'sigmoid (saturated units)' },
      { value: 'relu', label: 'ReLU (outputs exactly 0)' },
    ],
  },
  init: {
    kind: 'choice',
    label: 'Initialization',
    default: 'xavier_normal',
    options: INIT_OPTIONS,
  },
  gain: {
    kind: 'number',
    label: 'Gain',
    min: 0.25,
    max: 8,
    step: 0.01,
    scale: 'log',
    default: 1,
    hint: 'Multiplies every weight’s standard deviation.',
  },
  depth: {
    kind: 'number',
    label: 'Depth (layers)',
    min: 2,
    max: 20,
    step: 1,
    integer: true,
    default: 10,
  },
  width: {
    kind: 'number',
    label: 'Width (units per layer)',
    min: 16,
    max: 256,
    step: 16,
    integer: true,
    default: 128,
  },
  biasMean: {
    kind: 'number',
    label: 'Bias mean μ_b',
    min: -3,
    max: 3,
    step: 0.1,
    default: 0,
    hint: 'A negative bias silences ReLUs.',
  },
  biasStd: { kind: 'number', label: 'Bias std σ_b', min: 0, max: 2, step: 0.05, default: 0 },
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

export type SaturationParams = ParamsOf<typeof schema>;

/** One layer at one gain: the simulated share and the mean-field expectation. */
export interface SharePoint {
  readonly gain: number;
  readonly layer: number;
  readonly measured: number;
  readonly theory: number | null;
}

export interface SaturationData {
  readonly activation: string;
  /** What the share counts. */
  readonly measure: 'saturated' | 'zero';
  readonly gain: number;
  readonly depth: number;
  /** Every layer at the chosen gain. */
  readonly byLayer: SharePoint[];
  /** Layer 1 and the last layer at each gain of {@link SWEEP_GAINS}. */
  readonly sweep: SharePoint[];
  /** The expectation for the same two layers on a fine grid of gains. */
  readonly sweepTheory: SharePoint[];
}

/** Samples at the chosen gain, and at each gain of the sweep. */
export const BATCH = 64;
export const SWEEP_BATCH = 32;
/** 0.25 … 8 in doublings: the simulated points of the sweep (each one is a full run). */
export const SWEEP_GAINS = [0.25, 0.5, 1, 2, 4, 8];
/** The expectation is cheap: 61 gains, 0.25 … 8 in equal ratios. */
const THEORY_GAINS = Array.from({ length: 61 }, (_, k) => 0.25 * 32 ** (k / 60));

function biasInit(p: SaturationParams): InitSpec {
  return p.biasStd > 0
    ? { name: 'normal', mean: p.biasMean, std: p.biasStd }
    : { name: 'constant', value: p.biasMean };
}

function expected(p: SaturationParams, gain: number): (number | null)[] {
  return layerTheory({
    activation: p.activation,
    sigmaW2: sigmaW2Of(p.init, p.width, { gain }),
    biasMean: p.biasMean,
    biasStd: p.biasStd,
    depth: p.depth,
    rtol: 1e-7,
  }).map((t) => expectedFraction(p.activation, t.preMean, t.preVariance));
}

/** The run behind one gain: compute and the PyTorch script share it. */
export function saturationRun(p: SaturationParams, gain: number, batch: number): PropagateConfig {
  return {
    depth: p.depth,
    width: p.width,
    batch,
    activation: p.activation,
    weightInit: initEntry(p.init).spec({ gain }),
    biasInit: biasInit(p),
    seed: p.seed,
    summaries: 'moments',
    ...streamOptions(p.stream),
  };
}

function* simulate(p: SaturationParams, gain: number, batch: number): Generator<unknown, number[]> {
  const result = yield* propagateSharedSteps(saturationRun(p, gain, batch));
  return result.layers.map((l) =>
    p.activation === 'relu' ? l.post.fractionZero : (l.post.fractionSaturated ?? NaN),
  );
}

/** "Copy as PyTorch": the chosen gain's stack, then each gain of the sweep. */
function pytorch(p: SaturationParams): string {
  const zero = p.activation === 'relu';
  return stackScript({
    title: 'Saturation by layer',
    settings: `${p.depth} layers of width ${p.width}, ${p.activation}, ${initLabel(p.init)}, bias N(${p.biasMean}, ${p.biasStd}²), seed ${p.seed}; the chosen gain on a batch of ${BATCH}, then the sweep's gains on ${SWEEP_BATCH}`,
    runs: [
      { label: `gain ${p.gain}`, config: saturationRun(p, p.gain, BATCH) },
      ...SWEEP_GAINS.map((g) => ({
        label: `sweep: gain ${g}`,
        config: saturationRun(p, g, SWEEP_BATCH),
      })),
    ],
    stats: [
      zero
        ? { label: 'share of exact zeros', of: 'post', stat: 'fractionZero' }
        : {
            label: p.activation === 'tanh' ? 'share with |h| > 0.97' : 'share outside [0.03, 0.97]',
            of: 'post',
            stat: 'fractionSaturated',
          },
    ],
  });
}

function* compute(p: SaturationParams): Generator<unknown, SaturationData> {
  const measured = yield* simulate(p, p.gain, BATCH);
  const theory = expected(p, p.gain);
  const byLayer = measured.map((m, i) => ({
    gain: p.gain,
    layer: i + 1,
    measured: m,
    theory: theory[i] ?? null,
  }));
  const shown = [1, p.depth];
  const sweep: SharePoint[] = [];
  for (const gain of SWEEP_GAINS) {
    const m = yield* simulate(p, gain, SWEEP_BATCH);
    const t = expected(p, gain);
    for (const layer of shown) {
      sweep.push({ gain, layer, measured: m[layer - 1]!, theory: t[layer - 1] ?? null });
    }
  }
  const sweepTheory = THEORY_GAINS.flatMap((gain) => {
    const t = expected(p, gain);
    return shown.map((layer) => ({ gain, layer, measured: NaN, theory: t[layer - 1] ?? null }));
  });
  return {
    activation: p.activation,
    measure: p.activation === 'relu' ? 'zero' : 'saturated',
    gain: p.gain,
    depth: p.depth,
    byLayer,
    sweep,
    sweepTheory,
  };
}

/** What the share counts, in words. */
export function measureName(activation: string): string {
  if (activation === 'relu') return 'ReLU outputs exactly 0';
  if (activation === 'sigmoid') return 'sigmoid units saturated (outside [0.03, 0.97])';
  return 'tanh units saturated (|tanh| > 0.97)';
}

/** A share as a percentage; with a scale (the largest share it is compared with), rounding noise is 0%. */
const percent = (x: number | null, scale = 0): string =>
  x === null || Number.isNaN(x) ? 'n/a' : `${formatOnScale(100 * x, 100 * scale)}%`;

export const model: FigureModel<typeof schema, SaturationData> = {
  id: 'saturation',
  title: 'Saturation and dead units',
  prefix: 'sat',
  schema,
  primary: ['activation', 'init', 'gain', 'biasMean'],
  pytorch,
  presets: [
    {
      id: 'tanh-gain',
      label: 'tanh: raise the gain',
      params: { activation: 'tanh', init: 'xavier_normal', gain: 3, biasMean: 0, biasStd: 0 },
    },
    {
      id: 'unscaled',
      label: 'tanh, unscaled N(0, 1)',
      params: { activation: 'tanh', init: 'unscaled', gain: 1, biasMean: 0, biasStd: 0 },
    },
    {
      id: 'sigmoid',
      label: 'sigmoid, Xavier',
      params: { activation: 'sigmoid', init: 'xavier_normal', gain: 1, biasMean: 0, biasStd: 0 },
    },
    {
      id: 'dead-relu',
      label: 'Dead ReLUs: bias −3',
      params: { activation: 'relu', init: 'kaiming_normal', gain: 1, biasMean: -3, biasStd: 0 },
    },
    {
      id: 'relu-he',
      label: 'ReLU, He, zero bias',
      params: { activation: 'relu', init: 'kaiming_normal', gain: 1, biasMean: 0, biasStd: 0 },
    },
  ],
  compute,
  summary(d, p) {
    const first = d.byLayer[0]!;
    const last = d.byLayer.at(-1)!;
    const theoryScale = Math.max(Math.abs(first.theory ?? 0), Math.abs(last.theory ?? 0));
    const sweepOf = (layer: number) => d.sweep.filter((s) => s.layer === layer);
    const range = (layer: number): string => {
      const s = sweepOf(layer);
      return `${percent(s[0]?.measured ?? null)} to ${percent(s.at(-1)?.measured ?? null)}`;
    };
    return (
      `${initName(p.init)} × gain ${formatNumber(p.gain)}, width ${p.width}, bias ${formatNumber(p.biasMean)} ± ${formatNumber(p.biasStd)}: ` +
      `${percent(first.measured)} of ${measureName(d.activation)} at layer 1 and ${percent(last.measured)} at layer ${last.layer} ` +
      `(mean field ${percent(first.theory, theoryScale)} and ${percent(last.theory, theoryScale)}). ` +
      `As the gain goes from ${formatNumber(SWEEP_GAINS[0]!)} to ${formatNumber(SWEEP_GAINS.at(-1)!)}, ` +
      `layer 1 goes from ${range(1)}, layer ${d.depth} from ${range(d.depth)}.`
    );
  },
  table(d) {
    return {
      columns: ['gain', 'layer', 'measured_share', 'theory_share'],
      rows: [...d.byLayer, ...d.sweep].map((s) => [s.gain, s.layer, s.measured, s.theory]),
    };
  },
};
