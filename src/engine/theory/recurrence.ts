/**
 * How the gradient grows or decays through time in a recurrent network at initialization, from
 * the scale of the recurrent matrix: ‖∂L/∂h_{T−k}‖² against k, with the loss on the last step's
 * hidden state h_T only. The gradient travels back by ∂L/∂h_{t−1} = Wᵀ·D_t·∂L/∂h_t, with
 * D_t = diag(φ′(a_t)) (D_t = I for a linear recurrence); W is the same matrix at every step
 * (Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural networks").
 *
 * @module
 */
import { meanField, meanFieldStep } from '../meanfield';
import { EngineInputError, nonNegative, positiveInt } from '../validate';

/** The recurrent matrix W (n × n) of a linear recurrence h_t = W h_{t−1} + U x_t. */
export type LinearRecurrentMatrix =
  /** W_ij ~ N(0, σ²/n). */
  | { readonly kind: 'gaussian'; readonly sigma: number }
  /** W = gain · Q with Q orthogonal (e.g. `orthogonal` init with that gain). */
  | { readonly kind: 'orthogonal'; readonly gain?: number };

/** {@link linearRecurrenceGradient}'s prediction. */
export interface LinearRecurrenceGradient {
  /** ratio[k] = E‖∂L/∂h_{T−k}‖² / ‖∂L/∂h_T‖², k = 0 … steps. */
  readonly ratio: number[];
  /** True when the ratio is exact for every draw (orthogonal W). */
  readonly exact: boolean;
  /**
   * The largest k for which the Gaussian result holds to a few percent at this width
   * (⌊√n / 2⌋; see the module's derivation); Infinity for orthogonal W or without a width.
   */
  readonly validSteps: number;
}

/**
 * Predicted squared gradient norm through k steps of a linear recurrence, relative to the last
 * step: σ^{2k} for Gaussian W, gain^{2k} exactly for orthogonal W.
 *
 * Derivation. ∂L/∂h_{T−k} = (Wᵀ)^k g with g = ∂L/∂h_T: the inputs do not enter.
 * - Orthogonal W = γQ: ‖(Wᵀ)^k g‖ = γ^k ‖g‖ for every g and every draw (an exact isometry at
 *   γ = 1, whatever k and n).
 * - Gaussian W_ij ~ N(0, σ²/n): for k = 1, E‖Wᵀg‖² = σ²‖g‖² exactly. The same W repeats, so the
 *   k factors are not independent draws; by Wick's theorem, E‖(Wᵀ)²g‖² = σ⁴(1 + 2/n²)‖g‖², and in
 *   general the pairings that survive at large n are the nested (non-crossing) ones, one for each
 *   k: E‖(Wᵀ)^k g‖² → σ^{2k}‖g‖² as n → ∞ at fixed k (free probability: W/σ tends to a circular
 *   element c, and τ(c^k c*^k) = 1). At finite n the expectation exceeds σ^{2k} once k is of order
 *   √n: the spectral radius of a finite Gaussian matrix fluctuates above σ by O(σ/√n), and the
 *   draws with a large top eigenvalue dominate the mean. Measured (n = 64 … 1024): 1–2 % above
 *   at k = √n/2, about 9 % at k = √n, more than twice at k = 2√n. Hence `validSteps` = ⌊√n/2⌋.
 *
 * @param matrix - how W is drawn
 * @param steps - the largest k (ratio has steps + 1 entries)
 * @param width - n, only to report `validSteps` for Gaussian W
 * @throws EngineInputError for a negative scale or a bad step count
 */
export function linearRecurrenceGradient(
  matrix: LinearRecurrentMatrix,
  steps: number,
  width?: number,
): LinearRecurrenceGradient {
  const k = positiveInt('steps', steps, 1_000_000);
  let scale: number;
  if (matrix?.kind === 'gaussian') scale = nonNegative('matrix.sigma', matrix.sigma);
  else if (matrix?.kind === 'orthogonal') scale = nonNegative('matrix.gain', matrix.gain ?? 1);
  else {
    const kind: unknown = (matrix as { kind?: unknown } | undefined)?.kind;
    throw new EngineInputError('matrix.kind', kind, "'gaussian' or 'orthogonal'");
  }
  const ratio = Array.from({ length: k + 1 }, (_, i) => scale ** (2 * i));
  const exact = matrix.kind === 'orthogonal';
  const n = width === undefined ? undefined : positiveInt('width', width);
  const validSteps = exact || n === undefined ? Infinity : Math.floor(Math.sqrt(n) / 2);
  return { ratio, exact, validSteps };
}

/** Inputs of {@link tanhRecurrenceGradient}. */
export interface TanhRecurrenceConfig {
  /** σ_w² = n·Var(W_hh). */
  readonly sigmaW2: number;
  /** σ_u² = features·Var(W_ih). */
  readonly sigmaU2: number;
  /** Second moment of the inputs E[x²]; default 1. */
  readonly qx?: number;
  /** Variance of the total bias (b_ih + b_hh); default 0. */
  readonly sigmaB2?: number;
  /** Sequence length T (steps 1 … T, h_0 = 0). */
  readonly steps: number;
  /** The cell's nonlinearity; default 'tanh' ('relu' for nn.RNN's relu cell). */
  readonly activation?: 'tanh' | 'relu';
}

/** {@link tanhRecurrenceGradient}'s prediction. */
export interface TanhRecurrenceGradient {
  /** q_t, t = 1 … T (index t − 1): the pre-activation second moment at step t, from h_0 = 0. */
  readonly q: number[];
  /** E[h_t²] = E[φ(√q_t z)²], t = 1 … T (index t − 1). */
  readonly hiddenMeanSquare: number[];
  /** The fixed point q* of q = σ_w²·E[φ(√q z)²] + σ_u² q_x + σ_b². */
  readonly qStar: number;
  /** χ = σ_w²·E[φ′(√q* z)²]: the per-step factor of the squared gradient norm at q*. */
  readonly chi: number;
  /** χ^k, k = 0 … T − 1: the stationary prediction of E‖∂L/∂h_{T−k}‖² / ‖∂L/∂h_T‖². */
  readonly stationary: number[];
  /**
   * The same ratio for this sequence from h_0 = 0 (q_t not yet at q*):
   * ratio[k] = Π_{j=0}^{k−1} σ_w²·E[φ′(√q_{T−j} z)²], k = 0 … T − 1.
   */
  readonly ratio: number[];
}

/**
 * Mean-field prediction of the gradient through time of an Elman RNN
 * h_t = φ(W h_{t−1} + U x_t + b), W_ij ~ N(0, σ_w²/n), U_ij ~ N(0, σ_u²/features), fresh inputs
 * with E[x²] = q_x at every step, b ~ N(0, σ_b²).
 *
 * Derivation. At large width each pre-activation a_t is Gaussian over units with second moment
 * q_t = σ_w²·E[φ(√q_{t−1} z)²] + σ_u² q_x + σ_b² (q_1 = σ_u² q_x + σ_b², as h_0 = 0): the mean-field
 * q-map (Poole et al. 2016) with σ_u² q_x + σ_b² in the place of the bias variance. Backward,
 * ‖Wᵀ D_t g‖² ≈ σ_w²·E[φ′(a_t)²]·‖g‖², treating W as independent of the forward pass (the
 * "gradient independence" assumption; Chen, Pennington & Schoenholz 2018, "Dynamical Isometry and a
 * Mean Field Theory of RNNs: Gating Enables Signal Propagation in Recurrent Neural Networks",
 * use the same mean field for RNNs), so the squared norm gains a factor χ_t = σ_w²·E[φ′(√q_t z)²]
 * per step, and χ = χ(q*) once q_t has settled. χ < 1: the gradient decays as χ^k
 * (time scale −1/ln χ); χ > 1: it grows. For tanh with σ_u² q_x + σ_b² > 0 the fixed point is
 * stable and χ < σ_w².
 *
 * @throws EngineInputError for negative variances, an unknown activation or a bad step count
 */
export function tanhRecurrenceGradient(config: TanhRecurrenceConfig): TanhRecurrenceGradient {
  const w2 = nonNegative('sigmaW2', config.sigmaW2);
  const u2 = nonNegative('sigmaU2', config.sigmaU2);
  const qx = nonNegative('qx', config.qx ?? 1);
  const b2 = nonNegative('sigmaB2', config.sigmaB2 ?? 0);
  const T = positiveInt('steps', config.steps, 100_000);
  const activation = config.activation ?? 'tanh';
  if (activation !== 'tanh' && activation !== 'relu') {
    throw new EngineInputError('activation', activation, "'tanh' or 'relu'");
  }
  const drive = u2 * qx + b2;
  const mf = meanField({
    activation,
    sigmaW2: w2,
    sigmaB2: drive,
    q0: drive,
    depth: T,
    correlations: false,
  });
  const q = mf.q.slice(0, T);
  const at = (qt: number) => meanFieldStep({ activation, sigmaW2: 1, sigmaB2: 0, q: qt });
  const steps = q.map(at);
  const hiddenMeanSquare = steps.map((s) => s.q);
  const chiAt = steps.map((s) => w2 * s.slopeMeanSquare);
  const chi = mf.chi1;
  const stationary = Array.from({ length: T }, (_, k) => chi ** k);
  const ratio = [1];
  for (let k = 1; k < T; k++) ratio.push(ratio[k - 1]! * chiAt[T - k]!);
  return { q, hiddenMeanSquare, qStar: mf.qStar, chi, stationary, ratio };
}
