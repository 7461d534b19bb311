/**
 * glibc's float32 `logf`, `sinf` and `cosf` as Debian 12's glibc 2.36 computes them (the
 * algorithms glibc adopted in 2.27/2.28; later releases may change them), replayed bit for bit:
 * Szabolcs Nagy's ARM optimized routines in glibc's sysdeps/ieee754/flt-32 (`e_logf.c` with the
 * table of `e_logf_data.c`; `s_sinf.c`, `s_cosf.c` with `s_sincosf.h`, `sincosf_poly.h` and the
 * table of `s_sincosf_data.c`). They work in float64 and round once to float32 at the end.
 *
 * On x86-64 CPUs with FMA, glibc runs the same C compiled with `-mfma` (`e_logf-fma.c`,
 * `s_sinf-fma.c`, `s_cosf-fma.c`), where GCC fuses each `a·b + c`; `fused` selects that build.
 * Both builds gave the same float32 results as this machine's glibc on every argument we tried
 * (40,000 per function), so which one ran is not established: the float64 steps carry ~29 spare
 * bits. Only arguments in the ranges the normal kernel meets are handled: `logf` on normal
 * positive floats, `sinf`/`cosf` on `|x| < 120` (glibc's one-step reduction; larger ones throw).
 */

import { f32Bits } from './float32';
import { fma64 } from './fma64';

/** Parses a C99 hexadecimal float literal such as `-0x1.57bf7808caadep-2` exactly. */
function hex(literal: string): number {
  const m = /^(-?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(literal);
  if (!m) throw new Error(`not a hex float: ${literal}`);
  const frac = m[3] ?? '';
  const digits = parseInt((m[2] ?? '') + frac, 16); // ≤ 53 bits in every literal below: exact
  const value = digits * 2 ** (Number(m[4]) - 4 * frac.length);
  return m[1] === '-' ? -value : value;
}

/** `a·b + c`: fused (one rounding) in glibc's FMA build, two roundings otherwise. */
function madd(a: number, b: number, c: number, fused: boolean): number {
  return fused ? fma64(a, b, c) : a * b + c;
}

// logf: x = 2^k·z, z in [OFF, 2·OFF) split in 16 subintervals of centre c; log(x) =
// log1p(z/c − 1) + log c + k·ln 2 with a degree-4 polynomial for log1p (first coefficient 1).
const LOGF_OFF = 0x3f330000;
const LOGF_TAB = [
  ['0x1.661ec79f8f3bep+0', '-0x1.57bf7808caadep-2'],
  ['0x1.571ed4aaf883dp+0', '-0x1.2bef0a7c06ddbp-2'],
  ['0x1.49539f0f010bp+0', '-0x1.01eae7f513a67p-2'],
  ['0x1.3c995b0b80385p+0', '-0x1.b31d8a68224e9p-3'],
  ['0x1.30d190c8864a5p+0', '-0x1.6574f0ac07758p-3'],
  ['0x1.25e227b0b8eap+0', '-0x1.1aa2bc79c81p-3'],
  ['0x1.1bb4a4a1a343fp+0', '-0x1.a4e76ce8c0e5ep-4'],
  ['0x1.12358f08ae5bap+0', '-0x1.1973c5a611cccp-4'],
  ['0x1.0953f419900a7p+0', '-0x1.252f438e10c1ep-5'],
  ['0x1p+0', '0x0p+0'],
  ['0x1.e608cfd9a47acp-1', '0x1.aa5aa5df25984p-5'],
  ['0x1.ca4b31f026aap-1', '0x1.c5e53aa362eb4p-4'],
  ['0x1.b2036576afce6p-1', '0x1.526e57720db08p-3'],
  ['0x1.9c2d163a1aa2dp-1', '0x1.bc2860d22477p-3'],
  ['0x1.886e6037841edp-1', '0x1.1058bc8a07ee1p-2'],
  ['0x1.767dcf5534862p-1', '0x1.4043057b6ee09p-2'],
].map(([invc, logc]) => ({ invc: hex(invc ?? ''), logc: hex(logc ?? '') }));
const LOGF_LN2 = hex('0x1.62e42fefa39efp-1');
const LOGF_A0 = hex('-0x1.00ea348b88334p-2');
const LOGF_A1 = hex('0x1.5575b0be00b6ap-2');
const LOGF_A2 = hex('-0x1.ffffef20a4123p-2');

const scratchF = new Float32Array(1);
const scratchU = new Uint32Array(scratchF.buffer);

/**
 * glibc's `logf(x)` for a normal positive float32 `x` (other inputs throw).
 *
 * @param x - a float32 in `[2⁻¹²⁶, ∞)`.
 * @param fused - glibc's FMA build (x86-64 CPUs with FMA) rather than the generic one.
 */
export function glibcLogf(x: number, fused = true): number {
  const ix = f32Bits(x);
  if (ix === 0x3f800000) return 0;
  if (ix < 0x00800000 || ix >= 0x7f800000) throw new RangeError(`glibcLogf: unsupported ${x}`);
  const tmp = (ix - LOGF_OFF) >>> 0;
  const i = (tmp >>> 19) % 16;
  const k = (tmp | 0) >> 23;
  scratchU[0] = (ix - ((tmp & 0xff800000) >>> 0)) >>> 0; // clear the exponent bits of k
  const z = scratchF[0] ?? 0;
  const t = LOGF_TAB[i] ?? { invc: 1, logc: 0 };
  const r = madd(z, t.invc, -1, fused);
  const y0 = madd(k, LOGF_LN2, t.logc, fused);
  const r2 = r * r;
  let y = madd(LOGF_A1, r, LOGF_A2, fused);
  y = madd(LOGF_A0, r2, y, fused);
  y = madd(y, r2, y0 + r, fused);
  return Math.fround(y);
}

// sinf/cosf: the polynomials of __sincosf_table[0]; entry 1 negates the cosine coefficients.
const HPI_INV = hex('0x1.45F306DC9C883p+23'); // 2/π · 2²⁴ (no fast rounding intrinsics on x86)
const HPI = hex('0x1.921FB54442D18p0');
const C1 = hex('-0x1.ffffffd0c621cp-2');
const C2 = hex('0x1.55553e1068f19p-5');
const C3 = hex('-0x1.6c087e89a359dp-10');
const C4 = hex('0x1.99343027bf8c3p-16');
const S1 = hex('-0x1.555545995a603p-3');
const S2 = hex('0x1.1107605230bc4p-7');
const S3 = hex('-0x1.994eb3774cf24p-13');
const SIGN = [1, -1, -1, 1];
const TOP12_PIO4 = f32Bits(Math.PI / 4) >>> 20;
const TOP12_TINY = f32Bits(2 ** -12) >>> 20;
const TOP12_120 = f32Bits(120) >>> 20;

/** glibc's `sinf_poly`: sine polynomial for even `n`, (sign-flipped by `neg`) cosine for odd. */
function poly(x: number, x2: number, n: number, neg: boolean, fused: boolean): number {
  if ((n & 1) === 0) {
    const x3 = x * x2;
    const s1 = madd(x2, S3, S2, fused);
    const x7 = x3 * x2;
    const s = madd(x3, S1, x, fused);
    return Math.fround(madd(x7, s1, s, fused));
  }
  const g = neg ? -1 : 1;
  const x4 = x2 * x2;
  const c2 = madd(x2, g * C4, g * C3, fused);
  const c1 = madd(x2, g * C1, g, fused);
  const x6 = x4 * x2;
  const c = madd(x4, g * C2, c1, fused);
  return Math.fround(madd(x6, c2, c, fused));
}

/** `sinf` (`cos = false`) or `cosf` (`cos = true`) of a float32 with `|y| < 120`. */
function sinOrCos(y: number, cos: boolean, fused: boolean): number {
  const top = (f32Bits(y) >>> 20) & 0x7ff;
  if (top < TOP12_PIO4) {
    if (top < TOP12_TINY) return cos ? 1 : y;
    return poly(y, y * y, cos ? 1 : 0, false, fused);
  }
  if (top >= TOP12_120) throw new RangeError(`glibc sinf/cosf: |x| ≥ 120 is not replayed (${y})`);
  const r = y * HPI_INV;
  const n = ((r | 0) + 0x800000) >> 24; // (int32_t) truncates, then the scaled rounding
  const x = fused ? fma64(-n, HPI, y) : y - n * HPI;
  const s = SIGN[n & 3] ?? 1;
  return poly(x * s, x * x, cos ? n ^ 1 : n, (n & 2) !== 0, fused);
}

/**
 * glibc's `sinf(y)` for a float32 with `|y| < 120`.
 *
 * @param fused - glibc's FMA build (x86-64 CPUs with FMA) rather than the generic one.
 */
export function glibcSinf(y: number, fused = true): number {
  return sinOrCos(y, false, fused);
}

/**
 * glibc's `cosf(y)` for a float32 with `|y| < 120`.
 *
 * @param fused - glibc's FMA build (x86-64 CPUs with FMA) rather than the generic one.
 */
export function glibcCosf(y: number, fused = true): number {
  return sinOrCos(y, true, fused);
}
