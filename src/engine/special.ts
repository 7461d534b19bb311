/**
 * Deterministic special functions: `log`, `exp`, `erf` and `erfinv` built only from IEEE-754
 * operations that every JavaScript engine must round identically (+ − × ÷ and bit access).
 * `Math.log`, `Math.exp` and friends are implementation-defined, so using them would let the same
 * seed produce different weights in different browsers.
 *
 * `detLog`, `detExp` and `erf` are ports of fdlibm (`e_log.c`, `e_exp.c`, `s_erf.c`; error < 1 ulp).
 *
 * @module
 */

// Bit access to one float64 through aliased typed arrays (faster than a DataView). Only the
// index of the high word depends on the platform's byte order; the bits read are the same.
const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: 1
const LO = 1 - HI;

function highWord(x: number): number {
  f64[0] = x;
  return i32[HI] as number;
}

/** Returns x with its high 32-bit word (sign, exponent, top of mantissa) replaced. */
function withHighWord(x: number, hi: number): number {
  f64[0] = x;
  i32[HI] = hi;
  return f64[0];
}

/** Returns x with the low 32 bits of its mantissa cleared. */
function withLowWordZero(x: number): number {
  f64[0] = x;
  i32[LO] = 0;
  return f64[0];
}

const LN2_HI = 6.9314718036912381649e-1; // upper bits of ln 2, so k·LN2_HI is exact
const LN2_LO = 1.90821492927058770002e-10; // ln 2 − LN2_HI
const TWO54 = 1.8014398509481984e16;
// Remez coefficients for log(1+f) = f − f²/2 + s·(f²/2 + R(s²)), s = f/(2+f).
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * Natural logarithm, bit-identical in every JavaScript engine (fdlibm algorithm, < 1 ulp error).
 * Writes x = 2^k · (1+f) with √2/2 ≤ 1+f < √2, then log x = k·ln 2 + log(1+f) by a polynomial.
 * @returns log(x); −Infinity for 0, NaN for negative or NaN input, Infinity for Infinity
 */
export function detLog(x: number): number {
  let hx = highWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (x === 0) return -Infinity;
    if (hx < 0 || Number.isNaN(x)) return Number.NaN;
    k -= 54; // subnormal: scale up to normal range first
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000; // set when the mantissa exceeds √2
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise to [√2/2, √2)
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20: a short Taylor series suffices
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - r);
  return dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}

const INV_LN2 = 1.442695040888963387;
// Remez coefficients for the rational approximation of exp on [−ln2/2, ln2/2].
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const TWOM1000 = 9.3326361850321887899e-302; // 2^-1000

/**
 * Exponential function, bit-identical in every JavaScript engine (fdlibm algorithm, < 1 ulp).
 * Writes x = k·ln 2 + r with |r| ≤ ln2/2, then exp x = 2^k · exp r.
 * @returns e^x; 0 below about −745.13, Infinity above about 709.78, NaN for NaN
 */
export function detExp(x: number): number {
  const hxFull = highWord(x);
  const negative = hxFull < 0;
  const hx = hxFull & 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (Number.isNaN(x)) return x;
    if (x > 7.09782712893383973096e2) return Infinity;
    if (x < -7.4513321910194110842e2) return 0;
  }
  let k = 0;
  let hi = 0;
  let lo = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2: reduce
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x; // |x| < 2^-28
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  // Multiply by 2^k by adding k to the exponent field.
  if (k >= -1021) return withHighWord(y, highWord(y) + (k << 20));
  return withHighWord(y, highWord(y) + ((k + 1000) << 20)) * TWOM1000;
}

const ERX = 8.45062911510467529297e-1; // erf(1) rounded to float precision
const EFX = 1.28379167095512586316e-1; // 2/√π − 1
// erf on [0, 0.84375]: erf x = x + x·pp(x²)/qq(x²)
const PP = [
  1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
  -5.77027029648944159157e-3, -2.37630166566501626084e-5,
] as const;
const QQ = [
  1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
  1.32494738004321644526e-4, -3.9602282787753681232e-6,
] as const;
// erf on [0.84375, 1.25]: erf x = ERX + pa(s)/qa(s), s = |x| − 1
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
  3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2,
  -2.166375594868790843e-3,
] as const;
const QA = [
  1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
  1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2,
] as const;
// erfc on [1.25, 1/0.35]: erfc x = exp(−x² − 0.5625 + ra(1/x²)/sa(1/x²)) / x
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
  -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2,
  -8.12874355063065934246e1, -9.81432934416914548592,
] as const;
const SA = [
  1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2,
  6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2,
  6.57024977031928170135, -6.04244152148580987438e-2,
] as const;
// erfc on [1/0.35, 28]: same form with rb/sb
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
  -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3,
  -4.83519191608651397019e2,
] as const;
const SB = [
  1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3,
  3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2,
  -2.24409524465858183362e1,
] as const;

/** Evaluates the polynomial c[0] + c[1]·t + c[2]·t² + … by Horner's rule. */
function horner(c: readonly number[], t: number): number {
  let acc = 0;
  for (let i = c.length - 1; i >= 0; i--) acc = acc * t + (c[i] as number);
  return acc;
}

/** erfc(ax) for ax ≥ 1.25 (ax < 28), as exp(−z² − 0.5625)·exp((z−ax)(z+ax) + R/S) / ax. */
function erfcTail(ax: number): number {
  const s = 1 / (ax * ax);
  const rs = ax < 1 / 0.35 ? horner(RA, s) / horner(SA, s) : horner(RB, s) / horner(SB, s);
  const z = withLowWordZero(ax); // z ≈ ax with a short mantissa, so z·z is exact
  return (detExp(-z * z - 0.5625) * detExp((z - ax) * (z + ax) + rs)) / ax;
}

/**
 * Error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, deterministic (fdlibm `s_erf.c`, < 1 ulp).
 * @returns a value in [−1, 1]; NaN for NaN
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    return x + x * (horner(PP, x * x) / horner(QQ, x * x));
  }
  let r: number;
  if (ax < 1.25) r = ERX + horner(PA, ax - 1) / horner(QA, ax - 1);
  else if (ax >= 6)
    r = 1; // erfc(6) < 2^-55: erf rounds to 1
  else r = 1 - erfcTail(ax);
  return x < 0 ? -r : r;
}

/**
 * Complementary error function erfc(x) = 1 − erf(x), accurate in the tails (fdlibm, < 1 ulp).
 * @returns a value in [0, 2]; NaN for NaN
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.84375) return 1 - erf(x);
  let r: number; // erfc(|x|)
  if (ax < 1.25) r = 1 - ERX - horner(PA, ax - 1) / horner(QA, ax - 1);
  else if (ax < 28) r = erfcTail(ax);
  else r = 0;
  return x < 0 ? 2 - r : r;
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * Inverse error function: erfinv(erf(x)) = x, deterministic, to full double precision.
 * Starts from Giles' single-precision approximation ("Approximating the erfinv function", 2010)
 * and refines with Newton steps on erf — or on erfc for |y| > 1/2, where 1 − |y| is exact and
 * erfc keeps full relative precision in the tail.
 * @returns erfinv(y); ±Infinity at ±1; NaN outside [−1, 1]
 */
export function erfinv(y: number): number {
  return erfinvSteps(y, 8);
}

/**
 * erfinv with a single Newton step where Giles' start is valid: relative error about 1e-13,
 * far below float32 rounding, at roughly half the cost. Used to sample float32 tensors.
 */
export function erfinvForFloat32(y: number): number {
  return erfinvSteps(y, 1);
}

function erfinvSteps(y: number, maxSteps: number): number {
  if (!(y >= -1 && y <= 1)) return Number.NaN;
  if (y === 1 || y === -1) return y * Infinity;
  if (y === 0) return y;
  const ay = Math.abs(y);
  const w0 = -detLog((1 - ay) * (1 + ay));
  let w = w0;
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * w;
    p = -3.5233877e-6 + p * w;
    p = -4.39150654e-6 + p * w;
    p = 2.1858087e-4 + p * w;
    p = -1.25372503e-3 + p * w;
    p = -4.17768164e-3 + p * w;
    p = 2.46640727e-1 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -2.00214257e-4;
    p = 1.00950558e-4 + p * w;
    p = 1.34934322e-3 + p * w;
    p = -3.67342844e-3 + p * w;
    p = 5.73950773e-3 + p * w;
    p = -7.6224613e-3 + p * w;
    p = 9.43887047e-3 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  let x = p * ay;
  // Newton steps; each squares the relative error. Giles' start is good to ~1e-7 where his fit is
  // valid (w < 16, the float32 range). Beyond it (|y| within 1e-7 of 1) the start is cruder, so we
  // solve log erfc(x) = log(1 − |y|) instead, which is nearly quadratic in x, and iterate to
  // convergence.
  const crude = w0 >= 16;
  const q = 1 - ay;
  const logQ = crude ? detLog(q) : 0;
  const steps = crude ? 8 : maxSteps;
  for (let step = 0; step < steps; step++) {
    const slope = TWO_OVER_SQRT_PI * detExp(-x * x); // d erf / dx
    let dx: number;
    if (crude) {
      const c = erfc(x);
      dx = ((detLog(c) - logQ) * c) / slope;
    } else {
      dx = ay > 0.5 ? (erfc(x) - q) / slope : (ay - erf(x)) / slope;
    }
    x += dx;
    if (Math.abs(dx) <= 1e-12 * x) break; // converged: the next step would change < 1e-24·x
  }
  return y < 0 ? -x : x;
}
