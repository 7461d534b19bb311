/**
 * An elementwise activation φ (any built-in name with its parameter, or a compiled formula): y = φ(x),
 * and in the backward pass ∂L/∂x = ∂L/∂y · φ′(x), with φ′ kept from the forward pass.
 *
 * @module
 */
import { resolveActivation } from '../../activations';
import { EngineInputError } from '../../validate';
import { layerError, sizeOf, type Builder, type Leaf } from '../layer';

/** Builds `{ type: 'activation', name, param? }` on any shape (see the module notes). */
export const buildActivation: Builder = (spec, inShape, path) => {
  let act;
  try {
    act = resolveActivation(spec['name'], spec['param'] as number | undefined);
  } catch (e) {
    if (!(e instanceof EngineInputError)) throw e;
    const field = e.param === 'activationParam' ? 'param' : 'name';
    throw layerError(path, field, e.received, e.allowed);
  }
  const n = sizeOf(inShape);
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'activation',
    inShape,
    outShape: inShape,
    params: [],
    saturation: act.saturation,
    cost: (batch) => 2 * batch * n,
    forward(x, _p, ctx) {
      // Through the kernels' epilogue (no bias), so WebAssembly's activations serve it.
      const y = new Float32Array(x.length);
      const d = ctx.backward ? new Float32Array(x.length) : null;
      ctx.kernels.biasActivation(x, null, y, d, ctx.batch, n, act);
      return d === null ? { y } : { y, cache: d };
    },
    backward(gy, _x, _y, cache) {
      const d = cache as Float32Array;
      const gx = new Float32Array(gy.length);
      for (let i = 0; i < gy.length; i++) gx[i] = gy[i]! * d[i]!;
      return { gx, grads: [] };
    },
  };
  return leaf;
};
