/**
 * The workload on the engine's dense kernels alone (no weight sampling, no statistics): isolates
 * the cost the kernels interface is there to optimise, for comparison with tfjs and plain loops.
 *
 * @module
 */
import { activation } from '../../src/engine/activations.ts';
import type { Kernels } from '../../src/engine/kernels.ts';
import type { Workload } from './workload.ts';

/** Forward then backward (loss ½‖h_L‖²) through `weights`; returns ‖input gradient‖². */
export function kernelsForwardBackward(
  k: Kernels,
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
): number {
  const { batch: B, width: N } = w;
  const relu = activation('relu');
  const acts: Float32Array[] = [input];
  const derivs: Float32Array[] = [];
  for (const W of weights) {
    const pre = new Float32Array(B * N);
    const post = new Float32Array(B * N);
    const deriv = new Float32Array(B * N);
    k.matmul(acts[acts.length - 1]!, W, pre, B, N, N);
    k.biasActivation(pre, null, post, deriv, B, N, relu);
    acts.push(post);
    derivs.push(deriv);
  }
  let g = Float32Array.from(acts[acts.length - 1]!);
  const dW = new Float32Array(N * N);
  for (let l = weights.length - 1; l >= 0; l--) {
    const d = derivs[l]!;
    for (let i = 0; i < B * N; i++) g[i] = g[i]! * d[i]!;
    k.matmulGradWeight(g, acts[l]!, dW, B, N, N);
    const dx = new Float32Array(B * N);
    k.matmulGradInput(g, weights[l]!, dx, B, N, N);
    g = dx;
  }
  let sum = 0;
  for (const v of g) sum += v * v;
  return sum;
}
