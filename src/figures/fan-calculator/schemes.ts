/**
 * The scale each common scheme would give a weight of this shape (uniform bound and standard
 * deviation), side by side with PyTorch's default: the fan calculator's comparison, kept for the
 * modules whose weight has fans (Linear, convolutions). Each scale is the engine catalogue's
 * predicted variance on PyTorch's fans and gains, so it matches PyTorch exactly.
 *
 * @module
 */
import { initEntry, type InitId } from '../../engine/init-catalogue';

export interface SchemeScale {
  /** The catalogue id. */
  readonly id: InitId;
  /** The catalogue's label. */
  readonly scheme: string;
  /** How PyTorch (or JAX) spells it. */
  readonly call: string;
  readonly distribution: 'uniform' | 'normal' | 'truncated normal';
  /** Half-width of the uniform range, or null for normal draws. */
  readonly bound: number | null;
  readonly std: number;
}

/** The schemes compared, in order (labels, calls and variances from the engine's catalogue). */
export const SCHEMES = [
  'torch_default',
  'kaiming_uniform',
  'kaiming_normal',
  'kaiming_normal_fan_out',
  'lecun_normal',
  'xavier_uniform',
  'xavier_normal',
] as const satisfies readonly InitId[];

/** Every scheme's scale for a weight of this shape. */
export function schemeScales(shape: readonly number[]): SchemeScale[] {
  return SCHEMES.map((id): SchemeScale => {
    const entry = initEntry(id);
    const variance = entry.variance([...shape]);
    const uniform = entry.distribution === 'uniform';
    return {
      id,
      scheme: entry.label,
      call: entry.call,
      distribution: uniform
        ? 'uniform'
        : entry.distribution === 'normal'
          ? 'normal'
          : 'truncated normal',
      // U(±a) has variance a²/3.
      bound: uniform ? Math.sqrt(3 * variance) : null,
      std: Math.sqrt(variance),
    };
  });
}
