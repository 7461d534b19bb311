/**
 * Activation lab: the reader types φ in mathjs syntax; the figure differentiates it, integrates it
 * against the Gaussian and answers the initialization questions for it: E[φ(z)], E[φ(z)²], the
 * second-moment gain 1/√E[φ(z)²] (beside PyTorch's gain when the formula is one PyTorch names),
 * the fixed point q* and χ₁ at the chosen (σ_w², σ_b²), the critical σ_w² at that σ_b², and a
 * simulated deep network with its mean-field prediction.
 *
 * The formula compiler (mathjs) is loaded by `prepare`, so only this figure pays for it. In the
 * browser the formula is analysed in a worker of its own, within a time limit (`formula-source.ts`).
 * A number whose integral diverges is not shown: the lab says which and why (`theory.ts`).
 *
 * @module
 */
import { activation, defineActivation, type Activation } from '../../engine/activations';
import { calculateGain } from '../../engine/fans';
import { propagateSharedSteps } from '../../worker/split';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';
import { expectationName, status } from './divergence';
import { labFormula, labFormulaNow, loadFormulaCompiler } from './formula-source';
import { labScript } from './pytorch';
import type { FormulaFunctions } from '../../formula/activation-formula';
import type { PropagateConfig } from '../../engine/propagate/config';
import { STREAM_PARAM, streamOptions, streamText } from '../stream';
import { criticalText, fixedPointText, gainText, momentsText } from './text';
import { criticalPoint, fixedPoint, theorySequence, unitMoments } from './theory';

/** The simulated network: batch and seed (width and depth are controls). */
const SIM_BATCH = 64;
const SEED = 7;
/** φ and φ′ are drawn for x in ±PLOT_RANGE. */
export const PLOT_RANGE = 4;

export const schema = {
  formula: {
    kind: 'text',
    label: 'Activation φ(x)',
    default: 'x * sigmoid(x)',
    maxLength: 200,
    hint: 'mathjs syntax in x: + − * / ^, exp, log, sqrt, abs, max, min, tanh, erf, sigmoid, softplus, relu, gelu, silu, selu, step… Each formula is answered within 2 s.',
  },
  sigmaW2: {
    kind: 'number',
    label: 'Weight variance σ_w² (n·Var(w))',
    min: 0.1,
    max: 10,
    step: 0.01,
    scale: 'log',
    default: 1,
  },
  sigmaB2: { kind: 'number', label: 'Bias variance σ_b²', min: 0, max: 1, step: 0.01, default: 0 },
  depth: {
    kind: 'number',
    label: 'Depth (layers)',
    min: 2,
    max: 50,
    step: 1,
    integer: true,
    default: 20,
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
  stream: STREAM_PARAM,
} as const;

export type LabParams = ParamsOf<typeof schema>;

/** PyTorch's `calculate_gain` for the built-in this formula equals, if any. */
export interface TorchGain {
  readonly name: string;
  readonly gain: number;
  readonly text: string;
}

/** Why numbers are missing, one sentence each: a key is set only where its number is null. */
export interface LabProblems {
  readonly moments?: string;
  readonly gain?: string;
  /** For q* (with χ₁), or for χ₁ alone when q* is there. */
  readonly fixedPoint?: string;
  readonly critical?: string;
  /** Where the theory's line stops, if before the last layer. */
  readonly theory?: string;
}

export interface LabData {
  readonly tex: string;
  readonly derivativeTex: string;
  readonly derivativeText: string;
  readonly kinks: number[];
  /** φ and φ′ on a grid over ±PLOT_RANGE. */
  readonly curve: { x: number; phi: number; dphi: number }[];
  /** E[φ(z)]; null (like the numbers below) where its integral diverges, see `problems`. */
  readonly mean: number | null;
  readonly meanSquare: number | null;
  readonly gain: number | null;
  /** The built-in activation the formula matches numerically, and PyTorch's gain for it. */
  readonly matches: string | null;
  readonly torch: TorchGain | null;
  readonly qStar: number | null;
  readonly chi1: number | null;
  /** σ_w² with χ₁ = 1 at the chosen σ_b²; null when there is none below 1e8 or it is not computed. */
  readonly critical: number | null;
  readonly problems: LabProblems;
  readonly depthPoints: { layer: number; measured: number; theory: number }[];
}

/** Built-ins with a PyTorch gain, in the order they are tried (exact matches only). */
const TORCH_NAMES: Readonly<Record<string, string>> = {
  linear: '1',
  relu: '√2',
  tanh: '5/3',
  sigmoid: '1',
  selu: '3/4',
};

/** Which built-in the formula is, compared at points on ±10 (to 1e-9 relative). */
function identify(a: Activation): { matches: string | null; torch: TorchGain | null } {
  const xs = Array.from({ length: 81 }, (_, i) => -10 + i / 4);
  const same = (b: Activation): boolean =>
    xs.every((x) => Math.abs(a.f(x) - b.f(x)) <= 1e-9 * Math.max(1, Math.abs(b.f(x))));
  for (const name of [
    'linear',
    'relu',
    'tanh',
    'sigmoid',
    'selu',
    'elu',
    'gelu',
    'silu',
    'softplus',
  ]) {
    if (!same(activation(name))) continue;
    const torch = Object.hasOwn(TORCH_NAMES, name)
      ? { name, gain: calculateGain(name), text: TORCH_NAMES[name]! }
      : null;
    return { matches: name, torch };
  }
  // Leaky ReLU: slope a = −φ(−1), if φ is exactly that.
  const slope = -a.f(-1);
  if (slope > 0 && slope < 1 && same(activation('leaky_relu', slope))) {
    const gain = calculateGain('leaky_relu', slope);
    return {
      matches: `leaky_relu (slope ${formatNumber(slope)})`,
      torch: { name: 'leaky_relu', gain, text: `√(2/(1 + ${formatNumber(slope)}²))` },
    };
  }
  return { matches: null, torch: null };
}

/** The simulated network: N(0, σ_w²/n) weights, N(0, σ_b²) biases, N(0, 1) inputs. */
export function simConfig(p: LabParams, act: Activation): PropagateConfig {
  return {
    depth: p.depth,
    width: p.width,
    batch: SIM_BATCH,
    activation: act,
    weightInit: { name: 'normal', mean: 0, std: Math.sqrt(p.sigmaW2 / p.width) },
    biasInit:
      p.sigmaB2 > 0 ? { name: 'normal', mean: 0, std: Math.sqrt(p.sigmaB2) } : { name: 'zeros' },
    seed: SEED,
    summaries: 'moments',
    ...streamOptions(p.stream),
  };
}

const formulaActivation = (f: FormulaFunctions & { kinks: number[] }): Activation =>
  defineActivation({ name: 'formula', f: f.f, df: f.df, kinks: f.kinks });

/** "Copy as PyTorch": the simulated network and the theory, for φ in torch. */
function pytorch(p: LabParams): string {
  const { compiled, root, derivative } = labFormulaNow(p.formula, 'formula');
  return labScript({
    formula: p.formula,
    phi: root,
    dphi: derivative,
    f: compiled.f,
    df: compiled.df,
    sigmaW2: p.sigmaW2,
    sigmaB2: p.sigmaB2,
    depth: p.depth,
    config: simConfig(p, formulaActivation(compiled)),
    settings: `phi(x) = ${p.formula}, sigma_w^2 = ${formatNumber(p.sigmaW2)}, sigma_b^2 = ${formatNumber(p.sigmaB2)}, ${p.depth} layers of width ${p.width}, batch ${SIM_BATCH}, seed ${SEED}; random stream: ${streamText(p.stream)}`,
  });
}

function* compute(p: LabParams): Generator<unknown, LabData> {
  const formula = yield* labFormula(p.formula, 'formula');
  const act = formulaActivation(formula);
  const curve = Array.from({ length: 161 }, (_, i) => {
    const x = -PLOT_RANGE + (i * 2 * PLOT_RANGE) / 160;
    return { x, phi: formula.f(x), dphi: formula.df(x) };
  });
  const moments = unitMoments(act);
  const { matches, torch } = identify(act);
  yield;
  const { sigmaW2, sigmaB2 } = p;
  const critical = criticalPoint(act, sigmaB2, moments.square);
  yield;
  // Where the moments already said why E[φ²] diverges, the sentences below need not repeat it.
  const why = !moments.square;
  const fixed = fixedPoint(act, sigmaW2, sigmaB2, why);
  const theory = theorySequence(act, sigmaW2, sigmaB2, p.depth, why);
  yield;
  const sim = yield* propagateSharedSteps(simConfig(p, act));
  const problems: LabProblems = {
    ...(moments.problem ? { moments: moments.problem } : {}),
    ...(moments.square
      ? { gain: `none: ${expectationName(moments.square)} ${status(moments.square)}` }
      : {}),
    ...(fixed.problem ? { fixedPoint: fixed.problem } : {}),
    ...(critical.problem ? { critical: critical.problem } : {}),
    ...(theory.problem ? { theory: theory.problem } : {}),
  };
  return {
    tex: formula.tex,
    derivativeTex: formula.derivativeTex,
    derivativeText: formula.derivativeText,
    kinks: formula.kinks,
    curve,
    mean: moments.mean,
    meanSquare: moments.meanSquare,
    gain: moments.gain,
    matches,
    torch,
    qStar: fixed.qStar,
    chi1: fixed.chi1,
    critical: critical.critical,
    problems,
    depthPoints: sim.layers.map((layer, i) => ({
      layer: layer.layer,
      measured: layer.pre.meanSquare,
      theory: theory.q[i] ?? Number.NaN,
    })),
  };
}

export const model: FigureModel<typeof schema, LabData> = {
  id: 'activation-lab',
  title: 'Activation lab',
  prefix: 'lab',
  schema,
  primary: ['formula', 'sigmaW2'],
  presets: [
    { id: 'tanh', label: 'tanh', params: { formula: 'tanh(x)', sigmaW2: 2.54, sigmaB2: 0 } },
    { id: 'relu', label: 'ReLU', params: { formula: 'max(0, x)', sigmaW2: 2, sigmaB2: 0 } },
    { id: 'selu', label: 'SELU', params: { formula: 'selu(x)', sigmaW2: 1, sigmaB2: 0 } },
    { id: 'gelu', label: 'GELU', params: { formula: 'gelu(x)', sigmaW2: 2.35, sigmaB2: 0 } },
    {
      id: 'leaky',
      label: 'Leaky ReLU',
      params: { formula: 'max(0, x) + 0.1 * min(0, x)', sigmaW2: 1.98, sigmaB2: 0 },
    },
    {
      id: 'softsign',
      label: 'Softsign',
      params: { formula: 'x / (1 + abs(x))', sigmaW2: 1, sigmaB2: 0 },
    },
  ],
  prepare: loadFormulaCompiler,
  compute,
  pytorch,
  summary(d, p) {
    const last = d.depthPoints.at(-1);
    const crit =
      d.critical === null && !d.problems.critical
        ? 'χ₁ never reaches 1 below σ_w² = 1e8'
        : `critical σ_w² ${d.critical === null ? criticalText(d) : formatNumber(d.critical)}`;
    return (
      `φ(x) = ${p.formula}: ${momentsText(d)}; gain 1/√E[φ(z)²] = ${gainText(d)}. ` +
      `At σ_w² = ${formatNumber(p.sigmaW2)}, σ_b² = ${formatNumber(p.sigmaB2)}: ${fixedPointText(d)}; ${crit}. ` +
      (last
        ? `Layer ${last.layer} of the simulated network (${streamText(p.stream)}): mean square ${Number.isFinite(last.measured) ? formatNumber(last.measured) : 'overflows'}, ` +
          `theory ${d.problems.theory ?? formatNumber(last.theory)}.`
        : '')
    );
  },
  table(d) {
    return {
      columns: ['layer', 'measured_mean_square', 'theory'],
      rows: d.depthPoints.map((pt) => [pt.layer, pt.measured, pt.theory]),
    };
  },
};
