/**
 * The interface every random stream has (the engine's own and PyTorch's), in a module of its own
 * so that the streams can share it without importing each other. The member notes describe the
 * engine's own stream; PyTorch's (`createRng(seed, { stream: 'torch' })`) gives each member
 * PyTorch's semantics instead (see `torch/torch-rng.ts`).
 *
 * @module
 */

/** A deterministic source of random numbers. Create one with {@link createRng}. */
export interface Rng {
  /** Next raw output: a uniformly distributed integer in [0, 2³²). */
  nextUint32(): number;
  /** A uniform double in [0, 1) with 53 random bits (two raw outputs). */
  uniform(): number;
  /** A uniform integer in [0, n) without modulo bias; `n` must be an integer in [1, 2³²]. */
  int(n: number): number;
  /** A standard normal N(0, 1) deviate (Marsaglia's polar method; caches the pair's twin). */
  normal(): number;
  /**
   * Fills `out` with U(lo, hi) values (defaults 0, 1), one raw output per entry at 24-bit
   * resolution — float32's mantissa, as PyTorch's float32 `uniform_` does. Returns `out`.
   */
  uniformArray(out: Float32Array, lo?: number, hi?: number): Float32Array;
  /**
   * Fills `out` with N(mean, std²) values (defaults 0, 1). Consumes exactly the same stream as
   * `out.length` calls to {@link Rng.normal}, so the two are interchangeable. Returns `out`.
   */
  normalArray(out: Float32Array, mean?: number, std?: number): Float32Array;
  /**
   * An independent generator for sub-stream `stream` (any safe integer), derived by hashing this
   * generator's current state with the stream number. Does not advance this generator: the same
   * state and stream always give the same child, different streams give unrelated children.
   */
  fork(stream: number): Rng;
  /** A copy in the same state; the copy and the original then produce the same sequence. */
  clone(): Rng;
}
