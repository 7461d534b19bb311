/**
 * The workload on TensorFlow.js's WebAssembly backend, single-threaded, with SIMD when the runtime
 * has it: explicit ops (matMul, add, relu, then the two backward matMuls per layer), no autograd.
 *
 * Every product runs untransposed: tfjs-wasm's `matMul` with a transpose flag takes a path about
 * ten times slower (measured: 256×512·512×512 in 14 ms plain, 147 ms with `transposeB`). So the
 * forward pass uses weights stored transposed (in × out, uploaded once, outside the timing) and
 * dW = dZᵀ·X transposes dZ explicitly first (a 256×512 copy, about 1 ms), as a tuned tfjs program
 * would.
 *
 * @module
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Workload } from './workload.ts';

/** What the backend reports about itself after start-up. */
export interface TfjsSetup {
  readonly backend: string;
  readonly simd: boolean;
  readonly multithread: boolean;
  readonly threads: number;
}

/**
 * Selects the wasm backend with one thread. In Node the `.wasm` files load from the package's
 * `dist` folder; multithreading is switched off before the backend starts, so the single-threaded
 * SIMD binary is chosen.
 */
export async function setupTfjs(): Promise<TfjsSetup> {
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(dist);
  setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to start');
  await tf.ready();
  return {
    backend: tf.getBackend(),
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
    multithread: (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true,
    threads: getThreadsCount(),
  };
}

/** The network as tfjs tensors, built once outside the timed region. */
export interface TfjsModel {
  /** W (out × in), for dX = dZ·W. */
  readonly weights: tf.Tensor2D[];
  /** Wᵀ (in × out), for the forward Z = X·Wᵀ. */
  readonly transposed: tf.Tensor2D[];
  readonly biases: tf.Tensor1D[];
  readonly input: tf.Tensor2D;
}

/** Uploads row-major (out × in) weights, zero biases and the input. */
export function tfjsModel(
  w: Workload,
  weights: readonly Float32Array[],
  input: Float32Array,
): TfjsModel {
  return {
    weights: weights.map((m) => tf.tensor2d(m, [w.width, w.width])),
    transposed: weights.map((m) => tf.tidy(() => tf.transpose(tf.tensor2d(m, [w.width, w.width])))),
    biases: weights.map(() => tf.zeros([w.width]) as tf.Tensor1D),
    input: tf.tensor2d(input, [w.batch, w.width]),
  };
}

/** Per-layer statistics as tfjs programs take them: `tf.moments` (mean and variance). */
function moments(x: tf.Tensor, into: tf.Tensor[] | null): void {
  if (!into) return;
  const { mean, variance } = tf.moments(x);
  into.push(mean, variance);
}

/** Reads the statistics back (one small download per tensor) and folds them into a checksum. */
function readBack(stats: readonly tf.Tensor[]): number {
  let check = 0;
  for (const t of stats) check += t.dataSync()[0]!;
  return check;
}

/**
 * Forward then backward (loss ½‖h_L‖²); returns ‖input gradient‖², read back synchronously.
 * - `'explicit'`: every product untransposed (dZᵀ copied explicitly first), the fastest way to run
 *   it on tfjs-wasm;
 * - `'flags'`: the products the way `tf.grads` computes them: its gradient of `matMul(a, b)` runs
 *   `matMul(dy, b, false, true)` and `matMul(a, dy, true, false)`, the transpose-flag path that is
 *   slow on tfjs-wasm. (`tf.grads` itself cannot run here: tfjs-core's Node bundle omits the
 *   gradient registrations, and their separate modules use extensionless imports Node cannot
 *   load. The products, which are all of the cost, are the same.)
 * @param stats - take `tf.moments` of every pre-activation, activation and input gradient
 */
function forwardBackward(model: TfjsModel, stats: boolean, products: 'explicit' | 'flags'): number {
  return tf.tidy(() => {
    const taken: tf.Tensor[] | null = stats ? [] : null;
    const pres: tf.Tensor2D[] = [];
    const acts: tf.Tensor2D[] = [model.input];
    for (let l = 0; l < model.transposed.length; l++) {
      const z = tf.add(tf.matMul(acts[l]!, model.transposed[l]!), model.biases[l]!) as tf.Tensor2D;
      pres.push(z);
      acts.push(tf.relu(z));
      moments(z, taken);
      moments(acts[l + 1]!, taken);
    }
    let g = acts[acts.length - 1]!;
    for (let l = model.transposed.length - 1; l >= 0; l--) {
      const dz = tf.mul(g, tf.step(pres[l]!)) as tf.Tensor2D;
      if (products === 'explicit') {
        tf.matMul(tf.transpose(dz), acts[l]!); // dW = dZᵀ·X: computed eagerly, freed by tidy
        g = tf.matMul(dz, model.weights[l]!);
      } else {
        tf.matMul(acts[l]!, dz, true, false); // d(Wᵀ) = Xᵀ·dZ
        g = tf.matMul(dz, model.transposed[l]!, false, true); // dX = dZ·(Wᵀ)ᵀ
      }
      moments(g, taken);
    }
    const check = taken ? readBack(taken) : 0;
    return Number.isFinite(check) ? tf.sum(tf.square(g)).dataSync()[0]! : NaN;
  });
}

/** {@link forwardBackward} with explicit transposes: tfjs-wasm's best backward. */
export function tfjsForwardBackward(model: TfjsModel, stats = false): number {
  return forwardBackward(model, stats, 'explicit');
}

/** {@link forwardBackward} with the transpose-flag products `tf.grads` runs. */
export function tfjsTransposeFlagsForwardBackward(model: TfjsModel, stats = false): number {
  return forwardBackward(model, stats, 'flags');
}

/** Forward only, with `tf.moments` of every pre-activation and activation; returns ‖h_L‖². */
export function tfjsForward(model: TfjsModel, stats = true): number {
  return tf.tidy(() => {
    const taken: tf.Tensor[] | null = stats ? [] : null;
    let h = model.input;
    for (let l = 0; l < model.weights.length; l++) {
      const z = tf.add(tf.matMul(h, model.transposed[l]!), model.biases[l]!) as tf.Tensor2D;
      h = tf.relu(z);
      moments(z, taken);
      moments(h, taken);
    }
    const check = taken ? readBack(taken) : 0;
    return Number.isFinite(check) ? tf.sum(tf.square(h)).dataSync()[0]! : NaN;
  });
}

/** Milliseconds of one 256×512·512×512-style product `a·b` (plain, untransposed), median of a few. */
export function tfjsMatMulMs(m: number, n: number, k: number, repeats = 10): number {
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  const times: number[] = [];
  for (let i = 0; i < repeats + 2; i++) {
    const t = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    times.push(performance.now() - t);
    c.dispose();
  }
  tf.dispose([a, b]);
  return times.slice(2).sort((x, y) => x - y)[Math.floor(repeats / 2)]!;
}

/** Frees the model's tensors. */
export function disposeTfjsModel(model: TfjsModel): void {
  tf.dispose([...model.weights, ...model.transposed, ...model.biases, model.input]);
}
