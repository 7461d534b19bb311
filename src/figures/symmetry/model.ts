/**
 * Symmetry: with all-zero or constant weights every unit of a layer computes the same function of
 * the same inputs, so for each sample all units carry the same value. The backward pass hands each
 * unit the same gradient, so a gradient step changes their weights identically and the units never
 * separate. The engine's `unitSpread` (mean over samples of the variance across units) is then
 * exactly 0, for activations and for gradients, at every layer; any random init makes it positive.
 *
 * The heatmap needs the raw values of one layer, which the engine only summarises, so
 * {@link layerValues} redoes the forward pass of the same network (same seed, same draw order).
 *
 * @module
 */
import type { InitSpec } from '../../engine/init';
import { initEntry, initLabel, initOptions } from '../../engine/init-catalogue';
import { propagateSteps, type PropagateConfig } from '../../engine/propagate';
import { validate } from '../../engine/propagate/config';
import { buildStack, drawStack } from '../../engine/propagate/stack';
import { stackScript } from '../../pytorch/stack-script';
import { STREAM_PARAM, streamOptions } from '../stream';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';

/** A small network: enough units and samples to see stripes, small enough to read cell by cell. */
export const DEPTH = 6;
export const WIDTH = 16;
export const BATCH = 24;
const SEED = 1;
/** The random init drawn beside a constant one, for contrast. */
export const CONTRAST = 'xavier_normal';

export const INITS = initOptions(['zeros', 'constant', 'small', 'xavier_normal']);

export const schema = {
  init: { kind: 'choice', label: 'Initialization', default: 'constant', options: INITS },
  value: {
    kind: 'number',
    label: 'Constant c',
    min: -0.5,
    max: 0.5,
    step: 0.01,
    default: 0.1,
    hint: 'Every weight equals c (used by the constant initialization).',
  },
  activation: {
    kind: 'choice',
    label: 'Activation',
    default: 'tanh',
    options: [
      { value: 'tanh', label: 'tanh' },
      { value: 'relu', label: 'ReLU' },
      { value: 'sigmoid', label: 'sigmoid' },
      { value: 'linear', label: 'linear' },
    ],
  },
  layer: {
    kind: 'number',
    label: 'Layer shown',
    min: 1,
    max: DEPTH,
    step: 1,
    integer: true,
    default: 2,
  },
  stream: STREAM_PARAM,
} as const;

export type SymmetryParams = ParamsOf<typeof schema>;

/** One layer's spread across units, for one init. */
export interface SpreadRow {
  readonly init: string;
  readonly layer: number;
  /** Activations h^l: unitSpread and the variance over all entries. */
  readonly spread: number;
  readonly variance: number;
  /** Gradients ∂L/∂pre-activation: the same two. */
  readonly gradSpread: number;
  readonly gradVariance: number;
}

/** One heatmap cell: the activation of `unit` for `sample` at the layer shown. */
export interface Cell {
  readonly unit: number;
  readonly sample: number;
  readonly value: number;
}

export interface SymmetryData {
  readonly init: string;
  readonly layer: number;
  readonly cells: Cell[];
  /** Per layer, for the init shown and (for a constant or zero init) the random contrast. */
  readonly spreads: SpreadRow[];
}

/** The engine spec of `init` (the catalogue's), `value` being the constant's. */
export function initSpec(init: string, value: number): InitSpec {
  return initEntry(init).spec({ value });
}

/** The network behind the figure, for one init: the spreads, the cells and the PyTorch script share it. */
export function symmetryRun(p: SymmetryParams, init: string): PropagateConfig {
  return {
    depth: DEPTH,
    width: WIDTH,
    batch: BATCH,
    activation: p.activation,
    weightInit: initSpec(init, p.value),
    seed: SEED,
    backward: true,
    // The same gradient 1/B reaches every output unit, so nothing but the init can tell them apart.
    loss: 'sum',
    summaries: 'moments',
    ...streamOptions(p.stream),
  };
}

/**
 * The activations h^layer (batch × width, row-major) of the network `propagate` builds from the
 * same configuration: its own draws (weights, biases, inputs, in its order), then a plain forward
 * pass.
 */
export function layerValues(config: PropagateConfig, layer: number): Float32Array {
  const plan = validate(config);
  const { params, input } = drawStack(plan, buildStack(plan, false));
  let h = input;
  for (let l = 1; l <= layer; l++) {
    const [w, bias] = params.get(String(l))!;
    const next = new Float32Array(BATCH * WIDTH);
    for (let b = 0; b < BATCH; b++) {
      for (let i = 0; i < WIDTH; i++) {
        let s = bias![i]!;
        for (let j = 0; j < WIDTH; j++) s += h[b * WIDTH + j]! * w![i * WIDTH + j]!;
        next[b * WIDTH + i] = s;
      }
    }
    plan.act.apply(next, next, next.length);
    h = next;
  }
  return h;
}

function* spreads(init: string, p: SymmetryParams): Generator<unknown, SpreadRow[]> {
  const result = yield* propagateSteps(symmetryRun(p, init));
  return result.layers.map((l) => ({
    init,
    layer: l.layer,
    spread: l.post.unitSpread,
    variance: l.post.variance,
    gradSpread: l.gradPre!.unitSpread,
    gradVariance: l.gradPre!.variance,
  }));
}

/** "Copy as PyTorch": the chosen init (and the random contrast beside a tied one). */
function pytorch(p: SymmetryParams): string {
  const tied = p.init === 'zeros' || p.init === 'constant';
  return stackScript({
    title: 'Symmetry: identical units stay identical',
    settings: `${DEPTH} layers of width ${WIDTH}, ${p.activation}, batch ${BATCH}, zero biases, loss = mean over the batch of the outputs' sum, seed ${SEED}`,
    runs: [p.init, ...(tied ? [CONTRAST] : [])].map((init) => ({
      label: initName(init, p.value),
      config: symmetryRun(p, init),
    })),
    stats: [
      { label: 'spread of h across units', of: 'post', stat: 'unitSpread' },
      { label: 'variance of h', of: 'post', stat: 'variance' },
      { label: 'spread of dL/dz across units', of: 'gradPre', stat: 'unitSpread' },
      { label: 'variance of dL/dz', of: 'gradPre', stat: 'variance' },
    ],
  });
}

function* compute(p: SymmetryParams): Generator<unknown, SymmetryData> {
  const values = layerValues(symmetryRun(p, p.init), p.layer);
  const cells: Cell[] = [];
  for (let b = 0; b < BATCH; b++) {
    for (let i = 0; i < WIDTH; i++)
      cells.push({ unit: i + 1, sample: b + 1, value: values[b * WIDTH + i]! });
  }
  const rows = yield* spreads(p.init, p);
  const tied = p.init === 'zeros' || p.init === 'constant';
  if (tied) rows.push(...(yield* spreads(CONTRAST, p)));
  return { init: p.init, layer: p.layer, cells, spreads: rows };
}

export const initName = (init: string, value: number): string =>
  init === 'constant' ? `Constant c = ${formatNumber(value)}` : initLabel(init);

/**
 * The share of the variance that lies across units rather than across samples: 0 for identical
 * units, about 1 for independent ones (0 too when nothing varies at all).
 */
export const relative = (spread: number, variance: number): number =>
  variance > 0 ? spread / variance : 0;

export const model: FigureModel<typeof schema, SymmetryData> = {
  id: 'symmetry',
  title: 'Symmetry: identical units stay identical',
  prefix: 'sym',
  schema,
  primary: ['init', 'value', 'activation'],
  pytorch,
  presets: [
    { id: 'zeros', label: 'All zeros', params: { init: 'zeros', activation: 'tanh' } },
    {
      id: 'constant',
      label: 'Constant 0.1',
      params: { init: 'constant', value: 0.1, activation: 'tanh' },
    },
    { id: 'random', label: 'Xavier (random)', params: { init: 'xavier_normal' } },
    {
      id: 'constant-relu',
      label: 'Constant, ReLU',
      params: { init: 'constant', value: 0.2, activation: 'relu' },
    },
  ],
  compute,
  summary(d, p) {
    const own = d.spreads.filter((r) => r.init === d.init);
    const shown = own.find((r) => r.layer === d.layer);
    const name = initName(d.init, p.value);
    const head = `${name}, ${p.activation}, ${WIDTH} units × ${BATCH} samples, layer ${d.layer} shown.`;
    if (own.every((r) => r.spread === 0 && r.gradSpread === 0)) {
      const contrast = d.spreads.find((r) => r.init === CONTRAST && r.layer === d.layer);
      const tail = contrast
        ? ` Xavier normal for contrast: ${formatNumber(relative(contrast.spread, contrast.variance))} of the variance lies across units.`
        : '';
      return (
        `${head} Every unit carries the same value for each sample: the spread across units is ` +
        `exactly 0 at all ${DEPTH} layers, for the activations and for the gradients (the ` +
        `gradients are tied, so training cannot pull the units apart).${tail}`
      );
    }
    if (!shown) return head;
    return (
      `${head} The units differ: at layer ${d.layer}, ` +
      `${formatNumber(relative(shown.spread, shown.variance))} of the activations' variance lies ` +
      `across units, ${formatNumber(relative(shown.gradSpread, shown.gradVariance))} of the gradients'.`
    );
  },
  table(d) {
    return {
      columns: [
        'init',
        'layer',
        'activation_unit_spread',
        'activation_variance',
        'gradient_unit_spread',
        'gradient_variance',
      ],
      rows: d.spreads.map((r) => [
        r.init,
        r.layer,
        r.spread,
        r.variance,
        r.gradSpread,
        r.gradVariance,
      ]),
    };
  },
};
