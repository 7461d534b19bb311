/**
 * The raw sums behind a moments summary, as the kernels compute them: its own module so that the
 * kernels and the statistics share the type without importing each other.
 *
 * @module
 */

/** The raw sums a faster kernel (src/engine/kernels-wasm.ts) computes for a moments summary. */
export interface RawMoments {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly zeros: number;
  readonly saturated: number;
  readonly deviation2: number;
  readonly squares: number;
  readonly unitSpread: number;
}
