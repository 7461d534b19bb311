/**
 * The diagnosis of a validated statistics file: the mean-field prediction of every layer's
 * pre-activation second moment, the first layer that leaves the stable range, and the gain that
 * would fix it.
 *
 * Prediction: layer l has σ_w² = fan_in·Var(w) and σ_b² = Var(b); the q-map is iterated from the
 * first layer's measured input, q̂¹ = σ_w²·E[x²] + σ_b², q̂ˡ = σ_w²·E[φ_{l−1}(√q̂^{l−1} z)²] + σ_b²,
 * one step of the engine's q-map per layer (meanFieldStep: each layer has its own σ_w², σ_b², φ). The
 * gradient is predicted downwards from the last layer's measured E[(∂L/∂y)²]:
 * E[(∂L/∂y^{l−1})²] = fan_out·Var(w_l)·E[φ′_{l−1}²]·E[(∂L/∂y^l)²].
 *
 * Stable range: a layer's measured E[y²] stays within a factor {@link RANGE} of the network input's
 * E[x²] (one decade either way), and at most half of its units are saturated or dead.
 *
 * @module
 */
import { calculateGain, NONLINEARITIES } from '../engine/fans';
import { activationMoments, meanFieldStep } from '../engine/meanfield';
import type { LayerStats, ModelStats } from './format';

/** The stable range: E[y²] within [x/RANGE, x·RANGE] of the input's E[x²]. */
export const RANGE = 10;
/** More than this share of saturated or dead units leaves the stable range too. */
export const MAX_SHARE = 0.5;
/** Predictions past this are reported as overflowing (float32 overflows at 3.4e38). */
const HUGE = 1e100;

export type Reason = 'grows' | 'shrinks' | 'saturated' | 'dead';

export interface LayerReport {
  /** 1-based position. */
  readonly layer: number;
  readonly name: string;
  readonly activation: string;
  /** σ_w² = fan_in·Var(w), and the gain in PyTorch's sense, √σ_w² (std = gain/√fan_in). */
  readonly sigmaW2: number;
  readonly gain: number;
  readonly measured: number;
  /** Mean-field prediction; null once it overflows or vanishes below 1e-100. */
  readonly predicted: number | null;
  /** Measured E[y²] over the network input's E[x²]. */
  readonly ratio: number;
  readonly grad: number | null;
  readonly gradPredicted: number | null;
  readonly saturated: number | null;
  readonly dead: number | null;
  readonly reason: Reason | null;
}

export interface GainFix {
  readonly layer: number;
  readonly activation: string;
  readonly currentGain: number;
  /** What `torch.nn.init.calculate_gain` gives for the activation, where it has one. */
  readonly torchGain: number | null;
  /** 1/√E[φ(z)²]: the gain that keeps a unit second moment through the layer and its φ. */
  readonly unitGain: number;
  /** The gain proposed: PyTorch's where it has one, else the unit gain. */
  readonly proposed: number;
  /** Mean-field E[y²] of every layer, each layer re-drawn with the gain of its own activation. */
  readonly predictedWithFix: (number | null)[];
  /** Whether that prediction stays in the stable range at every layer. */
  readonly fixStaysInRange: boolean;
}

export interface Diagnosis {
  readonly model: string;
  readonly batchSize: number;
  readonly inputSecondMoment: number;
  readonly layers: readonly LayerReport[];
  /** 1-based index of the first layer out of range, or null. */
  readonly firstFlagged: number | null;
  readonly fix: GainFix | null;
  /** The initial-loss check, when the file has the loss and the number of classes. */
  readonly loss: { readonly loss: number; readonly lnK: number; readonly expected: number } | null;
}

const torchName = (a: string): string | null =>
  (NONLINEARITIES as readonly string[]).includes(a) ? a : null;

/** PyTorch's gain for an activation (leaky_relu with its slope), or null where it has none. */
export function torchGain(activation: string, param?: number): number | null {
  const name = torchName(activation);
  return name === null ? null : calculateGain(name, param);
}

interface Step {
  readonly q: number | null;
  /** E[φ′(√q z)²] of the activation applied to the incoming q. */
  readonly slope: number | null;
}

/** One q-map step: activation φ applied to q (null: the input, used as it is), then the layer. */
function step(
  phi: { activation: string; param?: number } | null,
  q: number | null,
  sigmaW2: number,
  sigmaB2: number,
): Step {
  if (q === null || !(q <= HUGE)) return { q: null, slope: null };
  if (phi === null) return { q: sigmaW2 * q + sigmaB2, slope: 1 };
  const mf = meanFieldStep({
    activation: phi.activation,
    ...(phi.param === undefined ? {} : { activationParam: phi.param }),
    sigmaW2,
    sigmaB2,
    q,
  });
  const next = mf.q;
  const slope = mf.slopeMeanSquare;
  return { q: Number.isFinite(next) && next <= HUGE ? next : null, slope };
}

const phiOf = (l: LayerStats) => ({
  activation: l.activation,
  ...(l.activationParam === undefined ? {} : { param: l.activationParam }),
});

/** Iterates the q-map through the layers with the given σ_w² per layer. */
function predict(
  stats: ModelStats,
  sigmaW2: (l: LayerStats) => number,
): { q: (number | null)[]; slope: (number | null)[] } {
  const q: (number | null)[] = [];
  const slope: (number | null)[] = [];
  stats.layers.forEach((l, i) => {
    const below = i === 0 ? null : stats.layers[i - 1]!;
    const s = step(
      below && phiOf(below),
      i === 0 ? l.inputSecondMoment : q[i - 1]!,
      sigmaW2(l),
      l.biasVar,
    );
    q.push(s.q);
    slope.push(s.slope);
  });
  return { q, slope };
}

function reasonOf(l: LayerStats, input: number): Reason | null {
  const ratio = l.forwardSecondMoment / input;
  if (!(ratio <= RANGE)) return 'grows';
  if (!(ratio >= 1 / RANGE)) return 'shrinks';
  if ((l.saturatedFraction ?? 0) > MAX_SHARE) return 'saturated';
  if ((l.deadFraction ?? 0) > MAX_SHARE) return 'dead';
  return null;
}

const inRange = (q: number | null, input: number): boolean =>
  q !== null && q / input <= RANGE && q / input >= 1 / RANGE;

/** The full diagnosis of a file. */
export function diagnose(stats: ModelStats): Diagnosis {
  const first = stats.layers[0]!;
  const input = first.inputSecondMoment;
  const { q: predicted, slope } = predict(stats, (l) => l.fanIn * l.weightVar);
  // Gradients, downwards from the last layer's measured value.
  const n = stats.layers.length;
  const gradPredicted = new Array<number | null>(n).fill(null);
  gradPredicted[n - 1] = stats.layers[n - 1]!.gradSecondMoment;
  for (let i = n - 1; i >= 1; i--) {
    const g = gradPredicted[i];
    const l = stats.layers[i]!;
    const s = slope[i];
    gradPredicted[i - 1] =
      g === null || g === undefined || s === null || s === undefined
        ? null
        : g * l.fanOut * l.weightVar * s;
  }
  const layers: LayerReport[] = stats.layers.map((l, i) => ({
    layer: i + 1,
    name: l.name,
    activation: l.activation,
    sigmaW2: l.fanIn * l.weightVar,
    gain: Math.sqrt(l.fanIn * l.weightVar),
    measured: l.forwardSecondMoment,
    predicted: predicted[i] ?? null,
    ratio: l.forwardSecondMoment / input,
    grad: l.gradSecondMoment,
    gradPredicted: gradPredicted[i] ?? null,
    saturated: l.saturatedFraction,
    dead: l.deadFraction,
    reason: input > 0 ? reasonOf(l, input) : null,
  }));
  const flagged = layers.find((l) => l.reason !== null);
  let fix: GainFix | null = null;
  if (flagged) {
    const l = stats.layers[flagged.layer - 1]!;
    const gainOf = (x: LayerStats): number =>
      torchGain(x.activation, x.activationParam) ??
      activationMoments(x.activation, x.activationParam).gain;
    const withFix = predict(stats, (x) => gainOf(x) ** 2).q;
    fix = {
      layer: flagged.layer,
      activation: l.activation,
      currentGain: flagged.gain,
      torchGain: torchGain(l.activation, l.activationParam),
      unitGain: activationMoments(l.activation, l.activationParam).gain,
      proposed: gainOf(l),
      predictedWithFix: withFix,
      fixStaysInRange: withFix.every((q) => inRange(q, input)),
    };
  }
  const loss =
    stats.loss !== null && stats.classes !== null && stats.classes > 1
      ? {
          loss: stats.loss,
          lnK: Math.log(stats.classes),
          expected: expectedInitialLoss(stats.classes, stats.layers[n - 1]!.forwardSecondMoment),
        }
      : null;
  return {
    model: stats.model,
    batchSize: stats.batchSize,
    inputSecondMoment: input,
    layers,
    firstFlagged: flagged?.layer ?? null,
    fix,
    loss,
  };
}

/**
 * Expected initial cross-entropy of K logits drawn i.i.d. N(0, s²), to second order in s:
 * ln K + (1 − 1/K)·s²/2 (the chapter derives it).
 */
export function expectedInitialLoss(classes: number, s2: number): number {
  return Math.log(classes) + ((1 - 1 / classes) * s2) / 2;
}
