/**
 * PyTorch 1.13's float32 `normal_(mean, std)` for contiguous tensors of 16 values or more on the
 * default CPU kernel, the one builds without AVX2 run (`normal_fill` and `normal_fill_16` in
 * aten/src/ATen/native/cpu/DistributionTemplates.h, `ATEN_CPU_CAPABILITY=default`), replayed from
 * the kernel's uniforms.
 *
 * Everything is float32 and the kernel calls the C library's `logf`, `cosf`, `sinf`: glibc's on
 * Linux, replayed in `./glibc-float` (`Math.log`/`cos`/`sin` rounded to float32 would differ from
 * them in about 1% of the values). The default capability is compiled without `-mfma`, so no
 * products are fused here.
 */

import { torchCosf, torchLogf, torchSinf } from './glibc-float';

const f = Math.fround;

/**
 * Box–Muller on one chunk of 16 values in place, as `normal_fill_16<float>` computes it: for
 * `j < 8`, `u1 = 1 − d[j]`, `r = sqrtf(−2·logf(u1))`, `θ = (float)(2π·d[j + 8])` (the product is
 * a double, `2.0f * c10::pi<double>`, stored in a float), then `d[j] = r·cosf θ·std + mean` and
 * `d[j + 8] = r·sinf θ·std + mean`, every step rounded to float32.
 */
function fill16(d: Float32Array, at: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - (d[at + j] ?? 0));
    const radius = f(Math.sqrt(f(-2 * torchLogf(u1))));
    const theta = f(2 * Math.PI * (d[at + j + 8] ?? 0));
    d[at + j] = f(f(radius * torchCosf(theta)) * std) + mean;
    d[at + j + 8] = f(f(radius * torchSinf(theta)) * std) + mean;
  }
}

/**
 * Writes what `torch.empty(n).normal_(mean, std)` writes (float32, `n ≥ 16`, PyTorch 1.13's
 * default, non-vectorized kernel), given the uniforms the kernel draws.
 *
 * Same chunking as the AVX2 kernel: `n` uniforms `k·2⁻²⁴` fill the tensor, every whole chunk of 16
 * is transformed in place (lanes 0–7 cosines, 8–15 sines of the pairs `(d[j], d[j + 8])`), and when
 * `n % 16 ≠ 0` 16 fresh uniforms overwrite the last 16 slots, which are transformed again.
 *
 * @param uniforms - the kernel's uniform draws: `n` values, plus 16 for the tail refill when
 *   `n % 16 ≠ 0` (length `n + 16`).
 * @param out - the tensor, length `n ≥ 16`; overwritten.
 * @param mean - `mean` (cast to float32 as `static_cast<float>` does).
 * @param std - `std` (cast to float32).
 * @throws RangeError if `n < 16` or `uniforms` has not the length the kernel draws.
 */
export function normalFill16Default(
  uniforms: Float32Array,
  out: Float32Array,
  mean: number,
  std: number,
): void {
  const n = out.length;
  const tail = n % 16 === 0 ? 0 : 16;
  if (n < 16) throw new RangeError(`normalFill16Default needs at least 16 values; received ${n}`);
  if (uniforms.length !== n + tail) {
    throw new RangeError(
      `normalFill16Default needs ${n + tail} uniforms for ${n} values; received ${uniforms.length}`,
    );
  }
  const m = f(mean);
  const s = f(std);
  out.set(uniforms.subarray(0, n));
  for (let i = 0; i + 16 <= n; i += 16) fill16(out, i, m, s);
  if (tail > 0) {
    out.set(uniforms.subarray(n, n + 16), n - 16);
    fill16(out, n - 16, m, s);
  }
}
