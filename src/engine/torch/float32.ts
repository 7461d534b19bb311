/**
 * Exact float32 building blocks for replaying PyTorch's CPU kernels in JavaScript: bit casts,
 * the neighbouring float32, and a correctly rounded float32 fused multiply-add.
 *
 * JavaScript numbers are float64; `Math.fround` rounds one to the nearest float32 (ties to even),
 * which is exactly what one IEEE 754 float32 add, subtract, multiply or divide of float32 inputs
 * gives (the float64 result of such an operation, rounded again to float32, cannot suffer from
 * double rounding: float64 carries more than 2·24 + 2 significant bits).
 */

const scratchF = new Float32Array(1);
const scratchU = new Uint32Array(scratchF.buffer);

/** The IEEE 754 bits of `x` rounded to float32, as an unsigned 32-bit integer. */
export function f32Bits(x: number): number {
  scratchF[0] = x;
  return scratchU[0] ?? 0;
}

/** The float32 whose IEEE 754 bits are the unsigned 32-bit integer `bits`. */
export function f32FromBits(bits: number): number {
  scratchU[0] = bits >>> 0;
  return scratchF[0] ?? 0;
}

/**
 * The float32 next to the float32 `x` towards `+∞` (`up`) or `−∞`: `nextafterf`. Only for finite
 * `x`; used to settle ties in {@link fma32}.
 */
export function nextF32(x: number, up: boolean): number {
  if (x === 0) return up ? f32FromBits(1) : f32FromBits(0x80000001);
  const b = f32Bits(x);
  const away = x > 0 === up;
  return f32FromBits(away ? b + 1 : b - 1);
}

/**
 * float32 fused multiply-add `a·b + c` with one rounding, as the x86 `vfmadd` instructions do.
 *
 * For float32 `a`, `b`, the product `p = a·b` is exact in float64 (48 significant bits). The sum
 * `s = p + c` is rounded once to float64; its exact error `e` follows from Knuth's TwoSum. Rounding
 * `s` to float32 gives the right answer unless `s` is exactly halfway between two float32 and
 * `e ≠ 0`: every float32 midpoint is a float64, so the exact sum and `s` lie on the same side of
 * any midpoint other than `s` itself. In that tie case the sign of `e` picks the neighbour.
 *
 * @param a - a float32 value.
 * @param b - a float32 value.
 * @param c - a float32 value.
 * @returns the float32 nearest to the exact `a·b + c` (ties to even), for results in the normal
 * float32 range.
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  const bv = s - p;
  const e = p - (s - bv) + (c - bv);
  if (e === 0) return r;
  const other = nextF32(r, s > r);
  if (Math.abs(other - s) !== Math.abs(s - r)) return r;
  // s is a tie: the exact sum lies on the side of s given by e.
  const upper = Math.max(r, other);
  const lower = Math.min(r, other);
  return e > 0 ? upper : lower;
}
