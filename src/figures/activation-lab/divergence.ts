/**
 * The activation lab's guard against moments that do not exist. The engine's quadrature integrates
 * |z| ≤ 12 only, so for φ = exp(x²) it would report E[φ(z)²] ≈ 1e92; {@link gaussianTail} tells
 * such integrals apart, and this module words what it finds. Divergence depends on the variance q
 * (E[exp(0.1·x²)²] is finite for q < 2.5 only), so each check names the q it was made at, and the
 * lab checks every q it integrates at: 1 for the moments, each layer's q for the theory, the
 * largest q the fixed-point search crosses, q* for χ₁.
 *
 * @module
 */
import type { Activation } from '../../engine/activations';
import { gaussianTail, type TailVerdict } from '../../engine/tails';
import { formatNumber } from '../types';

/** The three integrands the lab takes Gaussian expectations of. */
export type Integrand = 'φ' | 'φ²' | 'φ′²';

const PARTS: Readonly<Record<Integrand, (a: Activation) => (x: number) => number>> = {
  φ: (a) => a.f,
  'φ²': (a) => (x) => a.f(x) ** 2,
  'φ′²': (a) => (x) => a.df(x) ** 2,
};

/** A moment that the lab cannot print: which, where, and why. */
export interface Divergence {
  readonly integrand: Integrand;
  readonly q: number;
  readonly verdict: Exclude<TailVerdict, 'finite'>;
}

/** Whether E[g(√q·z)] for this integrand exists and the quadrature reaches it; null if so. */
export function divergence(a: Activation, integrand: Integrand, q: number): Divergence | null {
  const verdict = gaussianTail(PARTS[integrand](a), q);
  return verdict === 'finite' ? null : { integrand, q, verdict };
}

/** E[φ(z)²] at q = 1, E[φ(√q·z)²] elsewhere (with q*'s own name for χ₁). */
export function expectationName(d: Divergence, at = 'q'): string {
  const [f, power] =
    d.integrand === 'φ' ? ['φ', ''] : d.integrand === 'φ²' ? ['φ', '²'] : ['φ′', '²'];
  return d.q === 1 ? `E[${f}(z)${power}]` : `E[${f}(√${at}·z)${power}]`;
}

/** Why: the integrand outgrows the Gaussian, or is not negligible where the integration stops. */
export function reason(d: Divergence): string {
  const g = d.integrand === 'φ' ? '|φ(x)|' : d.integrand === 'φ²' ? 'φ(x)²' : 'φ′(x)²';
  const density = d.q === 1 ? 'e^(−x²/2)' : 'e^(−x²/(2q))';
  return d.verdict === 'infinite'
    ? `${g} grows at least as fast as the Gaussian density ${density} decays`
    : `${g}·${density} is not negligible beyond 12 standard deviations, where the integration stops`;
}

/** "is infinite" or "cannot be computed reliably". */
export function status(d: Divergence): string {
  return d.verdict === 'infinite' ? 'is infinite' : 'cannot be computed reliably';
}

/**
 * One sentence: what, at which q (named `at`), and, unless `why` is false (the reason was given
 * already), why.
 */
export function describe(d: Divergence, { at = 'q', why = true } = {}): string {
  const where = d.q === 1 ? 'for this φ' : `at ${at} = ${formatNumber(d.q)}`;
  return `${expectationName(d, at)} ${status(d)} ${where}${why ? `: ${reason(d)}` : ''}`;
}
