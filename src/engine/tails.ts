/**
 * Whether a Gaussian expectation E[g(√q·z)], z ~ N(0, 1), exists, and whether the quadrature's
 * truncation at |z| ≤ {@link Z_MAX} can compute it. The quadrature never looks past the
 * truncation, so for g = exp(x²) it returns a large finite number where the integral diverges.
 *
 * The test reads the integrand's logarithm, ln|g(√q·z)| − z²/2, beyond the truncation, at
 * z = 12·2^(k/4) on both sides (up to about 12 000, or until g overflows or is undefined), and
 * compares it with the largest value inside |z| ≤ 12:
 * - every tail value more than 16 below it (a factor e^16, about 1e7): the tail is negligible and
 *   the quadrature's value stands (`'finite'`): polynomials, exp(a·x), exp(c·x²) with c·q well
 *   below 1/2;
 * - a tail value above that, the integrand not falling between the last two points reached, and
 *   its curvature in z not below zero (the Gaussian's −z²/2 outweighed): it does not decay
 *   (`'infinite'`), as for exp(c·x²) with c·q ≥ 1/2 (E[exp(x²/4)²] at q = 1, where the integrand
 *   is constant);
 * - any other tail value above that: the integral may exist, but part of its mass lies beyond
 *   the truncation or beyond where g overflows (`'unresolved'`), as for exp(x) at q = 256, whose
 *   integrand peaks at z = 32.
 * An `'unresolved'` q is also checked at q/2, q/4, … q/1024: divergence at a smaller variance
 * means divergence here (exp(x²) at q = 2.4, where g overflows too soon to tell).
 * Doubles limit what can be seen: growth that starts only where g has overflowed (exp(10⁻⁶·x⁴))
 * passes unseen.
 *
 * @module
 */
import { Z_MAX } from './quadrature';

/** What {@link gaussianTail} finds. */
export type TailVerdict = 'finite' | 'infinite' | 'unresolved';

/** ln of the largest double: past it g(x) is Infinity. */
const LOG_MAX = Math.log(Number.MAX_VALUE);
/**
 * Tail values this far (in ln) below the body's largest are negligible: a relative error near
 * 1e-7, below every digit the figures print.
 */
const NEGLIGIBLE = 16;
/** Tail points per side: z = 12·2^(k/4), k = 1 … TAIL_POINTS. */
const TAIL_POINTS = 40;
/** The stretch from one tail point to the next, relative to z. */
const STRETCH = 2 ** (1 / 4) - 1;
/**
 * How far below zero the integrand's curvature in z (its z² coefficient: c·q − 1/2 for
 * g = exp(c·x²)) may be and still count as not decaying: what lower-order factors (x·exp(x²/4)²)
 * bend it by over the last points.
 */
const CURVATURE_SLACK = 0.01;

/** The z² coefficient of the parabola through the last three points (−∞ with fewer). */
function curvature(zs: readonly number[], ts: readonly number[]): number {
  const n = zs.length;
  if (n < 3) return -Infinity;
  const [z1, z2, z3] = [zs[n - 3]!, zs[n - 2]!, zs[n - 1]!];
  const [t1, t2, t3] = [ts[n - 3]!, ts[n - 2]!, ts[n - 1]!];
  return ((t3 - t2) / (z3 - z2) - (t2 - t1) / (z2 - z1)) / (z3 - z1);
}

/**
 * Whether E[g(√q·z)] is finite and within the quadrature's reach (see the module notes). Signed g
 * is judged by |g|: where E|g| is infinite, E[g] is undefined.
 * @param g - the integrand, e.g. x ↦ φ(x)²
 * @param q - variance of the argument (> 0)
 */
export function gaussianTail(g: (x: number) => number, q: number): TailVerdict {
  const verdict = tailAt(g, q);
  if (verdict !== 'unresolved') return verdict;
  // A wider Gaussian decays more slowly: an integral infinite at a smaller q is infinite at q too.
  for (let smaller = q / 2; smaller >= q / 1024; smaller /= 2) {
    if (tailAt(g, smaller) === 'infinite') return 'infinite';
  }
  return verdict;
}

/** {@link gaussianTail} from the points at q alone. */
function tailAt(g: (x: number) => number, q: number): TailVerdict {
  const s = Math.sqrt(q);
  // The body's largest ln-integrand, and what counts as negligible beside it.
  let body = -Infinity;
  for (let i = -8 * Z_MAX; i <= 8 * Z_MAX; i++) {
    const z = i / 8;
    const v = Math.log(Math.abs(g(s * z))) - 0.5 * z * z;
    if (v > body) body = v;
  }
  if (body === Infinity) return 'unresolved';
  const floor = body - NEGLIGIBLE;
  let verdict: TailVerdict = 'finite';
  for (const side of [-1, 1]) {
    // ln of the integrand's mass near z: |g|, the Gaussian weight, the width of z's stretch.
    const mass = (lnY: number, z: number): number => lnY + Math.log(z * STRETCH) - 0.5 * z * z;
    const zs = [Z_MAX];
    const ts = [mass(Math.log(Math.abs(g(side * s * Z_MAX))), Z_MAX)];
    let heavy = false;
    let rising = false;
    for (let k = 1; k <= TAIL_POINTS; k++) {
      const z = Z_MAX * 2 ** (k / 4);
      const y = Math.abs(g(side * s * z));
      if (Number.isNaN(y)) break;
      const previous = ts.at(-1)!;
      if (y === Infinity) {
        // Only a lower bound is known here, e^LOG_MAX. Out of reach unless the tail had already
        // become negligible; rising for sure if even the bound is higher than the last value.
        const bound = mass(LOG_MAX, z);
        if (previous >= floor || bound >= floor) heavy = true;
        if (bound >= previous) rising = true;
        break;
      }
      const t = mass(Math.log(y), z);
      if (t >= floor && t > -Infinity) heavy = true;
      rising = t >= previous && t > -Infinity;
      zs.push(z);
      ts.push(t);
    }
    // Rising while the Gaussian's −z²/2 is not outweighed (curvature below zero) only delays the
    // decay: exp(32·z) at q = 256 peaks at z = 32, beyond what doubles reach here.
    if (heavy && rising && curvature(zs, ts) >= -CURVATURE_SLACK) return 'infinite';
    if (heavy) verdict = 'unresolved';
  }
  return verdict;
}
