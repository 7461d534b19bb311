/**
 * Where `initTensor` draws differently on a torch stream than on Initbook's own: the steps of
 * torch.nn.init that are not a single uniform_/normal_ call (orthogonal_, sparse_,
 * trunc_normal_). On the default stream each helper keeps the existing behaviour exactly.
 *
 * @module
 */
import { zeroPerColumn, zeroPerColumnTorch } from '../fill';
import type { Rng } from '../rng';
import { erf, erfinv } from '../special';
import { isTorchStream, torchRandperm } from './torch-rng';

/**
 * orthogonal_'s Gaussian matrix on a torch stream: one float32 `normal_(0, 1)` tensor of
 * rows × cols, row-major, as PyTorch's `tensor.new(rows, cols).normal_(0, 1)`; `undefined` on
 * the default stream (which draws it value by value with `rng.normal()`).
 */
export function orthogonalGaussian(rng: Rng, rows: number, cols: number): Float32Array | undefined {
  return isTorchStream(rng) ? rng.normalArray(new Float32Array(rows * cols)) : undefined;
}

/**
 * sparse_'s zeros: on a torch stream one `torch.randperm(rows)` per column (PyTorch's loop),
 * otherwise Initbook's partial Fisher–Yates ({@link zeroPerColumn}).
 */
export function zeroColumns(
  data: Float32Array,
  rows: number,
  cols: number,
  zeros: number,
  rng: Rng,
): Float32Array {
  if (!isTorchStream(rng)) return zeroPerColumn(data, rows, cols, zeros, rng);
  return zeroPerColumnTorch(data, rows, cols, zeros, (n) => torchRandperm(rng, n));
}

/**
 * trunc_normal_ on a torch stream, as torch/nn/init.py `_no_grad_trunc_normal_` computes it:
 * l, u = Φ((a − mean)/std), Φ((b − mean)/std) in double; `uniform_(2l − 1, 2u − 1)` on the float32
 * tensor (this stream's exact uniform_); then `erfinv_`, `mul_(std·√2)`, `add_(mean)` and
 * `clamp_(a, b)`. The uniforms are PyTorch's bit for bit; the erfinv is evaluated in double and
 * rounded once, where PyTorch's float32 erfinv rounds its own polynomial and Newton steps, so the
 * values agree within a few float32 steps rather than exactly (tests/unit/engine-torch-trunc.test.ts).
 * `undefined` on Initbook's stream, which draws by its own inversion (fill.ts).
 */
export function torchTruncNormal(
  data: Float32Array,
  mean: number,
  std: number,
  a: number,
  b: number,
  rng: Rng,
): Float32Array | undefined {
  if (!isTorchStream(rng)) return undefined;
  const cdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;
  const l = cdf((a - mean) / std);
  const u = cdf((b - mean) / std);
  rng.uniformArray(data, 2 * l - 1, 2 * u - 1);
  const scale = std * Math.SQRT2;
  for (let i = 0; i < data.length; i++) {
    const x = Math.fround(Math.fround(Math.fround(erfinv(data[i]!)) * scale) + mean);
    data[i] = x < a ? a : x > b ? b : x;
  }
  return data;
}
