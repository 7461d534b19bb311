/**
 * Width draws: many independent random draws of the same deep ReLU network, each followed through
 * its layers as one line of the second moment M^l = ‖a^l‖²/n of one input's activations. Mean-field
 * theory predicts the average, (σ_w²/2)^l (flat for He); finite width makes single draws wander
 * around it, and ln M spreads with a variance that grows like depth/width (see `law.ts`).
 *
 * Each draw is a full `propagate` of a width × width network with one ±1 input (so M⁰ = 1 exactly),
 * seeds 1, 2, … in order: draws 1–8 at width 16 and depth 30 are the chapter cell's networks. Cost
 * grows with width², so wide networks use fewer draws than asked (at most `WEIGHT_BUDGET` weights
 * per redraw, never fewer than `MIN_DRAWS`), and the summary says so.
 *
 * @module
 */
import { initEntry, initLabel, initOptions, sigmaW2Of } from '../../engine/init-catalogue';
import { propagateSteps, type PropagateConfig } from '../../engine/propagate';
import { stackScript } from '../../pytorch/stack-script';
import { STREAM_PARAM, streamOptions } from '../stream';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';
import { logFactorLaw } from './law';

/** Weights drawn per redraw at most (about two seconds of normal draws). */
export const WEIGHT_BUDGET = 2 ** 25;
/** Draws kept however wide the network, so that a spread can still be read. */
export const MIN_DRAWS = 3;
/** Draw k (from 0) uses seed SEED + k. */
const SEED = 1;

export const INIT_OPTIONS = initOptions(['kaiming_normal', 'kaiming_uniform', 'xavier_normal']);

export const schema = {
  width: {
    kind: 'number',
    label: 'Width (units per layer)',
    min: 8,
    max: 512,
    step: 1,
    integer: true,
    scale: 'log',
    default: 32,
    hint: 'Wide networks take longer: each draw has depth × width² weights.',
  },
  depth: {
    kind: 'number',
    label: 'Depth (layers)',
    min: 2,
    max: 100,
    step: 1,
    integer: true,
    default: 30,
  },
  draws: {
    kind: 'number',
    label: 'Random draws (networks)',
    min: 10,
    max: 200,
    step: 10,
    integer: true,
    default: 50,
    hint: 'Each draw is a fresh network, seeds 1, 2, 3, …; wide ones use fewer to stay quick.',
  },
  init: {
    kind: 'choice',
    label: 'Initialization',
    default: 'kaiming_normal',
    options: INIT_OPTIONS,
  },
  stream: STREAM_PARAM,
} as const;

export type DrawsParams = ParamsOf<typeof schema>;

/** Statistics over the draws at one layer (layer 0 is the input). */
export interface LayerSpread {
  readonly layer: number;
  /** Mean-field: E[M^l] = (σ_w²/2)^l. */
  readonly meanField: number;
  /** Draws whose M^l > 0. */
  readonly alive: number;
  /** exp of the mean of ln M^l over live draws, and its theory exp(l·E[ln Y]). */
  readonly geoMean: number;
  readonly geoMeanTheory: number;
  /** Sample variance of ln M^l over live draws, and its theory l·Var(ln Y). */
  readonly logVariance: number;
  readonly logVarianceTheory: number;
  /** Hanin & Rolnick's large-width rate: 5·l/n. */
  readonly logVarianceWide: number;
  readonly min: number;
  readonly max: number;
}

export interface DrawsData {
  /** Per draw, M^l for l = 0 … depth. */
  readonly lines: number[][];
  readonly layers: LayerSpread[];
  /** Draws asked for, and drawn (fewer for wide networks). */
  readonly requested: number;
  readonly drawn: number;
  /** Whether the theory is exact (Gaussian weights) or leading order (uniform). */
  readonly exact: boolean;
}

/** Draws that fit the budget at this width and depth. */
export function drawsWithinBudget(p: Pick<DrawsParams, 'width' | 'depth' | 'draws'>): number {
  const perDraw = p.depth * p.width * p.width;
  return Math.min(p.draws, Math.max(MIN_DRAWS, Math.floor(WEIGHT_BUDGET / perDraw)));
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sampleVariance = (xs: readonly number[]): number => {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Draw k's network (its own seed): compute and the PyTorch script share it. */
export function drawRun(p: DrawsParams, k: number): PropagateConfig {
  return {
    depth: p.depth,
    width: p.width,
    batch: 1,
    activation: 'relu',
    weightInit: initEntry(p.init).spec(),
    input: { distribution: 'rademacher' },
    seed: SEED + k,
    summaries: 'moments',
    ...streamOptions(p.stream),
  };
}

function* compute(p: DrawsParams): Generator<unknown, DrawsData> {
  const drawn = drawsWithinBudget(p);
  const lines: number[][] = [];
  for (let k = 0; k < drawn; k++) {
    const result = yield* propagateSteps(drawRun(p, k));
    lines.push([result.input.meanSquare, ...result.layers.map((l) => l.post.meanSquare)]);
  }
  const sigmaW2 = sigmaW2Of(p.init, p.width);
  const law = logFactorLaw(p.width, sigmaW2);
  const layers: LayerSpread[] = [];
  for (let l = 0; l <= p.depth; l++) {
    const values = lines.map((line) => line[l]!);
    const logs = values.filter((m) => m > 0).map(Math.log);
    layers.push({
      layer: l,
      meanField: (sigmaW2 / 2) ** l,
      alive: logs.length,
      geoMean: logs.length > 0 ? Math.exp(mean(logs)) : NaN,
      geoMeanTheory: Math.exp(l * law.mean),
      logVariance: sampleVariance(logs),
      logVarianceTheory: l * law.variance,
      logVarianceWide: (5 * l) / p.width,
      min: Math.min(...values),
      max: Math.max(...values),
    });
  }
  return {
    lines,
    layers,
    requested: p.draws,
    drawn,
    exact: initEntry(p.init).distribution !== 'uniform',
  };
}

export const model: FigureModel<typeof schema, DrawsData> = {
  id: 'width-draws',
  title: 'Finite width: random draws of a deep ReLU network',
  prefix: 'wdr',
  schema,
  primary: ['width', 'depth', 'init'],
  pytorch: (p) =>
    stackScript({
      title: 'Width and the spread between draws',
      settings: `${drawsWithinBudget(p)} networks of ${p.depth} ReLU layers of width ${p.width}, ${initLabel(p.init)}, one ±1 input each, seeds ${SEED} to ${SEED + drawsWithinBudget(p) - 1}`,
      runs: Array.from({ length: drawsWithinBudget(p) }, (_, k) => ({
        label: `draw ${k + 1} (seed ${SEED + k})`,
        config: drawRun(p, k),
      })),
      stats: [{ label: 'mean square of the activations h', of: 'post', stat: 'meanSquare' }],
    }),
  presets: [
    {
      id: 'narrow',
      label: 'Width 16, 30 layers',
      params: { width: 16, depth: 30, draws: 50, init: 'kaiming_normal' },
    },
    {
      id: 'wide',
      label: 'Width 256, 30 layers',
      params: { width: 256, depth: 30, draws: 50, init: 'kaiming_normal' },
    },
    {
      id: 'deep-narrow',
      label: 'Width 32, 100 layers',
      params: { width: 32, depth: 100, draws: 50, init: 'kaiming_normal' },
    },
  ],
  compute,
  summary(d, p) {
    const last = d.layers.at(-1)!;
    const fewer =
      d.drawn < d.requested
        ? ` (of ${d.requested} asked for: each draw has depth × width² weights)`
        : '';
    const meanField =
      last.meanField === 1
        ? 'Mean-field theory: second moment 1 at every layer.'
        : `Mean-field theory: second moment ${formatNumber(last.meanField)} at layer ${p.depth}.`;
    const law = d.exact ? 'theory' : 'Gaussian-weight theory, leading order for uniform weights';
    const spread = Number.isNaN(last.logVariance)
      ? 'Too few draws survive to measure the spread of ln M'
      : `At layer ${p.depth} the draws range from ${formatNumber(last.min)} to ` +
        `${formatNumber(last.max)}, geometric mean ${formatNumber(last.geoMean)} ` +
        `(${law} ${formatNumber(last.geoMeanTheory)}); the variance of ln M across draws is ` +
        `${formatNumber(last.logVariance)} (${law} ${formatNumber(last.logVarianceTheory)}; ` +
        `Hanin and Rolnick’s large-width 5·L/n = ${formatNumber(last.logVarianceWide)})`;
    const dead = d.drawn - last.alive;
    const deaths =
      dead > 0
        ? ` ${dead} of ${d.drawn} draws died: every unit of some layer negative (chance 2^−${p.width} per layer).`
        : '';
    return (
      `${d.drawn} draws${fewer} of a ${p.depth}-layer ReLU network of width ${p.width}, ` +
      `${initLabel(p.init)}, one ±1 input each. ${meanField} ${spread}.${deaths}`
    );
  },
  table(d) {
    return {
      columns: [
        'layer',
        'mean_field',
        'live_draws',
        'geometric_mean',
        'geometric_mean_theory',
        'var_ln_m',
        'var_ln_m_theory',
        'var_ln_m_5l_over_n',
        'min',
        'max',
      ],
      rows: d.layers.map((r) => [
        r.layer,
        r.meanField,
        r.alive,
        r.geoMean,
        r.geoMeanTheory,
        Number.isNaN(r.logVariance) ? null : r.logVariance,
        r.logVarianceTheory,
        r.logVarianceWide,
        r.min,
        r.max,
      ]),
    };
  },
};
