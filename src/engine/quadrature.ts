/**
 * Gaussian expectations E[g(m + √q·z)], z ~ N(0, 1), for activations with kinks and for huge q.
 *
 * Gauss–Hermite alone is a poor fit here: its nodes are spread on the scale of z, while a kink
 * of φ sits at z = (k − m)/√q, which for large q is a tiny distance from 0, and a polynomial rule
 * cannot integrate across a kink. Instead the line is truncated to |z| ≤ 12 (the Gaussian weight
 * beyond is < 1e-32), cut at every kink, graded geometrically towards the kinks and towards x = 0
 * (where smooth activations change behaviour, on a z-scale of 1/√q), and each piece is
 * integrated by adaptive Gauss–Kronrod (7–15 points) to a relative tolerance.
 *
 * @module
 */

/** Truncation of the z-axis: ∫_{|z|>12} (1 + z²) ϕ(z) dz < 1e-31. */
export const Z_MAX = 12;
const INV_SQRT_2PI = 0.3989422804014327;

// Kronrod 15-point nodes (non-negative half) and weights; Gauss 7-point weights on the odd nodes.
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
  0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
  0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204,
  0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
  0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378,
  0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
];

/** One Gauss–Kronrod 7–15 panel on [a, b]: the Kronrod value and |Kronrod − Gauss|. */
function gk15(f: (z: number) => number, a: number, b: number): [number, number] {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let k = fc * WGK[7]!;
  let g = fc * WG[3]!;
  for (let i = 0; i < 7; i++) {
    const dx = h * XGK[i]!;
    const s = f(c - dx) + f(c + dx);
    k += WGK[i]! * s;
    if (i % 2 === 1) g += WG[(i - 1) / 2]! * s;
  }
  return [k * h, Math.abs((k - g) * h)];
}

/**
 * Adaptive bisection until the Kronrod–Gauss difference is below `tol` (absolute) or at rounding
 * level for the panel. `budget.left` caps the number of panels, so a tolerance that roundoff
 * cannot meet costs a bounded amount of work instead of a 2^depth recursion.
 */
function adapt(
  f: (z: number) => number,
  a: number,
  b: number,
  panel: [number, number],
  tol: number,
  budget: { left: number },
): number {
  const [k, err] = panel;
  if (err <= tol || err <= 1e-15 * Math.abs(k) || budget.left <= 0 || !Number.isFinite(k)) {
    return k;
  }
  budget.left -= 2;
  const m = 0.5 * (a + b);
  const t = tol / 2;
  return adapt(f, a, m, gk15(f, a, m), t, budget) + adapt(f, m, b, gk15(f, m, b), t, budget);
}

/**
 * ∫ f(z) dz over [lo, hi], cut at the sorted `cuts`, each piece adaptive to relative `rtol`
 * (measured against a first non-adaptive pass over all pieces) or to `atol`, whichever is looser.
 */
export function integratePieces(
  f: (z: number) => number,
  cuts: readonly number[],
  rtol = 1e-13,
  atol = 0,
): number {
  const panels: [number, number][] = [];
  let rough = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const p = gk15(f, cuts[i]!, cuts[i + 1]!);
    panels.push(p);
    rough += Math.abs(p[0]);
  }
  if (!Number.isFinite(rough)) return rough;
  const tol = Math.max(rtol * rough, atol, 1e-300) / Math.max(1, panels.length);
  const budget = { left: 2000 };
  let total = 0;
  for (let i = 0; i < panels.length; i++) {
    total += adapt(f, cuts[i]!, cuts[i + 1]!, panels[i]!, tol, budget);
  }
  return total;
}

/**
 * Cut points in z for the integrand g(m + s·z)·ϕ(z): −12, +12, every kink (k − m)/s, and for each
 * centre (the kinks and x = 0) points graded geometrically away from it, starting at 1/s.
 */
export function gaussianCuts(kinks: readonly number[], m: number, s: number): number[] {
  const pts = new Set<number>([-Z_MAX, Z_MAX, 0]);
  for (const k of [0, ...kinks]) {
    const zc = (k - m) / s;
    if (zc > -Z_MAX && zc < Z_MAX) pts.add(zc);
    // Grade from 1/s up to Z_MAX in at most ~30 steps (ratio ≥ 2).
    const first = 1 / s;
    if (!(first < Z_MAX)) continue;
    const ratio = Math.max(2, (2 * Z_MAX * s) ** (1 / 30));
    for (let d = first; d < 2 * Z_MAX; d *= ratio) {
      if (zc - d > -Z_MAX && zc - d < Z_MAX) pts.add(zc - d);
      if (zc + d > -Z_MAX && zc + d < Z_MAX) pts.add(zc + d);
    }
  }
  return [...pts].sort((a, b) => a - b);
}

/**
 * E[g(m + √q·z)] for z ~ N(0, 1).
 * @param g - the integrand, e.g. x ↦ φ(x)²
 * @param q - variance of the argument (≥ 0); q = 0 returns g(m)
 * @param kinks - x-values where g is not smooth (the activation's kinks)
 * @param m - mean of the argument (default 0)
 * @param rtol - relative tolerance (default 1e-13)
 */
export function gaussianExpectation(
  g: (x: number) => number,
  q: number,
  kinks: readonly number[] = [],
  m = 0,
  rtol = 1e-13,
): number {
  if (q === 0) return g(m);
  const s = Math.sqrt(q);
  const f = (z: number): number => g(m + s * z) * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  return integratePieces(f, gaussianCuts(kinks, m, s), rtol);
}

/**
 * E[g1(u1)·g2(u2)] for jointly Gaussian u1, u2 with variances q1, q2 and correlation c:
 * u1 = √q1·z1, u2 = √q2·(c·z1 + √(1−c²)·z2). The inner expectation over z2 is itself a shifted
 * one-dimensional Gaussian expectation; the outer integral is cut where u1 or the inner mean
 * crosses a kink.
 */
export function bivariateExpectation(
  g1: (x: number) => number,
  g2: (x: number) => number,
  q1: number,
  q2: number,
  c: number,
  kinks: readonly number[] = [],
  rtol = 1e-11,
): number {
  const s1 = Math.sqrt(q1);
  const s2 = Math.sqrt(q2);
  const rho = Math.min(1, Math.max(-1, c));
  const resid = Math.sqrt(Math.max(0, 1 - rho * rho)) * s2;
  if (s1 === 0) return g1(0) * gaussianExpectation(g2, q2, kinks, 0, rtol);
  const inner = (z1: number): number =>
    resid < 1e-12 * Math.max(1, s2)
      ? g2(s2 * rho * z1)
      : gaussianExpectation(g2, resid * resid, kinks, s2 * rho * z1, rtol);
  const f = (z1: number): number => {
    const a = g1(s1 * z1);
    return a === 0 ? 0 : a * inner(z1) * INV_SQRT_2PI * Math.exp(-0.5 * z1 * z1);
  };
  // When the result cancels to ~0 (e.g. odd φ at c = 0) a relative target is unreachable; the
  // Cauchy–Schwarz bound √(E[g1²]·E[g2²]) sets the absolute scale instead.
  const scale = Math.sqrt(
    gaussianExpectation((x) => g1(x) ** 2, q1, kinks, 0, 1e-6) *
      gaussianExpectation((x) => g2(x) ** 2, q2, kinks, 0, 1e-6),
  );
  // Outer cuts: kinks of g1, and where the inner mean s2·ρ·z1 meets a kink of g2.
  const cuts = new Set(gaussianCuts(kinks, 0, s1));
  if (s2 * Math.abs(rho) > 0) {
    for (const z of gaussianCuts(kinks, 0, s2 * Math.abs(rho))) cuts.add(z);
  }
  return integratePieces(
    f,
    [...cuts].sort((a, b) => a - b),
    rtol,
    rtol * scale,
  );
}
