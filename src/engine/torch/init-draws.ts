/**
 * Where `initTensor` draws differently on a torch stream than on Initbook's own: the steps of
 * torch.nn.init that are not a single uniform_/normal_ call (orthogonal_, sparse_,
 * trunc_normal_). On the default stream each helper keeps the existing behaviour exactly.
 *
 * @module
 */
import { zeroPerColumn, zeroPerColumnTorch } from '../fill';
import type { Rng } from '../rng';
import { EngineInputError } from '../validate';
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
 * Refuses trunc_normal_ on a torch stream: PyTorch's float32 `erfinv_` calls glibc's erff, expf
 * and logf inside a polynomial and two Newton steps, which are not reproduced yet.
 *
 * @throws EngineInputError when `rng` is a torch stream
 */
export function refuseTruncOnTorch(rng: Rng): void {
  if (!isTorchStream(rng)) return;
  throw new EngineInputError(
    'init',
    'trunc_normal',
    "an initializer other than trunc_normal on the 'torch' stream",
    "trunc_normal_ is not yet reproduced on the 'torch' stream",
  );
}
