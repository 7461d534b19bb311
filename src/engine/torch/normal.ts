/**
 * PyTorch 1.13's scalar CPU `normal_(mean, std)`: the path its `normal_kernel`
 * (aten/src/ATen/native/cpu/DistributionKernels.cpp) takes for tensors of fewer than 16 values
 * (and for non-contiguous ones). Each element is one `at::normal_distribution<double>(mean, std)`
 * draw (aten/src/ATen/core/DistributionsHelper.h), cast to float:
 *
 *     if the generator holds a cached deviate z: use it and clear the cache
 *     else u1, u2 = two uniform_real_distribution<double>(0, 1) draws
 *               (each: random64() & (2⁵³ − 1), times 2⁻⁵³)
 *          r = √(−2·ln(1 − u2)),  θ = 2π·u1
 *          cache r·sin θ;  z = r·cos θ
 *     value = float(z·std + mean)          (double arithmetic, mean and std as doubles)
 *
 * The cache lives in the generator (`next_double_normal_sample`): it survives between calls
 * (`torch.randn(1); torch.randn(1)` uses one pair), is untouched by uniform draws and by the
 * ≥ 16 kernels, and `torch.manual_seed` clears it. 1.13 writes `log(1 − u2)`; later releases write
 * `log1p(−u2)`. (1 − u2 is exact in double, so the two differ only by the libm's last bit.)
 *
 * Reproduced with JavaScript's double `Math.log`, `Math.sin`, `Math.cos`, which, like glibc's,
 * are accurate to about one double ulp; as the result is then rounded to float32, an ulp of
 * disagreement changes the float only when the double lies that close to a float32 rounding
 * boundary (a chance near 2⁻²⁹ per value). All 9,000+ fixture values agree.
 *
 * @module
 */
import { type TorchGeneratorState, torchRandom53 } from './mt19937';

const TWO_M53 = 2 ** -53;

/** One `uniform_real_distribution<double>(0, 1)` draw: 53 low bits of random64() · 2⁻⁵³. */
export function torchUniformDouble(g: TorchGeneratorState): number {
  return torchRandom53(g) * TWO_M53;
}

/** One standard normal deviate of `normal_distribution<double>`, using and refilling the cache. */
export function torchNormalDouble(g: TorchGeneratorState): number {
  const cached = g.nextDoubleNormal;
  if (cached !== null) {
    g.nextDoubleNormal = null;
    return cached;
  }
  const u1 = torchUniformDouble(g);
  const u2 = torchUniformDouble(g);
  const r = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = 2 * Math.PI * u1;
  g.nextDoubleNormal = r * Math.sin(theta);
  return r * Math.cos(theta);
}

/** Fills `out` in order with float(z·std + mean), z from {@link torchNormalDouble}. */
export function torchNormalScalarFill(
  g: TorchGeneratorState,
  out: Float32Array,
  mean: number,
  std: number,
): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = torchNormalDouble(g) * std + mean;
  return out;
}
