/**
 * The benchmark workload, shared by every implementation: a ReLU MLP of `depth` square layers of
 * `width` units on a `batch` of inputs, Kaiming-initialised, run forward then backward (input and
 * weight gradients of every layer). Data come from a seeded generator, never `Math.random`.
 *
 * @module
 */

/** Size of the network and batch. */
export interface Workload {
  readonly depth: number;
  readonly width: number;
  readonly batch: number;
}

/** The workload of `npm run bench`. */
export const WORKLOAD: Workload = { depth: 50, width: 512, batch: 256 };

/**
 * Floating-point operations of one forward+backward pass, counting only the matrix products:
 * per layer one forward product (2·B·N²) and two backward ones (dX and dW, 2·B·N² each).
 */
export function flopsOf(w: Workload, depth = w.depth): number {
  return 6 * w.batch * w.width * w.width * depth;
}

/** Seeded standard normal samples: mulberry32 uniforms through Box–Muller. */
export function normalSource(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** `n` samples of N(0, std²) as a Float32Array. */
export function normals(n: number, std: number, next: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = std * next();
  return out;
}

/** Kaiming-normal weights (std √(2/fan_in)), one (width × width) row-major matrix per layer. */
export function kaimingWeights(w: Workload, depth: number, seed: number): Float32Array[] {
  const next = normalSource(seed);
  const std = Math.sqrt(2 / w.width);
  return Array.from({ length: depth }, () => normals(w.width * w.width, std, next));
}
