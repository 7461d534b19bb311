/**
 * Mean-field maps for the phase diagram, fast enough for a 30 × 20 grid and a 100-layer
 * correlation curve on every click. The engine's `meanField` computes the same quantities with
 * adaptive quadrature to ~1e-10 (about 5 ms per correlation step, 0.2 s for c* in the chaotic
 * phase); here tanh's Gaussian expectations use the trapezoid rule on z ∈ [−8, 8], which converges
 * geometrically for integrands analytic in a strip (tanh's nearest pole is at z = iπ/(2√q)), and
 * ReLU uses its closed forms (the arc-cosine kernel of Cho & Saul 2009). The unit tests compare
 * both with `meanField`.
 *
 * Notation (Poole et al. 2016; Schoenholz et al. 2017): for pre-activations of variance q and
 * correlation c, q-map F(q) = σ_w²·E[φ(√q z)²] + σ_b², χ₁ = σ_w²·E[φ′(√q* z)²], correlation map
 * C(c) = (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²)/q*, χ_c = σ_w²·E[φ′(u₁)φ′(u₂)] at c*, ξ_c = −1/ln χ_c.
 *
 * @module
 */
import { solveBracket } from '../../engine/meanfield';

/** Gaussian expectations of one activation. */
export interface Moments {
  /** E[φ(√q z)²]. */
  phi2(q: number): number;
  /** E[φ′(√q z)²]. */
  dphi2(q: number): number;
  /** E[φ(u₁)φ(u₂)], u₁, u₂ of variance q and correlation c. */
  phiPhi(q: number, c: number): number;
  /** E[φ′(u₁)φ′(u₂)]. */
  dphiDphi(q: number, c: number): number;
}

/** Trapezoid nodes z and weights h·ϕ(z) on [−8, 8]. */
function nodes(h: number): { z: Float64Array; w: Float64Array } {
  const n = Math.round(16 / h) + 1;
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = -8 + i * h;
    w[i] = (h * Math.exp(-0.5 * z[i]! * z[i]!)) / Math.sqrt(2 * Math.PI);
  }
  return { z, w };
}

const FINE = nodes(0.05);
const COARSE = nodes(0.2);
const sech2 = (x: number): number => 1 - Math.tanh(x) ** 2;

function expect1(g: (x: number) => number, q: number): number {
  const s = Math.sqrt(q);
  let sum = 0;
  for (let i = 0; i < FINE.z.length; i++) sum += FINE.w[i]! * g(s * FINE.z[i]!);
  return sum;
}

function expect2(g: (x: number) => number, q: number, c: number): number {
  const s = Math.sqrt(q);
  const r = Math.sqrt(Math.max(0, 1 - c * c));
  const { z, w } = COARSE;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const a = g(s * z[i]!);
    let inner = 0;
    for (let j = 0; j < z.length; j++) inner += w[j]! * g(s * (c * z[i]! + r * z[j]!));
    sum += w[i]! * a * inner;
  }
  return sum;
}

const TANH: Moments = {
  phi2: (q) => expect1((x) => Math.tanh(x) ** 2, q),
  dphi2: (q) => expect1((x) => sech2(x) ** 2, q),
  phiPhi: (q, c) => expect2(Math.tanh, q, c),
  dphiDphi: (q, c) => expect2(sech2, q, c),
};

/** θ = arccos c, clamped. */
const angle = (c: number): number => Math.acos(Math.min(1, Math.max(-1, c)));

const RELU: Moments = {
  phi2: (q) => q / 2,
  dphi2: () => 1 / 2,
  phiPhi: (q, c) => {
    const t = angle(c);
    return (q / (2 * Math.PI)) * (Math.sin(t) + (Math.PI - t) * Math.cos(t));
  },
  dphiDphi: (_q, c) => (Math.PI - angle(c)) / (2 * Math.PI),
};

export const ACTIVATIONS = ['tanh', 'relu'] as const;

export function moments(activation: string): Moments {
  if (activation === 'tanh') return TANH;
  if (activation === 'relu') return RELU;
  throw new Error(`No fast mean-field moments for ${JSON.stringify(activation)}.`);
}

/**
 * The fixed point q* of the q-map reached from q1 (default 1): 0 when the signal dies out
 * (σ_b² = 0 and the map contracts), Infinity when it grows without bound (ReLU above σ_w² = 2).
 * For ReLU at exactly σ_w² = 2, σ_b² = 0 every q is fixed, so q* = q1.
 */
export function fixedPointQ(activation: string, w2: number, b2: number, q1 = 1): number {
  if (activation === 'relu') {
    if (w2 < 2) return b2 / (1 - w2 / 2);
    return w2 === 2 && b2 === 0 ? q1 : Infinity;
  }
  const m = moments(activation);
  // tanh: F(q) < w2 + b2 for all q, and F(q) − q > 0 near 0 unless b2 = 0 and F′(0) = w2 ≤ 1.
  if (b2 === 0 && w2 <= 1) return 0;
  const h = (q: number): number => w2 * m.phi2(q) + b2 - q;
  return solveBracket(h, 1e-12, w2 + b2 + 1, 1e-12);
}

export interface PointTheory {
  readonly qStar: number;
  readonly chi1: number;
  /** Stable correlation fixed point: 1 in the ordered phase; NaN when q* is 0 or ∞. */
  readonly cStar: number;
  readonly chiC: number;
  /** Depth scale of correlation convergence; Infinity at χ_c ≥ 1. */
  readonly xiC: number;
}

/** χ₁ at a fixed point; at q* = 0 the slope at the origin, at q* = ∞ its large-q limit. */
export function chiOne(activation: string, w2: number, qStar: number): number {
  const m = moments(activation);
  return w2 * m.dphi2(Number.isFinite(qStar) ? qStar : 1e6);
}

export function pointTheory(activation: string, w2: number, b2: number, q1 = 1): PointTheory {
  const m = moments(activation);
  const qStar = fixedPointQ(activation, w2, b2, q1);
  const chi1 = chiOne(activation, w2, qStar);
  if (!(qStar > 0 && Number.isFinite(qStar))) {
    return { qStar, chi1, cStar: NaN, chiC: chi1, xiC: chi1 >= 1 ? Infinity : -1 / Math.log(chi1) };
  }
  let cStar = 1;
  // As in the engine: at χ₁ ≤ 1 (up to rounding) c = 1 is the stable fixed point.
  if (chi1 > 1 + 1e-9) {
    const h = (c: number): number => (w2 * m.phiPhi(qStar, c) + b2) / qStar - c;
    cStar = h(1 - 1e-9) >= 0 ? 1 : solveBracket(h, -1, 1 - 1e-9, 1e-10);
  }
  const chiC = cStar === 1 ? chi1 : w2 * m.dphiDphi(qStar, cStar);
  const xiC = chiC >= 1 ? Infinity : chiC > 0 ? -1 / Math.log(chiC) : 0;
  return { qStar, chi1, cStar, chiC, xiC };
}

/**
 * q^l and c^l for l = 1 … depth, from layer 1's q = σ_w²·E[x²] + σ_b² and correlation c1.
 * c^{l+1} = (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²)/q^{l+1}, with u of variance q^l and correlation c^l.
 */
export function depthCurves(
  activation: string,
  w2: number,
  b2: number,
  q1: number,
  c1: number,
  depth: number,
): { q: number[]; c: number[] } {
  const m = moments(activation);
  const q = [q1];
  const c = [c1];
  for (let l = 1; l < depth; l++) {
    const prev = q[l - 1]!;
    const next = w2 * m.phi2(prev) + b2;
    q.push(next);
    c.push(next > 0 && Number.isFinite(next) ? (w2 * m.phiPhi(prev, c[l - 1]!) + b2) / next : NaN);
  }
  return { q, c };
}
