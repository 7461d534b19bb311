/**
 * Mean-field theory of signal propagation in wide random networks (Poole et al. 2016,
 * Schoenholz et al. 2016). Weights W_ij ~ N(0, σ_w²/n_in), biases ~ N(0, σ_b²); in the
 * infinite-width limit each pre-activation is Gaussian, and its second moment q follows
 *
 *   q^l = σ_w² · E[φ(√q^{l−1} z)²] + σ_b²,        z ~ N(0, 1).
 *
 * Indexing: `q[0] = q0` is the pre-activation second moment of some layer and `q[l]` that of the
 * layer l steps deeper. For a propagated network whose inputs have E[x²] = v, layer 1 has
 * q0 = σ_w²·v + σ_b² (the input itself is not passed through φ), and layer l matches `q[l − 1]`.
 *
 * @module
 */

import { resolveActivation, type Activation } from './activations';
import { bivariateExpectation, gaussianExpectation } from './quadrature';
import { EngineInputError, inRange, nonNegative, positiveInt } from './validate';

/** Inputs of {@link meanField}. */
export interface MeanFieldConfig {
  /** Activation name (see `ACTIVATIONS`), or an {@link Activation} such as a compiled formula. */
  readonly activation: string | Activation;
  /** leaky_relu slope / elu α. */
  readonly activationParam?: number;
  /** Weight variance times fan-in, σ_w² = n_in·Var(W). */
  readonly sigmaW2: number;
  /** Bias variance σ_b². */
  readonly sigmaB2: number;
  /** Starting pre-activation second moment q[0]. */
  readonly q0: number;
  /** Number of map applications; `q` has depth + 1 entries. */
  readonly depth: number;
  /** Starting correlation between two inputs for the `c` sequence (default 0.5). */
  readonly c0?: number;
  /** Units at each index (depth + 1 entries) for the backward prediction; default all equal. */
  readonly widths?: readonly number[];
  /**
   * Compute the correlation map too (`c`, `cStar`, `chiC`, `xiC`); default true. Its bivariate
   * integrals are most of the cost: a caller that only needs q and the gradients passes false,
   * and gets `c = []` and NaN for the rest.
   */
  readonly correlations?: boolean;
}

/** Outputs of {@link meanField}. */
export interface MeanFieldResult {
  /** q[l], l = 0 … depth: predicted pre-activation second moments. */
  readonly q: number[];
  /** Fixed point of the q-map reached from q0: 0 if the signal vanishes, Infinity if it explodes. */
  readonly qStar: number;
  /** χ₁ = σ_w²·E[φ′(√q* z)²]: the mean squared singular value of one layer's Jacobian at q*. */
  readonly chi1: number;
  /** c[l]: correlation of two inputs' pre-activations, computed with q[l] (c[0] = c0). */
  readonly c: number[];
  /** Stable fixed point of the correlation map at q* (1 in the ordered phase); NaN if q* ∉ (0, ∞). */
  readonly cStar: number;
  /** χ_c = σ_w²·E[φ′(u1)φ′(u2)] at correlation c* (equals χ₁ when c* = 1). */
  readonly chiC: number;
  /** ξ_q = −1/ln F′(q*), F the q-map: depth scale on which q approaches q*. */
  readonly xiQ: number;
  /** ξ_c = −1/ln χ_c: depth scale of correlation convergence; Infinity at criticality. */
  readonly xiC: number;
  /**
   * Backward prediction, relative to the last index: gradPost[depth] = 1 and
   * gradPost[l−1] = gradPost[l]·σ_w²·(n_l/n_{l−1})·E[φ′(√q[l] z)²], the second moment of
   * ∂L/∂(post-activation) at index l − 1. For propagate's 'sum' and 'readout' losses the last
   * layer's gradient has second moment 1/batch², so multiply by 1/batch² to compare. The
   * prediction assumes the backward signal independent of the forward weights: compare relu-like
   * activations with the 'readout' loss (see propagate's module notes).
   */
  readonly gradPost: number[];
  /** gradPre[l] = gradPost[l]·E[φ′(√q[l] z)²]: second moment of ∂L/∂(pre-activation). */
  readonly gradPre: number[];
}

/** E[φ(√q z)²]. */
const meanSqPhi = (a: Activation, q: number): number =>
  gaussianExpectation((x) => a.f(x) ** 2, q, a.kinks);
/** E[φ′(√q z)²]. */
const meanSqDphi = (a: Activation, q: number): number =>
  gaussianExpectation((x) => a.df(x) ** 2, q, a.kinks);

/** q-map F(q) = σ_w²·E[φ(√q z)²] + σ_b². */
function qMap(a: Activation, w2: number, b2: number, q: number): number {
  return w2 * meanSqPhi(a, q) + b2;
}

const Q_TINY = 1e-150;
const Q_HUGE = 1e150;

/**
 * Root of f in the bracket [a, b] (f(a), f(b) of opposite signs): Illinois-modified regula falsi,
 * superlinear on smooth f, with a bisection step whenever two steps have not halved the bracket,
 * so a kink or strong curvature cannot stall it.
 */
export function solveBracket(f: (x: number) => number, a: number, b: number, xtol: number): number {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  let side = 0;
  let width = Math.abs(b - a);
  for (let i = 0; i < 200 && Math.abs(b - a) > xtol; i++) {
    let c = (fa * b - fb * a) / (fa - fb);
    const bisect = i % 2 === 1 && Math.abs(b - a) > 0.5 * width;
    if (i % 2 === 1) width = Math.abs(b - a);
    if (bisect || !(c > Math.min(a, b) && c < Math.max(a, b))) c = 0.5 * (a + b);
    const fc = f(c);
    if (fc === 0) return c;
    if (fc > 0 === fb > 0) {
      b = c;
      fb = fc;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return 0.5 * (a + b);
}

/**
 * Fixed point of F reached from q0. A monotone map iterated from q0 converges to the first fixed
 * point in the direction it moves (the sign of F(q0) − q0), so: scan geometrically in that
 * direction for a sign change of F(q)/q − 1, then solve on log q. Scans past 1e±150 report
 * 0 / Infinity (the signal vanishes or explodes).
 */
function findQStar(a: Activation, w2: number, b2: number, q0: number): number {
  const h = (t: number): number => qMap(a, w2, b2, Math.exp(t)) / Math.exp(t) - 1;
  // |F(q)/q − 1| at rounding level: q is (numerically) a fixed point, e.g. relu at σ_w² = 2.
  const FIXED = 1e-13;
  let t = Math.log(Math.max(q0, Q_TINY));
  const h0 = h(t);
  if (Math.abs(h0) <= FIXED) return Math.exp(t);
  const step = h0 > 0 ? Math.log(16) : -Math.log(16);
  for (;;) {
    const next = t + step;
    if (next > Math.log(Q_HUGE)) return Infinity;
    if (next < Math.log(Q_TINY)) return 0;
    const hn = h(next);
    if (Math.abs(hn) <= FIXED) return Math.exp(next);
    if (hn > 0 !== h0 > 0) return Math.exp(solveBracket(h, t, next, 1e-14));
    t = next;
  }
}

/** χ₁ at q*, with the limits q* → 0 and q* → ∞ evaluated at q = 1e-200 and q = 1e30. */
function chiOne(a: Activation, w2: number, qStar: number): number {
  // q → 0: E[φ′(√q z)²] tends to the mean of the one-sided limits φ′(0±)².
  if (qStar === 0) return w2 * meanSqDphi(a, 1e-200);
  return w2 * meanSqDphi(a, Number.isFinite(qStar) ? qStar : 1e30);
}

/** Correlation map C(c) = (σ_w²·E[φ(u1)φ(u2)] + σ_b²)/q at equal second moments q. */
function cMap(a: Activation, w2: number, b2: number, q: number, qNext: number, c: number): number {
  if (c >= 1) return (w2 * meanSqPhi(a, q) + b2) / qNext;
  return (w2 * bivariateExpectation(a.f, a.f, q, q, c, a.kinks, 1e-10) + b2) / qNext;
}

/**
 * Stable fixed point of the correlation map at q*: 1 when χ₁ ≤ 1 (ordered phase), otherwise the
 * root of C(c) − c in [−1, 1 − 1e-9] (C(c) − c < 0 just below 1 because C′(1) = χ₁ > 1).
 */
function findCStar(a: Activation, w2: number, b2: number, qStar: number, chi1: number): number {
  if (!(qStar > 0 && Number.isFinite(qStar))) return Number.NaN;
  // At the critical point χ₁ is 1 up to rounding: treat that as ordered (c* = 1), since C(c) − c
  // then has no sign change to bracket in [−1, 1).
  if (chi1 <= 1 + 1e-9) return 1;
  const h = (c: number): number => cMap(a, w2, b2, qStar, qStar, c) - c;
  if (h(-1) <= 0) return -1; // cannot happen for C(−1) ≥ −1, kept as a guard
  if (h(1 - 1e-9) >= 0) return 1; // so close to critical that the root merges with c = 1
  return solveBracket(h, -1, 1 - 1e-9, 1e-10);
}

/** Resolves and validates an activation name + parameter, or an Activation record. */
const resolve = (value: unknown, param: number | undefined): Activation =>
  resolveActivation(value, param);

/** Gaussian moments of an activation at unit input, and the gain they imply. */
export interface ActivationMoments {
  /** E[φ(z)], z ~ N(0, 1). */
  readonly mean: number;
  /** E[φ(z)²]. */
  readonly meanSquare: number;
  /** E[φ′(z)²]. */
  readonly meanSquareDerivative: number;
  /** 1/√E[φ(z)²]: the gain that keeps a unit second moment through a layer. */
  readonly gain: number;
}

/**
 * E[φ(z)], E[φ(z)²] and E[φ′(z)²] at unit input, and the second-moment gain 1/√E[φ(z)²]
 * (tanh: 1.5925; relu: √2).
 * @throws EngineInputError for an unknown activation
 */
export function activationMoments(
  activation: string | Activation,
  activationParam?: number,
): ActivationMoments {
  const a = resolve(activation, activationParam);
  const mean = gaussianExpectation(a.f, 1, a.kinks);
  const meanSquare = meanSqPhi(a, 1);
  return {
    mean,
    meanSquare,
    meanSquareDerivative: meanSqDphi(a, 1),
    gain: 1 / Math.sqrt(meanSquare),
  };
}

/** One application of the q-map, {@link meanFieldStep}'s result. */
export interface MeanFieldStep {
  /** F(q) = σ_w²·E[φ(√q z)²] + σ_b²: the next layer's pre-activation second moment. */
  readonly q: number;
  /** E[φ′(√q z)²] at the incoming q: what the backward pass multiplies by through φ. */
  readonly slopeMeanSquare: number;
}

/**
 * One layer of the q-map, for networks whose layers differ (each its own σ_w², σ_b² and φ): the
 * same integrals as {@link meanField}'s first step, without the fixed point and depth scales.
 * @throws EngineInputError for an unknown activation or invalid numbers
 */
export function meanFieldStep(config: {
  readonly activation: string | Activation;
  readonly activationParam?: number;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  readonly q: number;
}): MeanFieldStep {
  const a = resolve(config.activation, config.activationParam);
  const w2 = nonNegative('sigmaW2', config.sigmaW2);
  const b2 = nonNegative('sigmaB2', config.sigmaB2);
  const q = nonNegative('q', config.q);
  return { q: qMap(a, w2, b2, q), slopeMeanSquare: meanSqDphi(a, q) };
}

/**
 * Runs the mean-field recursions for a deep network with i.i.d. Gaussian weights and biases.
 * @throws EngineInputError for an unknown activation or invalid numbers
 */
export function meanField(config: MeanFieldConfig): MeanFieldResult {
  const a = resolve(config.activation, config.activationParam);
  const w2 = nonNegative('sigmaW2', config.sigmaW2);
  const b2 = nonNegative('sigmaB2', config.sigmaB2);
  const q0 = nonNegative('q0', config.q0);
  const depth = positiveInt('depth', config.depth, 100_000);
  const c0 = config.c0 === undefined ? 0.5 : inRange('c0', config.c0, -1, 1);
  const widths = config.widths ?? new Array<number>(depth + 1).fill(1);
  if (widths.length !== depth + 1) {
    throw new EngineInputError('widths', widths, `an array of depth + 1 = ${depth + 1} widths`);
  }
  widths.forEach((n, i) => positiveInt(`widths[${i}]`, n));

  const q = [q0];
  for (let l = 1; l <= depth; l++) q.push(qMap(a, w2, b2, q[l - 1]!));
  const correlations = config.correlations ?? true;
  const c = correlations ? [c0] : [];
  for (let l = 1; correlations && l <= depth; l++) {
    const ql = q[l - 1]!;
    const qn = q[l]!;
    c.push(ql > 0 && qn > 0 && Number.isFinite(qn) ? cMap(a, w2, b2, ql, qn, c[l - 1]!) : NaN);
  }

  const qStar = findQStar(a, w2, b2, q0);
  const chi1 = chiOne(a, w2, qStar);
  const cStar = correlations ? findCStar(a, w2, b2, qStar, chi1) : Number.NaN;
  const chiC = !correlations
    ? Number.NaN
    : cStar === 1 || Number.isNaN(cStar)
      ? chi1
      : w2 * bivariateExpectation(a.df, a.df, qStar, qStar, cStar, a.kinks);
  // F′(q) = σ_w²·dE[φ(√q z)²]/dq = σ_w²·E[z·φ(√q z)φ′(√q z)]/√q (Stein's lemma).
  const slope =
    qStar > 0 && Number.isFinite(qStar)
      ? (w2 * gaussianExpectation((x) => x * a.f(x) * a.df(x), qStar, a.kinks)) / qStar
      : Number.NaN;
  const xiQ = slope > 0 && slope < 1 ? -1 / Math.log(slope) : Number.NaN;
  const xiC = !correlations
    ? Number.NaN
    : chiC >= 1
      ? Infinity
      : chiC > 0
        ? -1 / Math.log(chiC)
        : 0;

  const dphi = q.map((ql) => meanSqDphi(a, ql));
  const gradPost = new Array<number>(depth + 1).fill(1);
  for (let l = depth; l >= 1; l--) {
    gradPost[l - 1] = gradPost[l]! * w2 * (widths[l]! / widths[l - 1]!) * dphi[l]!;
  }
  const gradPre = gradPost.map((g, l) => g * dphi[l]!);
  return { q, qStar, chi1, c, cStar, chiC, xiQ, xiC, gradPost, gradPre };
}

/**
 * σ_w² at which χ₁ = 1, the order-to-chaos boundary, for a given σ_b² (relu, σ_b² = 0 → 2;
 * tanh, σ_b² = 0 → 1). Brackets the crossing in steps of ×4 from 1, then solves on
 * ln σ_w² to about 1e-13 relative.
 * @throws EngineInputError for an unknown activation, or when no crossing exists below 1e8
 */
export function criticalSigmaW2(
  activation: string | Activation,
  sigmaB2: number,
  activationParam?: number,
): number {
  const a = resolve(activation, activationParam);
  const b2 = nonNegative('sigmaB2', sigmaB2);
  // χ₁ − 1 as a function of t = ln σ_w²; q* is followed from q0 = 1.
  const excess = (t: number): number => {
    const w2 = Math.exp(t);
    return chiOne(a, w2, findQStar(a, w2, b2, 1)) - 1;
  };
  const fail = (): never => {
    const name = typeof activation === 'string' ? activation : activation.name;
    throw new EngineInputError('activation', name, 'one with a critical σ_w² below 1e8');
  };
  let lo = 0;
  let hi = 0;
  if (excess(0) < 0) {
    while (excess(hi) < 0) {
      [lo, hi] = [hi, hi + Math.log(4)];
      if (hi > Math.log(1e8)) fail();
    }
  } else {
    while (excess(lo) >= 0) {
      [hi, lo] = [lo, lo - Math.log(4)];
      if (lo < Math.log(1e-8)) fail();
    }
  }
  return Math.exp(solveBracket(excess, lo, hi, 1e-13));
}
