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
import { fma32 } from './float32';

/** Which of PyTorch's CPU builds to reproduce: the x86 AVX2 one (FMA) or the default one. */
export type TorchCapability = 'avx2' | 'default';

const TWO_M24 = 2 ** -24;

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
    for (let i = 0; i < out.length; i++) out[i] = fma32(torchUniform01(g), width, from);
  } else {
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.fround(torchUniform01(g) * width) + from; // stored: rounds the sum
    }
  }
  return out;
}
