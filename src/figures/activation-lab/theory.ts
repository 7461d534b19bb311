/**
 * The activation lab's Gaussian answers, each given only where the integrals behind it exist (see
 * `divergence.ts`): the moments at unit input, q* and χ₁, the critical σ_w², and the theory's
 * q-sequence by layer. What is missing comes with the sentence that says why; where the moments at
 * unit input already gave the reason, the later sentences leave it out.
 *
 * @module
 */
import type { Activation } from '../../engine/activations';
import { activationMoments, criticalSigmaW2, meanField } from '../../engine/meanfield';
import { gaussianExpectation } from '../../engine/quadrature';
import { formatNumber } from '../types';
import {
  describe,
  divergence,
  expectationName,
  reason,
  status,
  type Divergence,
} from './divergence';

/** E[φ(z)], E[φ(z)²] and the gain, or null with the reason. */
export interface UnitMoments {
  readonly mean: number | null;
  readonly meanSquare: number | null;
  readonly gain: number | null;
  readonly problem?: string;
  /** Set when E[φ(z)²] is missing. */
  readonly square?: Divergence;
}

export function unitMoments(a: Activation): UnitMoments {
  const mean = divergence(a, 'φ', 1);
  const square = divergence(a, 'φ²', 1);
  const m = activationMoments(a);
  const values = {
    mean: mean ? null : m.mean,
    meanSquare: square ? null : m.meanSquare,
    gain: square ? null : m.gain,
  };
  if (!mean && !square) return values;
  const problem =
    mean && square && mean.verdict === square.verdict
      ? `E[φ(z)] and E[φ(z)²] ${mean.verdict === 'infinite' ? 'are infinite' : 'cannot be computed reliably'} for this φ: ${reason(mean)}`
      : [mean, square].flatMap((d) => (d ? [describe(d)] : [])).join('; ');
  return { ...values, problem, ...(square ? { square } : {}) };
}

/** The largest q the engine's fixed-point search tries. */
const Q_HUGE = 1e150;

/** The first of q0·16, q0·16², … below {@link Q_HUGE} where E[φ(√q·z)²] fails. */
function firstDivergence(a: Activation, q0: number): Divergence | null {
  for (let q = q0 * 16; q <= Q_HUGE; q *= 16) {
    const d = divergence(a, 'φ²', q);
    if (d) return d;
  }
  return divergence(a, 'φ²', Q_HUGE);
}

/** q* and χ₁ at (σ_w², σ_b²), or null with the reason. */
export interface FixedPoint {
  readonly qStar: number | null;
  readonly chi1: number | null;
  readonly problem?: string;
}

/** @param why - whether sentences should give the reason (false: the moments gave it) */
export function fixedPoint(
  a: Activation,
  sigmaW2: number,
  sigmaB2: number,
  why: boolean,
): FixedPoint {
  // Layer 1 sees N(0, 1) inputs: its pre-activations have second moment q¹ = σ_w² + σ_b².
  const q0 = sigmaW2 + sigmaB2;
  const start = divergence(a, 'φ²', q0);
  if (start) return { qStar: null, chi1: null, problem: `No q*: ${describe(start, { why })}` };
  const { qStar, chi1 } = meanField({ activation: a, sigmaW2, sigmaB2, q0, depth: 1 });
  // The search integrates at every q between q¹ and q* (the largest is the one to check), or for
  // q* = ∞ at q¹·16^k up to 1e150: there, the first that fails.
  const crossed = Number.isFinite(qStar)
    ? divergence(a, 'φ²', Math.max(q0, qStar))
    : qStar === Infinity && divergence(a, 'φ²', Q_HUGE)
      ? firstDivergence(a, q0)
      : null;
  if (crossed) {
    const found = Number.isFinite(qStar) ? 'No finite q*' : 'No q* found';
    return { qStar: null, chi1: null, problem: `${found}: ${describe(crossed, { why })}` };
  }
  // χ₁ is read at q*, or at the q = 1e-200 and 1e30 that stand for q* = 0 and ∞.
  const limit = qStar === 0 ? 'q → 0' : Number.isFinite(qStar) ? '' : 'q → ∞';
  const slope = divergence(a, 'φ′²', qStar === 0 ? 1e-200 : limit ? 1e30 : qStar);
  if (!slope) return { qStar, chi1 };
  const what = limit
    ? `${expectationName(slope)} ${status(slope)} as ${limit}`
    : describe(slope, { at: 'q*', why });
  return { qStar, chi1: null, problem: `χ₁ not computed: ${what}` };
}

/** The critical σ_w², null when there is none below 1e8 or (with the reason) it is not computed. */
export interface CriticalPoint {
  readonly critical: number | null;
  readonly problem?: string;
}

/** @param square - E[φ(z)²]'s problem, if any: the search starts every fixed point from q = 1 */
export function criticalPoint(a: Activation, sigmaB2: number, square?: Divergence): CriticalPoint {
  if (square) {
    return {
      critical: null,
      problem: `not computed: ${expectationName(square)} ${status(square)}`,
    };
  }
  let critical: number;
  try {
    critical = criticalSigmaW2(a, sigmaB2);
  } catch {
    return { critical: null };
  }
  const { qStar } = meanField({
    activation: a,
    sigmaW2: critical,
    sigmaB2,
    q0: 1,
    depth: 1,
    correlations: false,
  });
  const d = Number.isFinite(qStar)
    ? (divergence(a, 'φ²', Math.max(1, qStar)) ?? divergence(a, 'φ′²', qStar))
    : null;
  return d
    ? { critical: null, problem: `not computed: ${describe(d, { at: 'q*', why: false })}` }
    : { critical };
}

/** The theory's second moment of each layer's pre-activations, up to where it stops existing. */
export interface TheorySequence {
  /** q[l − 1] for layer l; shorter than the depth where the next one is infinite or unknown. */
  readonly q: number[];
  readonly problem?: string;
}

/** @param why - whether the sentence should give the reason (false: the moments gave it) */
export function theorySequence(
  a: Activation,
  sigmaW2: number,
  sigmaB2: number,
  depth: number,
  why: boolean,
): TheorySequence {
  // The q-sequence directly (meanField's correlation sequence, which the lab does not show, costs
  // a bivariate integral per layer). Layer l's pre-activations have second moment q[l − 1].
  const q = [sigmaW2 + sigmaB2];
  for (let l = 1; l < depth; l++) {
    const prev = q[l - 1]!;
    if (!Number.isFinite(prev)) break;
    const d = divergence(a, 'φ²', prev);
    if (d) {
      const at = `${expectationName(d)} at q = ${formatNumber(prev)}`;
      return {
        q,
        problem: `drawn to layer ${l}: layer ${l + 1} needs ${at}, which ${status(d)}${why ? `: ${reason(d)}` : ''}`,
      };
    }
    q.push(sigmaW2 * gaussianExpectation((x) => a.f(x) ** 2, prev, a.kinks) + sigmaB2);
  }
  return { q };
}
