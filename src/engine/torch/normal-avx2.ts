/**
 * PyTorch 1.13's float32 `normal_(mean, std)` for contiguous tensors of 16 values or more on CPUs
 * with AVX2 (`normal_fill_AVX2` and `normal_fill_16_AVX2` in
 * aten/src/ATen/native/cpu/DistributionTemplates.h), replayed bit for bit from the kernel's uniforms.
 */

import { logLane, sinCosLane, type Contraction } from './avx-mathfun';
import { fma32 } from './float32';

const f = Math.fround;
/** `_mm256_set1_ps(2.0f * c10::pi<double>)`: 2π rounded to float32. */
const TWO_PI = f(2 * Math.PI);

/**
 * Box–Muller on one chunk of 16 values in place, as `normal_fill_16_AVX2` does it: for lane
 * `j < 8`, `u1 = 1 − d[j]`, `u2 = d[j + 8]`, `r = √(−2·log u1)`, `θ = 2π·u2`, then
 * `d[j] = fma(r·cos θ, std, mean)` and `d[j + 8] = fma(r·sin θ, std, mean)` (explicit `vfmadd`).
 */
function fill16(
  d: Float32Array,
  at: number,
  mean: number,
  std: number,
  contract: Contraction,
): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - (d[at + j] ?? 0));
    const u2 = d[at + j + 8] ?? 0;
    const radius = f(Math.sqrt(f(-2 * logLane(u1, contract))));
    const [sin, cos] = sinCosLane(f(TWO_PI * u2), contract);
    d[at + j] = fma32(f(radius * cos), std, mean);
    d[at + j + 8] = fma32(f(radius * sin), std, mean);
  }
}

/**
 * Writes what `torch.empty(n).normal_(mean, std)` writes (float32, `n ≥ 16`, PyTorch 1.13 on an
 * AVX2 CPU), given the uniforms the kernel draws.
 *
 * The kernel first fills the tensor with `n` draws of `uniform_real_distribution<float>(0, 1)`
 * (the same values `uniform_(0, 1)` draws, `k·2⁻²⁴`), then transforms every whole chunk of 16 in
 * place: lanes 0–7 give the cosines, lanes 8–15 the sines of the pairs `(d[j], d[j + 8])`. When
 * `n % 16 ≠ 0` it then draws 16 more uniforms into the last 16 slots (overwriting the normals of
 * the overlap with the last whole chunk) and transforms that chunk; so the kernel consumes
 * `n + 16` draws.
 *
 * log, sin and cos are Cephes-based AVX2 functions (see `./avx-mathfun`), not Sleef.
 *
 * @param uniforms - the kernel's uniform draws: `n` values, plus the 16 values of the tail refill
 *   when `n % 16 ≠ 0` (length `n + 16`).
 * @param out - the tensor, length `n ≥ 16`; overwritten.
 * @param mean - `mean` (cast to float32 as `static_cast<float>` does).
 * @param std - `std` (cast to float32).
 * @param contract - how products fused into additions in PyTorch's build (default: GCC's).
 * @throws RangeError if `n < 16` or `uniforms` has not the length the kernel draws.
 */
export function normalFill16Avx2(
  uniforms: Float32Array,
  out: Float32Array,
  mean: number,
  std: number,
  contract: Contraction = 'gcc',
): void {
  const n = out.length;
  const tail = n % 16 === 0 ? 0 : 16;
  if (n < 16) throw new RangeError(`normalFill16Avx2 needs at least 16 values; received ${n}`);
  if (uniforms.length !== n + tail) {
    throw new RangeError(
      `normalFill16Avx2 needs ${n + tail} uniforms for ${n} values; received ${uniforms.length}`,
    );
  }
  const m = f(mean);
  const s = f(std);
  out.set(uniforms.subarray(0, n));
  for (let i = 0; i + 16 <= n; i += 16) fill16(out, i, m, s, contract);
  if (tail > 0) {
    out.set(uniforms.subarray(n, n + 16), n - 16);
    fill16(out, n - 16, m, s, contract);
  }
}
