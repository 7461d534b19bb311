/**
 * nn.Flatten: any per-sample shape becomes `[size]`. The data is already row-major, so the values
 * pass through unchanged in both directions.
 *
 * @module
 */
import { sizeOf, type Builder } from '../layer';

/** Builds `{ type: 'flatten' }`: any shape to `[size]`. */
export const buildFlatten: Builder = (_spec, inShape, path) => ({
  kind: 'leaf',
  path,
  type: 'flatten',
  inShape,
  outShape: [sizeOf(inShape)],
  params: [],
  cost: () => 0,
  forward: (x) => ({ y: x }),
  backward: (gy) => ({ gx: gy, grads: [] }),
});
