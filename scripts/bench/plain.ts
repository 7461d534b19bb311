/**
 * The reference: the workload as plain triple loops over Float32Arrays, no blocking or unrolling.
 * Each product uses the loop order that walks memory contiguously in its innermost loop (a dot
 * product for the forward pass, row updates for the two backward products), as a careful but
 * unoptimised hand-written version would.
 *
 * @module
 */
import type { Workload } from './workload.ts';

/** Runs forward then backward through `weights.length` layers; returns ‖input gradient‖². */
export function plainForwardBackward(
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
): number {
  const { batch: B, width: N } = w;
  const L = weights.length;
  const acts: Float32Array[] = [input];
  const pres: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    const x = acts[l]!;
    const W = weights[l]!;
    const z = new Float32Array(B * N);
    const h = new Float32Array(B * N);
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0; // zero bias
        for (let k = 0; k < N; k++) s += x[i * N + k]! * W[j * N + k]!;
        z[i * N + j] = s;
        h[i * N + j] = s > 0 ? s : 0;
      }
    }
    pres.push(z);
    acts.push(h);
  }
  // Loss ½‖h_L‖²: its gradient with respect to h_L is h_L itself.
  let g = Float32Array.from(acts[L]!);
  const dW = new Float32Array(N * N);
  for (let l = L - 1; l >= 0; l--) {
    const z = pres[l]!;
    const x = acts[l]!;
    const W = weights[l]!;
    for (let i = 0; i < B * N; i++) if (!(z[i]! > 0)) g[i] = 0; // dz = g·ReLU′(z), in place
    dW.fill(0);
    const dx = new Float32Array(B * N);
    for (let b = 0; b < B; b++) {
      for (let o = 0; o < N; o++) {
        const d = g[b * N + o]!;
        for (let i = 0; i < N; i++) {
          dW[o * N + i] = dW[o * N + i]! + d * x[b * N + i]!;
          dx[b * N + i] = dx[b * N + i]! + d * W[o * N + i]!;
        }
      }
    }
    g = dx;
  }
  let sum = 0;
  for (const v of g) sum += v * v;
  return sum;
}
