/**
 * One lane of PyTorch 1.13's AVX2 `log256_ps` and `sincos256_ps`
 * (aten/src/ATen/native/cpu/avx_mathfun.h: Giovanni Garberoglio's AVX port, 2012, of Julien
 * Pommier's sse_mathfun, itself a rewriting of Stephen Moshier's Cephes `logf` and `sinf`/`cosf`),
 * replayed in float32 step by step. The eight lanes of the vector functions are independent, so one
 * scalar function per lane reproduces them.
 *
 * The AVX2 objects are compiled by GCC with `-mavx2 -mfma`, and GCC's intrinsics are plain vector
 * `*` and `+`, which GCC contracts into fused multiply-adds: a product whose only use is an addition
 * becomes one `vfmadd` (the first such product in program order when two products meet in one
 * addition). `contract: 'gcc'` replays that and matches PyTorch on every value we have (3.1 million
 * AVX2 normals); `'none'` (no fusion) differs in about 1% of them. Fusions confirmed one by one by
 * undoing each: the log and both trig polynomials' Horner steps, log's `y·z + e·Q1` (fusing `y·z`,
 * not `e·Q1`), the cosine's `y·z − z/2` and the sine's `y·x + x`; the reduction's `j·DP3` fusion
 * changed no value we tried.
 */

import { f32Bits, f32FromBits, fma32 } from './float32';

const f = Math.fround;

/** How the compiler fused products into additions (see the module comment). */
export type Contraction = 'none' | 'gcc';

// Cephes logf: log(1 + x) ≈ x − x²/2 + x³·P(x) for √½ ≤ 1 + x < √2.
const SQRTHF = f(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f);
// ln 2 split in two: Q2 has few bits, so e·Q2 is exact for the exponents met here.
const LOG_Q1 = f(-2.1219444e-4);
const LOG_Q2 = f(0.693359375);
const MIN_NORM_POS = f32FromBits(0x00800000);

/** `a·b + c` as the compiled code computes it: fused, or two float32 roundings. */
function madd(a: number, b: number, c: number, contract: Contraction): number {
  return contract === 'none' ? f(f(a * b) + c) : fma32(a, b, c);
}

/**
 * Natural logarithm of a positive float32, as one lane of `log256_ps` computes it: split
 * `x = m·2^e` with `m ∈ [½, 1)`, fold `m < √½` to `2m` (`e − 1`), then Cephes' degree-9
 * polynomial in `t = m − 1` and `e·ln 2` added in two parts.
 *
 * @param x0 - a float32 (inputs `≤ 0` give NaN, as the vector code's invalid mask does).
 * @param contract - the compiler's contraction of products into additions.
 * @returns the float32 result of the vector code for this lane.
 */
export function logLane(x0: number, contract: Contraction = 'gcc'): number {
  if (!(x0 > 0)) return NaN;
  const bits = f32Bits(Math.max(x0, MIN_NORM_POS));
  let e = (bits >>> 23) - 0x7f + 1;
  let x = f32FromBits((bits & ~0x7f800000) | 0x3f000000);
  const fold = x < SQRTHF;
  const tmp = fold ? x : 0;
  x = f(x - 1);
  if (fold) e -= 1;
  x = f(x + tmp);
  const z = f(x * x);
  let y = LOG_P[0] ?? 0;
  for (let k = 1; k < LOG_P.length; k++) y = madd(y, x, LOG_P[k] ?? 0, contract);
  y = f(y * x);
  // y·z + e·Q1: GCC fuses y·z (it comes first) and rounds e·Q1 on its own.
  const eq1 = f(e * LOG_Q1);
  y = contract === 'none' ? f(f(y * z) + eq1) : fma32(y, z, eq1);
  y = f(y - f(z * 0.5)); // z·½ is exact: fused or not, the same
  x = f(x + y);
  return f(x + f(e * LOG_Q2)); // e·Q2 is exact
}

// Cephes sinf/cosf: reduce by multiples of π/4 (π/4 = DP1 + DP2 + DP3, the first two short).
const FOPI = f(1.27323954473516);
const MINUS_DP1 = f(-0.78515625);
const MINUS_DP2 = f(-2.4187564849853515625e-4);
const MINUS_DP3 = f(-3.77489497744594108e-8);
const SIN_P0 = f(-1.9515295891e-4);
const SIN_P1 = f(8.3321608736e-3);
const SIN_P2 = f(-1.6666654611e-1);
const COS_P0 = f(2.443315711809948e-5);
const COS_P1 = f(-1.388731625493765e-3);
const COS_P2 = f(4.166664568298827e-2);

/**
 * Sine and cosine of a float32, as one lane of `sincos256_ps` computes them: octant
 * `j = (⌊|x|·4/π⌋ + 1) & ~1`, `r = |x| − j·π/4` in three parts, then Cephes' cosine polynomial
 * `1 − r²/2 + r⁴·C(r²)` and sine polynomial `r + r³·S(r²)`, swapped and signed by `j`.
 * Accurate for `|x| < 8192` (no large-argument reduction, like the original).
 *
 * @param x0 - a float32 angle in radians.
 * @param contract - the compiler's contraction of products into additions.
 * @returns `[sin, cos]`, the float32 results of the vector code for this lane.
 */
export function sinCosLane(x0: number, contract: Contraction = 'gcc'): [number, number] {
  let signSin = x0 < 0 || Object.is(x0, -0);
  let x = Math.abs(x0);
  const j = (Math.trunc(f(x * FOPI)) + 1) & ~1; // cvttps_epi32, then the Cephes even rounding
  const y = j; // cvtepi32_ps: exact for the octants met here
  const signCos = (~(j - 2) & 4) !== 0;
  if ((j & 4) !== 0) signSin = !signSin;
  const sinPolyForSin = (j & 2) === 0;
  x = madd(y, MINUS_DP1, x, contract); // exact products: fused or not, the same
  x = madd(y, MINUS_DP2, x, contract);
  x = madd(y, MINUS_DP3, x, contract);
  const z = f(x * x);
  let yc = madd(COS_P0, z, COS_P1, contract);
  yc = madd(yc, z, COS_P2, contract);
  yc = f(yc * z);
  yc = madd(yc, z, -f(z * 0.5), contract);
  yc = f(yc + 1);
  let ys = madd(SIN_P0, z, SIN_P1, contract);
  ys = madd(ys, z, SIN_P2, contract);
  ys = f(ys * z);
  ys = madd(ys, x, x, contract);
  // The vector code selects with masks and then adds and subtracts the masked parts.
  const ysin2 = sinPolyForSin ? ys : 0;
  const ysin1 = sinPolyForSin ? 0 : yc;
  const s = f(ysin1 + ysin2);
  const c = f(f(yc - ysin1) + f(ys - ysin2));
  return [signSin ? -s : s, signCos ? -c : c];
}
