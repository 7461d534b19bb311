/**
 * PyTorch 1.13's CPU `uniform_(from, to)` on float32 tensors, bit for bit.
 *
 * `uniform_kernel` (aten/src/ATen/native/cpu/DistributionTemplates.h) casts `from` and `to` to
 * float, then for each element in order draws `uniform_real_distribution<float>`, which is
 * `transformation::uniform_real` (aten/src/ATen/core/TransformationHelper.h):
 *
 *     x = (random() & (2²⁴ − 1)) · 2⁻²⁴          (float; exact)
 *     value = x · (to − from) + from              (float arithmetic)
 *
 * How the last line rounds depends on the build. The kernel file is compiled once per CPU
 * capability; GCC contracts `x·(to − from) + from` into one fused multiply-add in the AVX2 build
 * (compiled with `-mfma`), so that build rounds once; the default build rounds the product and
 * the sum separately. Both were measured against Debian's PyTorch 1.13.1 (the default build via
 * `ATEN_CPU_CAPABILITY=default`): each formula matches its build on every value of the fixtures
 * and the other differs in about a quarter of them.
 *
 * @module
 */
import { type TorchGeneratorState, torchRandom32 } from './mt19937';

/** Which of PyTorch's CPU builds to reproduce: the x86 AVX2 one (FMA) or the default one. */
export type TorchCapability = 'avx2' | 'default';

const TWO_M24 = 2 ** -24;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 next to float32 `r` in the direction of `toward` (r ≠ toward, both finite). */
function float32Step(r: number, toward: number): number {
  f32[0] = r;
  if (r === 0) {
    u32[0] = toward > 0 ? 1 : 0x80000001;
  } else if (toward > r === r > 0) {
    u32[0] = (u32[0] as number) + 1; // away from zero
  } else {
    u32[0] = (u32[0] as number) - 1; // toward zero
  }
  return f32[0] as number;
}

/**
 * fmaf(a, b, c): a·b + c rounded once to float32 (round to nearest, ties to even), for float32
 * inputs. a·b is exact in double (48 significant bits); the sum p + c is formed with its exact
 * error e (Knuth's TwoSum), so the exact result is s + e. Rounding s to float32 is then correct
 * unless s lies exactly halfway between two floats and e ≠ 0: the tie is then broken by e's sign.
 */
export function fmaFloat32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const z = s - p;
  const e = p - (s - z) + (c - z);
  const r = Math.fround(s);
  if (e === 0 || r === s) return r;
  const neighbour = float32Step(r, s);
  if (Math.abs(s - r) !== Math.abs(neighbour - s)) return r; // not a tie: already correct
  // s is a midpoint: the exact value s + e lies on e's side of it.
  const upper = r > neighbour ? r : neighbour;
  const lower = r > neighbour ? neighbour : r;
  return e > 0 ? upper : lower;
}

/** One float32 U[0, 1) draw, as `uniform_real_distribution<float>(0, 1)`: 24 low bits · 2⁻²⁴. */
export function torchUniform01(g: TorchGeneratorState): number {
  return (torchRandom32(g) & 0xffffff) * TWO_M24;
}

/**
 * Fills `out` in order as `out.uniform_(lo, hi)` does on PyTorch 1.13's CPU (one `random()` per
 * element). `lo` and `hi` are cast to float32 first, as the kernel does.
 */
export function torchUniformFill(
  g: TorchGeneratorState,
  out: Float32Array,
  lo: number,
  hi: number,
  capability: TorchCapability,
): Float32Array {
  const from = Math.fround(lo);
  const width = Math.fround(Math.fround(hi) - from);
  if (capability === 'avx2') {
    for (let i = 0; i < out.length; i++) out[i] = fmaFloat32(torchUniform01(g), width, from);
  } else {
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.fround(torchUniform01(g) * width) + from; // stored: rounds the sum
    }
  }
  return out;
}
