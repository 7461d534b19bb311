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
import { torchCosf, torchLogf, torchSinf } from './glibc-float';
import type { TorchGeneratorState } from './mt19937';
import { type TorchCapability, torchUniform01 } from './uniform';

const fr = Math.fround;
const TWO_PI = 2 * Math.PI;

/** `normal_fill_16` on data[o .. o + 16): eight Box–Muller pairs (j, j + 8), float arithmetic. */
function normalFill16Chunk(d: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = fr(1 - (d[o + j] as number));
    const u2 = d[o + j + 8] as number;
    const radius = fr(Math.sqrt(-2 * torchLogf(u1))); // −2·logf is exact in float32
    const theta = fr(TWO_PI * u2);
    d[o + j] = fr(fr(radius * torchCosf(theta)) * std) + mean;
    d[o + j + 8] = fr(fr(radius * torchSinf(theta)) * std) + mean;
  }
}

/**
 * `normal_fill` of PyTorch's default (non-AVX2) CPU build, on `out` (length ≥ 16).
 *
 * Bit for bit: PyTorch's draws, order, chunking and float32 arithmetic, with glibc's own
 * logf/cosf/sinf algorithms ({@link torchLogf} etc.; float32(Math.log(x)) would differ from
 * glibc on about 1% of values).
 */
export function normalFillDefault(
  g: TorchGeneratorState,
  out: Float32Array,
  mean: number,
  std: number,
): Float32Array {
  const n = out.length;
  const m = fr(mean);
  const s = fr(std);
  for (let i = 0; i < n; i++) out[i] = torchUniform01(g);
  for (let i = 0; i + 16 <= n; i += 16) normalFill16Chunk(out, i, m, s);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) out[i] = torchUniform01(g);
    normalFill16Chunk(out, n - 16, m, s);
  }
  return out;
}

/**
 * The hook for `normal_(mean, std)` on float32 tensors of 16 values or more: fills `out` as the
 * chosen PyTorch CPU kernel does. `'default'`: {@link normalFillDefault}. `'avx2'`: PyTorch's
 * vectorized `normal_fill_AVX2` (to be ported in `normal-avx2.ts`).
 *
 * @throws EngineInputError when `out` has fewer than 16 values, or for `'avx2'` (not yet ported)
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
  throw new EngineInputError(
    'normalKernel',
    kernel,
    "'default' for now",
    "PyTorch's AVX2 normal_ kernel (tensors of ≥ 16 values) is not yet reproduced",
  );
}
