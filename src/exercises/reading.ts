/**
 * The one number a "predict, then run" prompt reads from its figure's result (./predictions.ts).
 * No figure models imported: the page loads this beside the engine client.
 *
 * @module
 */
import type { VarianceData } from '../figures/variance-by-depth/model';

/** One layer's measured mean square, for one initialization, of the variance-by-depth figure. */
export interface Reading {
  readonly figure: 'variance-by-depth';
  readonly init: string;
  /** The layer read; `'last'` for the deepest one. */
  readonly layer: number | 'last';
}

/** The reading's number in the figure's result; throws when the result lacks it. */
export function readResult(reading: Reading, data: unknown): number {
  const { init, layer } = reading;
  const points = (data as VarianceData).points.filter((p) => p.init === init);
  const wanted = layer === 'last' ? Math.max(...points.map((p) => p.layer)) : layer;
  const point = points.find((p) => p.layer === wanted);
  if (!point) throw new Error(`No layer ${wanted} for ${init} in the figure's result.`);
  return point.measured;
}
