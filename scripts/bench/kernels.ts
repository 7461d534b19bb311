/**
 * The workload on the engine's dense kernels (no weight sampling), with or without the engine's
 * per-layer statistics (`summarize` at detail 'moments': mean, variance, mean square, min, max,
 * zero and non-finite counts, spread across units): the work tfjs does with `tf.moments` per layer.
 *
 * @module
 */
import { activation } from '../../src/engine/activations.ts';
import type { Kernels } from '../../src/engine/kernels.ts';
import { summarize } from '../../src/engine/stats.ts';
import type { Workload } from './workload.ts';

/** What to run: the forward pass alone, or forward and backward; statistics or not. */
export interface KernelRun {
  readonly backward: boolean;
  readonly stats: boolean;
}

/**
 * Forward (then backward, loss ½‖h_L‖²) through `weights`; returns ‖input gradient‖² (or ‖h_L‖²
 * forward only), plus a checksum of the statistics so they cannot be optimised away.
 */
export function kernelsRun(
  k: Kernels,
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
  run: KernelRun = { backward: true, stats: false },
): number {
  const { batch: B, width: N } = w;
  const relu = activation('relu');
  const acts: Float32Array[] = [input];
  const derivs: Float32Array[] = [];
  let check = 0;
  const stat = (x: Float32Array): void => {
    if (run.stats) check += summarize(x, B, N, { detail: 'moments' }).variance;
  };
  for (const W of weights) {
    const pre = new Float32Array(B * N);
    const post = new Float32Array(B * N);
    const deriv = run.backward ? new Float32Array(B * N) : null;
    // The engine's forward layer: fused where the kernels have it (wasm: product, activation and
    // moments in one pass over the workspace), else the separate kernels and `summarize`.
    const fused = k.forwardLayer?.(
      acts[acts.length - 1]!,
      W,
      null,
      pre,
      post,
      deriv,
      B,
      N,
      N,
      relu,
      run.stats ? { pre: 'none', post: 'none' } : null,
    );
    if (fused) {
      if (run.stats) check += fused.pre!.deviation2 + fused.post!.deviation2;
    } else {
      k.matmul(acts[acts.length - 1]!, W, pre, B, N, N);
      k.biasActivation(pre, null, post, deriv, B, N, relu);
      stat(pre);
      stat(post);
    }
    acts.push(post);
    if (deriv) derivs.push(deriv);
    if (!run.backward && acts.length > 2) acts[acts.length - 3] = new Float32Array(0);
  }
  let g = Float32Array.from(acts[acts.length - 1]!);
  if (run.backward) {
    const dW = new Float32Array(N * N);
    for (let l = weights.length - 1; l >= 0; l--) {
      const d = derivs[l]!;
      const dx = new Float32Array(B * N);
      // The engine's backward layer: fused where the kernels have it (wasm: gPre, dW, db, dX and
      // their moments in the workspace), else the separate products and `summarize`.
      const fused = run.stats
        ? k.backwardLayer?.(g, d, 1, acts[l]!, weights[l]!, dx, B, N, N)
        : false;
      if (fused) {
        check += fused.gradPre.deviation2 + fused.gradWeight.deviation2;
      } else {
        for (let i = 0; i < B * N; i++) g[i] = g[i]! * d[i]!;
        k.matmulGradWeight(g, acts[l]!, dW, B, N, N);
        k.matmulGradInput(g, weights[l]!, dx, B, N, N);
      }
      g = dx;
      stat(g);
    }
  }
  let sum = 0;
  for (const v of g) sum += v * v;
  return Number.isFinite(check) ? sum : NaN;
}

/** Forward then backward without statistics; returns ‖input gradient‖² (the cross-check value). */
export function kernelsForwardBackward(
  k: Kernels,
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
): number {
  return kernelsRun(k, w, weights, input, { backward: true, stats: false });
}
