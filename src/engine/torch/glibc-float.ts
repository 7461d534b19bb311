/**
 * glibc's single-precision `logf`, `sinf` and `cosf` (glibc ≥ 2.28, the algorithms of Arm's
 * optimized-routines by Szabolcs Nagy and Wilco Dijkstra, MIT/Apache-2.0), re-expressed in
 * JavaScript double arithmetic so that PyTorch's non-vectorized `normal_fill` (which calls
 * `std::log`, `std::cos`, `std::sin` on floats) can be reproduced bit for bit. These functions
 * are not correctly rounded (logf: up to 0.82 ulp; sinf/cosf: 0.56 ulp), so float32(Math.log(x))
 * differs from them on about 1% of inputs; this port evaluates the same table lookups and
 * polynomials in the same order, in double, and rounds once to float32 at the end.
 *
 * Only the argument ranges `normal_fill` produces are covered: `torchLogf` for positive normal
 * floats, `torchSinf`/`torchCosf` for |x| < 120 (the single-step range reduction).
 *
 * @module
 */
import { EngineInputError } from '../validate';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number): number => {
  f32[0] = x;
  return u32[0] as number;
};
const floatOf = (bits: number): number => {
  u32[0] = bits;
  return f32[0] as number;
};

/** logf's table: 1/c and log(c) for the 16 subintervals c of [OFF, 2·OFF] (decimal forms of glibc's). */
const LOG_INVC = [
  1.398907162146528, 1.3403141896637998, 1.286432210124115, 1.2367150214269895, 1.1906977166711752,
  1.1479821020556429, 1.1082251448272158, 1.0711297413057381, 1.036437278977283, 1.0,
  0.9492859795739057, 0.8951049428609004, 0.8476821620351103, 0.8050314851692001,
  0.7664671008843108, 0.731428603316328,
];
const LOG_LOGC = [
  -0.33569133332882284, -0.2929040563774074, -0.2518726580937369, -0.21245868807117255,
  -0.17453945183745634, -0.1380057072319758, -0.10275976698545139, -0.06871392447020525,
  -0.0357891387398228, 0.0, 0.05204517742929496, 0.11081431298787942, 0.1652495223695143,
  0.21687389031699977, 0.2659635028121397, 0.3127556664073557,
];
const LN2 = 0.6931471805599453;
const LOG_A0 = -0.25089342214237154;
const LOG_A1 = 0.333456765744066;
const LOG_A2 = -0.4999997485802103;
const OFF = 0x3f330000;

/**
 * glibc's `logf(x)` for a positive normal float32 x: x = 2^k·z with z in [OFF, 2·OFF), c the
 * centre of z's subinterval, r = z/c − 1 (as z·(1/c) − 1), and
 * log x = k·ln 2 + log c + r + A₂r² + A₁r³ + A₀r⁴, evaluated as glibc pipelines it.
 *
 * @throws EngineInputError for x ≤ 0, subnormal, infinite or NaN x (not needed by normal_fill)
 */
export function torchLogf(x: number): number {
  const ix = bitsOf(x);
  if (ix === 0x3f800000) return 0;
  if (ix - 0x00800000 >= 0x7f800000 - 0x00800000 || ix < 0x00800000) {
    throw new EngineInputError(
      'x',
      x,
      'a positive normal float32 (torchLogf covers that range only)',
    );
  }
  const tmp = (ix - OFF) | 0;
  const i = (tmp >>> 19) % 16;
  const k = tmp >> 23; // arithmetic shift
  const iz = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const z = floatOf(iz);
  const r = z * (LOG_INVC[i] as number) - 1;
  const y0 = (LOG_LOGC[i] as number) + k * LN2;
  const r2 = r * r;
  let y = LOG_A1 * r + LOG_A2;
  y = LOG_A0 * r2 + y;
  y = y * r2 + (y0 + r);
  return Math.fround(y);
}

/** The sin/cos polynomial coefficients: [c0, c1, c2, c3, c4] (table 1 negates them) and s1–s3. */
const COS_C = [
  1, -0.49999999725108224, 0.041666623324344516, -0.001388676379437604, 2.4390450703564542e-5,
];
const SIN_S1 = -0.16666654943701084;
const SIN_S2 = 0.008332178146138854;
const SIN_S3 = -0.00019517298981385725;
const HPI_INV = 10680707.430881744; // 2/π · 2²⁴
const HPI = 1.5707963267948966;
const SIGN = [1, -1, -1, 1];

/** `sinf_poly`: the sine polynomial for even n, the (±)cosine one for odd n; `neg` picks table 1. */
function sinfPoly(x: number, x2: number, n: number, neg: boolean): number {
  if ((n & 1) === 0) {
    const x3 = x * x2;
    const s1 = SIN_S2 + x2 * SIN_S3;
    const x7 = x3 * x2;
    const s = x + x3 * SIN_S1;
    return Math.fround(s + x7 * s1);
  }
  const g = neg ? -1 : 1;
  const x4 = x2 * x2;
  const c2 = g * (COS_C[3] as number) + x2 * (g * (COS_C[4] as number));
  const c1 = g * (COS_C[0] as number) + x2 * (g * (COS_C[1] as number));
  const x6 = x4 * x2;
  const c = c1 + x4 * (g * (COS_C[2] as number));
  return Math.fround(c + x6 * c2);
}

/** |bits| >> 20 & 0x7ff of a float32: glibc's cheap magnitude class. */
const abstop12 = (y: number): number => (bitsOf(y) >>> 20) & 0x7ff;

/** Shared body of {@link torchSinf} (cos = false) and {@link torchCosf} (cos = true). */
function sincosf(y: number, cos: boolean): number {
  const top = abstop12(y);
  if (top < 1012) {
    // |y| < π/4
    if (top < 920) return cos ? 1 : y; // |y| < 2⁻¹²
    return sinfPoly(y, y * y, cos ? 1 : 0, false);
  }
  if (top < 1071) {
    // |y| < 120: one-step reduction x = y − n·π/2, n from (int)(y·2/π·2²⁴) rounded at 2²⁴.
    const r = y * HPI_INV;
    const n = (Math.trunc(r) + 0x800000) >> 24;
    const x = y - n * HPI;
    const s = SIGN[n & 3] as number;
    return sinfPoly(x * s, x * x, cos ? n ^ 1 : n, (n & 2) !== 0);
  }
  throw new EngineInputError(
    'x',
    y,
    'a float32 of magnitude below 120 (torchSinf/torchCosf cover that range only)',
  );
}

/** glibc's `sinf(y)` for float32 |y| < 120. @throws EngineInputError otherwise */
export const torchSinf = (y: number): number => sincosf(y, false);

/** glibc's `cosf(y)` for float32 |y| < 120. @throws EngineInputError otherwise */
export const torchCosf = (y: number): number => sincosf(y, true);
