/**
 * Mini-batches of a training run: a fresh Fisher–Yates shuffle each epoch from the run's fork(3)
 * stream (on PyTorch's stream a fresh `torch.randperm(samples, generator=g3)`), cut into
 * consecutive slices, and the rows they pick.
 *
 * @module
 */
import type { Rng } from '../rng';
import { torchRandperm } from '../torch/torch-rng';
import type { Dataset } from '../tasks';

/** Copies the rows `idx` of a row-major matrix with `cols` columns. */
export function gather(src: Float32Array, idx: ArrayLike<number>, rows: number, cols: number) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    out.set(src.subarray(idx[r]! * cols, (idx[r]! + 1) * cols), r * cols);
  return out;
}

/** Endless mini-batches: each epoch a fresh Fisher–Yates shuffle, cut into consecutive slices. */
export function* batches(r: {
  readonly rng: Rng;
  readonly data: Dataset;
  readonly o: { readonly batch: number; readonly stream: 'initbook' | 'torch' };
}): Generator<number[], never, void> {
  const rng = r.rng.fork(3);
  const N = r.data.samples;
  let order = Array.from({ length: N }, (_, i) => i);
  let at = N;
  for (;;) {
    const out: number[] = [];
    while (out.length < r.o.batch) {
      if (at === N) {
        if (r.o.stream === 'torch') order = Array.from(torchRandperm(rng, N));
        else {
          // Fisher–Yates on the previous epoch's order.
          for (let i = N - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
        }
        at = 0;
      }
      out.push(order[at++]!);
    }
    yield out;
  }
}
