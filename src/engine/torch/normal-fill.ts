/**
 * PyTorch 1.13's CPU `normal_(mean, std)` for contiguous float32 tensors of 16 values or more:
 * the hook {@link normalFill16} and the non-vectorized kernel.
 *
 * `normal_kernel` (aten/src/ATen/native/cpu/DistributionKernels.cpp) sends such tensors to
 * `normal_fill_AVX2` in the AVX2 build and to `normal_fill` (cpu/DistributionTemplates.h)
 * otherwise, with `mean` and `std` cast to float. `normal_fill`:
 *
 * 1. fills every element with a float U[0, 1) draw (`uniform_real_distribution<float>(0, 1)`);
 * 2. transforms each whole chunk of 16 in place, `normal_fill_16`: for j < 8,
 *    u1 = 1 − d[j], u2 = d[j + 8], radius = √(−2·logf(u1)), θ = float(2π·u2),
 *    d[j] = radius·cosf(θ)·std + mean, d[j + 8] = radius·sinf(θ)·std + mean (float arithmetic);
 * 3. when the size is not a multiple of 16, redraws the LAST 16 elements with fresh uniforms
 *    and transforms them again (so the tail overlaps the previous chunk).
 *
 * It never reads or writes the generator's cached scalar deviate.
 *
 * @module
 */
import { EngineInputError } from '../validate';
import type { TorchGeneratorState } from './mt19937';
import { normalFill16Avx2 } from './normal-avx2';
import { normalFill16Default } from './normal-default';
import { type TorchCapability, torchUniform01 } from './uniform';

/**
 * The uniforms `normal_fill` draws for `n ≥ 16` values: `n` float U[0, 1) draws, plus 16 more for
 * the tail refill when `n % 16 ≠ 0`.
 */
function kernelUniforms(g: TorchGeneratorState, n: number): Float32Array {
  const u = new Float32Array(n + (n % 16 === 0 ? 0 : 16));
  for (let i = 0; i < u.length; i++) u[i] = torchUniform01(g);
  return u;
}

/**
 * `normal_fill` of PyTorch's default (non-AVX2) CPU build, on `out` (length ≥ 16): its draws,
 * order and chunking, and the transform of `normal-default.ts` (float32 arithmetic with glibc's
 * own logf/cosf/sinf).
 */
export function normalFillDefault(
  g: TorchGeneratorState,
  out: Float32Array,
  mean: number,
  std: number,
): Float32Array {
  normalFill16Default(kernelUniforms(g, out.length), out, mean, std);
  return out;
}

/**
 * The hook for `normal_(mean, std)` on float32 tensors of 16 values or more: fills `out` as the
 * chosen PyTorch CPU kernel does. `'default'`: {@link normalFillDefault}. `'avx2'`: PyTorch's
 * vectorized `normal_fill_AVX2` (`normal-avx2.ts`), from the same uniforms.
 *
 * @throws EngineInputError when `out` has fewer than 16 values
 */
export function normalFill16(
  state: TorchGeneratorState,
  out: Float32Array,
  mean: number,
  std: number,
  kernel: TorchCapability,
): Float32Array {
  if (out.length < 16) {
    throw new EngineInputError(
      'out.length',
      out.length,
      'at least 16 (smaller tensors take the scalar path)',
    );
  }
  if (kernel === 'default') return normalFillDefault(state, out, mean, std);
  normalFill16Avx2(kernelUniforms(state, out.length), out, mean, std);
  return out;
}
