/**
 * The bench's two-worker rows: the batch split in two, one half on this thread and one on a
 * worker thread, as the page splits it across its two engine workers (src/engine/split.ts). Each
 * side holds the same weights (given once at set-up, as tfjs is given them), runs the kernels on its
 * rows, and returns the moments of every layer and, with the backward pass, its own ∂L/∂W sums; the
 * time includes posting, waiting, merging the moments and adding the two halves' ∂L/∂W.
 *
 * @module
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { activation } from '../../src/engine/activations.ts';
import type { Kernels } from '../../src/engine/kernels.ts';
import {
  type BatchPart,
  type PropagateConfig,
  type PropagatePart,
} from '../../src/engine/propagate.ts';
import {
  mergeMoments,
  rowMoments,
  rowsWithFinite,
  type RowMoments,
} from '../../src/engine/row-moments.ts';
import type { KernelRun } from './kernels.ts';
import type { Workload } from './workload.ts';

/** What one half returns: the moments of z and h per layer (and of dX backward), and its ∂L/∂W sums. */
export interface Half {
  readonly moments: RowMoments[];
  readonly gradWeights: Float32Array[];
}

/**
 * Forward (then backward, loss ½‖h_L‖²) over `rows` samples of `input`, with the statistics tfjs is
 * given: moments of z and h per layer, and of the input gradient of every layer backward.
 */
export function runHalf(
  k: Kernels,
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
  rows: number,
  run: KernelRun,
): Half {
  const N = w.width;
  const relu = activation('relu');
  const moments: RowMoments[] = [];
  const gradWeights: Float32Array[] = [];
  const acts: Float32Array[] = [input];
  const derivs: Float32Array[] = [];
  for (const W of weights) {
    const pre = new Float32Array(rows * N);
    const post = new Float32Array(rows * N);
    const deriv = run.backward ? new Float32Array(rows * N) : null;
    const fused = k.forwardLayer?.(acts.at(-1)!, W, null, pre, post, deriv, rows, N, N, relu, {
      pre: 'none',
      post: 'none',
    });
    if (fused) {
      moments.push({ ...fused.pre!, unitRows: rowsWithFinite(pre, rows, N) });
      moments.push({ ...fused.post!, unitRows: rowsWithFinite(post, rows, N) });
    } else {
      k.matmul(acts.at(-1)!, W, pre, rows, N, N);
      k.biasActivation(pre, null, post, deriv, rows, N, relu);
      moments.push(rowMoments(pre, rows, N), rowMoments(post, rows, N));
    }
    acts.push(post);
    if (deriv) derivs.push(deriv);
    if (!run.backward && acts.length > 2) acts[acts.length - 3] = new Float32Array(0);
  }
  if (!run.backward) return { moments, gradWeights };
  let g = Float32Array.from(acts.at(-1)!);
  for (let l = weights.length - 1; l >= 0; l--) {
    const d = derivs[l]!;
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * d[i]!;
    const dW = new Float32Array(N * N);
    k.matmulGradWeight(g, acts[l]!, dW, rows, N, N);
    const dx = new Float32Array(rows * N);
    k.matmulGradInput(g, weights[l]!, dx, rows, N, N);
    gradWeights.push(dW);
    moments.push(rowMoments(dx, rows, N));
    g = dx;
  }
  return { moments, gradWeights };
}

/** Merges two halves as the engine does: pooled moments, and ∂L/∂W as the sum of the halves' sums. */
export function mergeHalves(
  a: Half,
  b: Half,
): { moments: RowMoments[]; gradWeights: Float32Array[] } {
  const moments = a.moments.map((m, i) => mergeMoments(m, b.moments[i]!));
  const gradWeights = a.gradWeights.map((dW, i) => {
    const other = b.gradWeights[i]!;
    const sum = new Float32Array(dW.length);
    for (let j = 0; j < sum.length; j++) sum[j] = dW[j]! + other[j]!;
    return sum;
  });
  return { moments, gradWeights };
}

/** The other half's thread: set up once with its rows, then asked for runs. */
export interface HalfWorker {
  run(run: KernelRun, layers: number): Promise<Half>;
  propagate(config: PropagateConfig, part: BatchPart): Promise<PropagatePart>;
  close(): Promise<void>;
}

/**
 * Starts the worker thread and gives it the weights and its rows of the input (copied once, like
 * the weights tfjs is given at set-up).
 */
export async function startHalfWorker(
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
  rows: number,
): Promise<HalfWorker> {
  const worker = new Worker(resolve(process.cwd(), 'scripts/bench/halves-worker.mjs'));
  const waiting: ((message: { type: string; half?: Half; part?: PropagatePart }) => void)[] = [];
  worker.on('message', (message) => waiting.shift()?.(message));
  const next = () =>
    new Promise<{ type: string; half?: Half; part?: PropagatePart }>((done) => waiting.push(done));
  await next(); // loaded
  worker.postMessage({ type: 'setup', w, weights, input, rows });
  await next(); // ready
  return {
    async run(run, layers) {
      const reply = next();
      worker.postMessage({ type: 'run', run, layers });
      return (await reply).half!;
    },
    async propagate(config, part) {
      const reply = next();
      worker.postMessage({ type: 'propagate', config, part });
      return (await reply).part!;
    },
    async close() {
      worker.postMessage({ type: 'close' });
      await worker.terminate();
    },
  };
}
