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

/** Forward then backward (loss ½‖h_L‖²); returns ‖input gradient‖², read back synchronously. */
export function tfjsForwardBackward(model: TfjsModel): number {
  return tf.tidy(() => {
    const pres: tf.Tensor2D[] = [];
    const acts: tf.Tensor2D[] = [model.input];
    for (let l = 0; l < model.weights.length; l++) {
      const z = tf.add(tf.matMul(acts[l]!, model.transposed[l]!), model.biases[l]!) as tf.Tensor2D;
      pres.push(z);
      acts.push(tf.relu(z));
    }
    let g = acts[acts.length - 1]!;
    for (let l = model.weights.length - 1; l >= 0; l--) {
      const dz = tf.mul(g, tf.step(pres[l]!)) as tf.Tensor2D;
      tf.matMul(tf.transpose(dz), acts[l]!); // dW = dZᵀ·X: computed eagerly, freed by tidy
      g = tf.matMul(dz, model.weights[l]!);
    }
    return tf.sum(tf.square(g)).dataSync()[0]!;
  });
}

/** Frees the model's tensors. */
export function disposeTfjsModel(model: TfjsModel): void {
  tf.dispose([...model.weights, ...model.transposed, ...model.biases, model.input]);
}
