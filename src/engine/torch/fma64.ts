/**
 * A correctly rounded float64 fused multiply-add in plain JavaScript, for replaying C library code
 * that x86-64 builds compile with `-mfma` (glibc's `*-fma` variants pick themselves at load time on
 * CPUs with FMA).
 *
 * Algorithm: S. Boldo and G. Melquiond, "Emulation of FMA and correctly rounded sums: proved
 * algorithms using rounding to odd", IEEE Transactions on Computers 57(4), 2008. The product is
 * split exactly into `uh + ul` (Dekker's product with Veltkamp's splitting), `c + uh` exactly into
 * `th + tl` (Knuth's TwoSum), then `v = ul + tl` is rounded *to odd* and `th + v` rounded to
 * nearest is the correctly rounded `a·b + c`. Valid away from overflow and underflow.
 */

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer); // little-endian: words[0] is the low word

/** Veltkamp's splitting constant 2²⁷ + 1 for float64. */
const SPLIT = 134217729;

/** `x + y` rounded to odd: if inexact, the neighbour of the exact sum whose last bit is 1. */
function addRoundToOdd(x: number, y: number): number {
  const s = x + y;
  const bv = s - x;
  const e = x - (s - bv) + (y - bv);
  if (e === 0) return s;
  scratch[0] = s;
  if (((words[0] ?? 0) & 1) === 1) return s;
  // s is even and inexact: the odd neighbour on the side of the error brackets the exact sum.
  const away = s > 0 === e > 0;
  let lo = words[0] ?? 0;
  let hi = words[1] ?? 0;
  if (away) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  words[0] = lo;
  words[1] = hi;
  return scratch[0] ?? 0;
}

/**
 * `a·b + c` with a single rounding to the nearest float64 (ties to even), as the x86 `vfmadd…sd`
 * instructions compute it.
 *
 * @param a - a float64.
 * @param b - a float64.
 * @param c - a float64.
 * @returns the float64 nearest to the exact `a·b + c` (finite, normal-range operands).
 */
export function fma64(a: number, b: number, c: number): number {
  const uh = a * b;
  const ta = SPLIT * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLIT * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  const ul = ah * bh - uh + ah * bl + al * bh + al * bl;
  const th = c + uh;
  const bv = th - c;
  const tl = c - (th - bv) + (uh - bv);
  return th + addRoundToOdd(ul, tl);
}
