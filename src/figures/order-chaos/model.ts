/**
 * Order and chaos (Poole et al. 2016; Schoenholz et al. 2017): the (σ_w², σ_b²) plane of a deep
 * random network, shaded by q* or χ₁, with the critical line χ₁ = 1 that separates the ordered
 * phase (nearby inputs become identical with depth) from the chaotic one (they decorrelate). For
 * the chosen point: the variance q^l and the correlation c^l of two inputs by depth from theory,
 * and the variance simulated by the engine (weights N(0, σ_w²/n), biases N(0, σ_b²)).
 *
 * @module
 */
import { criticalSigmaW2 } from '../../engine/meanfield';
import type { PropagateConfig } from '../../engine/propagate';
import { stackScript } from '../../pytorch/stack-script';
import { propagateSharedSteps } from '../../worker/split';
import { STREAM_PARAM, streamOptions } from '../stream';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';
import { chiOne, depthCurves, fixedPointQ, pointTheory, type PointTheory } from './theory';

/** The plane drawn: σ_w² on x, σ_b² on y, split into GRID_W × GRID_B cells. */
export const W2_RANGE = [0.5, 4] as const;
export const B2_RANGE = [0, 0.25] as const;
const GRID_W = 30;
const GRID_B = 20;
/** σ_b² values the critical line is solved at. */
const LINE_STEPS = 20;
/** The simulated network: width, batch and seed. */
export const SIM_WIDTH = 128;
export const SIM_BATCH = 32;
const SEED = 2;

export const schema = {
  activation: {
    kind: 'choice',
    label: 'Activation',
    default: 'tanh',
    options: [
      { value: 'tanh', label: 'tanh' },
      { value: 'relu', label: 'ReLU' },
    ],
  },
  sigmaW2: {
    kind: 'number',
    label: 'Weight variance σ_w²',
    min: W2_RANGE[0],
    max: W2_RANGE[1],
    step: 0.01,
    default: 1.76,
    hint: 'Var(w) = σ_w²/n. Or click a point in the plane.',
  },
  sigmaB2: {
    kind: 'number',
    label: 'Bias variance σ_b²',
    min: B2_RANGE[0],
    max: B2_RANGE[1],
    step: 0.005,
    default: 0.05,
  },
  depth: {
    kind: 'number',
    label: 'Depth (layers)',
    min: 5,
    max: 100,
    step: 1,
    integer: true,
    default: 50,
  },
  c0: {
    kind: 'number',
    label: 'Input correlation',
    min: 0,
    max: 0.99,
    step: 0.01,
    default: 0.9,
    hint: 'Correlation of the two inputs whose pre-activations are followed.',
  },
  shade: {
    kind: 'choice',
    label: 'Shade the plane by',
    default: 'qstar',
    options: [
      { value: 'qstar', label: 'q* (fixed-point variance)' },
      { value: 'chi1', label: 'χ₁ (gradient growth per layer)' },
    ],
  },
  stream: STREAM_PARAM,
} as const;

export type OrderChaosParams = ParamsOf<typeof schema>;

export interface GridCell {
  readonly w2lo: number;
  readonly w2hi: number;
  readonly b2lo: number;
  readonly b2hi: number;
  readonly qStar: number;
  readonly chi1: number;
}

export interface Grid {
  readonly cells: GridCell[];
  /** The critical line χ₁ = 1, one point per σ_b². */
  readonly critical: { readonly sigmaB2: number; readonly sigmaW2: number }[];
}

export interface DepthRow {
  readonly layer: number;
  readonly q: number;
  readonly c: number;
  /** Simulated mean square of the pre-activations. */
  readonly simulated: number;
}

export interface OrderChaosData {
  readonly activation: string;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  readonly shade: 'qstar' | 'chi1';
  readonly grid: Grid;
  readonly point: PointTheory;
  readonly layers: DepthRow[];
}

/** The plane does not depend on the point: computed once per activation. */
const grids = new Map<string, Grid>();

function* gridFor(activation: string): Generator<unknown, Grid> {
  const cached = grids.get(activation);
  if (cached) return cached;
  const dw = (W2_RANGE[1] - W2_RANGE[0]) / GRID_W;
  const db = (B2_RANGE[1] - B2_RANGE[0]) / GRID_B;
  const cells: GridCell[] = [];
  for (let i = 0; i < GRID_W; i++) {
    const w2lo = W2_RANGE[0] + i * dw;
    const w2 = w2lo + dw / 2;
    for (let j = 0; j < GRID_B; j++) {
      const b2lo = B2_RANGE[0] + j * db;
      const qStar = fixedPointQ(activation, w2, b2lo + db / 2);
      cells.push({
        w2lo,
        w2hi: w2lo + dw,
        b2lo,
        b2hi: b2lo + db,
        qStar,
        chi1: chiOne(activation, w2, qStar),
      });
    }
    yield { phase: 'grid', column: i + 1, of: GRID_W };
  }
  const critical: Grid['critical'] = [];
  for (let j = 0; j <= LINE_STEPS; j++) {
    // Quadratic spacing: the tanh line rises steeply from σ_w² = 1 at σ_b² = 0.
    const sigmaB2 = B2_RANGE[0] + (B2_RANGE[1] - B2_RANGE[0]) * (j / LINE_STEPS) ** 2;
    // ReLU: χ₁ = σ_w²/2 whatever q* is, so the line is σ_w² = 2 (the engine's solver agrees, slowly).
    const sigmaW2 = activation === 'relu' ? 2 : criticalSigmaW2(activation, sigmaB2);
    critical.push({ sigmaB2, sigmaW2 });
  }
  const grid = { cells, critical };
  grids.set(activation, grid);
  return grid;
}

/** The simulated stack beside the theory: compute and the PyTorch script share it. */
export function orderChaosRun(p: OrderChaosParams): PropagateConfig {
  return {
    depth: p.depth,
    width: SIM_WIDTH,
    batch: SIM_BATCH,
    activation: p.activation,
    weightInit: { name: 'normal', mean: 0, std: Math.sqrt(p.sigmaW2 / SIM_WIDTH) },
    biasInit:
      p.sigmaB2 > 0 ? { name: 'normal', mean: 0, std: Math.sqrt(p.sigmaB2) } : { name: 'zeros' },
    seed: SEED,
    summaries: 'moments',
    ...streamOptions(p.stream),
  };
}

function* compute(p: OrderChaosParams): Generator<unknown, OrderChaosData> {
  const grid = yield* gridFor(p.activation);
  // N(0, 1) inputs: layer 1 has q = σ_w² + σ_b² and correlation (σ_w²·c0 + σ_b²)/q.
  const q1 = p.sigmaW2 + p.sigmaB2;
  const point = pointTheory(p.activation, p.sigmaW2, p.sigmaB2, q1);
  const c1 = (p.sigmaW2 * p.c0 + p.sigmaB2) / q1;
  const curves = depthCurves(p.activation, p.sigmaW2, p.sigmaB2, q1, c1, p.depth);
  const result = yield* propagateSharedSteps(orderChaosRun(p));
  return {
    activation: p.activation,
    sigmaW2: p.sigmaW2,
    sigmaB2: p.sigmaB2,
    shade: p.shade === 'chi1' ? 'chi1' : 'qstar',
    grid,
    point,
    layers: result.layers.map((l, i) => ({
      layer: l.layer,
      q: curves.q[i]!,
      c: curves.c[i]!,
      simulated: l.pre.meanSquare,
    })),
  };
}

/** 'ordered', 'critical' or 'chaotic', with a band of ±1% around χ₁ = 1 called critical. */
export function phaseOf(chi1: number): 'ordered' | 'critical' | 'chaotic' {
  return Math.abs(chi1 - 1) < 0.01 ? 'critical' : chi1 < 1 ? 'ordered' : 'chaotic';
}

function correlationText(t: PointTheory): string {
  const xi = `ξ_c ≈ ${formatNumber(t.xiC)} layers`;
  if (!(t.qStar > 0 && Number.isFinite(t.qStar))) {
    return t.qStar === 0 ? 'the signal dies out' : 'the variance grows without bound';
  }
  if (t.cStar < 1) return `correlations fall to c* = ${formatNumber(t.cStar)} over ${xi}`;
  if (!Number.isFinite(t.xiC)) return 'correlations converge to 1 without a depth scale (ξ_c = ∞)';
  return `correlations converge to 1 over ${xi}`;
}

export const model: FigureModel<typeof schema, OrderChaosData> = {
  id: 'order-chaos',
  title: 'Order and chaos',
  prefix: 'oc',
  schema,
  primary: ['sigmaW2', 'sigmaB2', 'activation', 'shade'],
  pytorch: (p) =>
    stackScript({
      title: 'Order and chaos',
      settings: `the simulated stack beside the map: ${p.depth} layers of width ${SIM_WIDTH}, ${p.activation}, σ_w² = ${p.sigmaW2}, σ_b² = ${p.sigmaB2}, batch ${SIM_BATCH}, seed ${SEED}`,
      runs: [{ label: `σ_w² = ${p.sigmaW2}, σ_b² = ${p.sigmaB2}`, config: orderChaosRun(p) }],
      stats: [
        { label: 'q, the mean square of the pre-activations', of: 'pre', stat: 'meanSquare' },
      ],
    }),
  presets: [
    { id: 'critical', label: 'Critical (1.76, 0.05)', params: { sigmaW2: 1.76, sigmaB2: 0.05 } },
    { id: 'ordered', label: 'Ordered (1, 0.05)', params: { sigmaW2: 1, sigmaB2: 0.05 } },
    { id: 'chaotic', label: 'Chaotic (4, 0.05)', params: { sigmaW2: 4, sigmaB2: 0.05 } },
    {
      id: 'relu-he',
      label: 'ReLU at He (2, 0)',
      params: { activation: 'relu', sigmaW2: 2, sigmaB2: 0 },
    },
  ],
  compute,
  summary(d, p) {
    const t = d.point;
    const last = d.layers.at(-1);
    const qText = Number.isFinite(t.qStar) ? formatNumber(t.qStar) : '∞';
    const sim = last
      ? ` Simulated variance at layer ${last.layer}: ${formatNumber(last.simulated)} (theory ${formatNumber(last.q)}).`
      : '';
    return (
      `σ_w² = ${formatNumber(p.sigmaW2)}, σ_b² = ${formatNumber(p.sigmaB2)} (${p.activation}): ` +
      `χ₁ = ${t.chi1.toFixed(2)} (${phaseOf(t.chi1)}); q* = ${qText}; ${correlationText(t)}.${sim}`
    );
  },
  table(d) {
    return {
      columns: ['layer', 'theory_q', 'simulated_q', 'theory_c', 'sigma_w2', 'sigma_b2'],
      rows: d.layers.map((l) => [l.layer, l.q, l.simulated, l.c, d.sigmaW2, d.sigmaB2]),
    };
  },
};
