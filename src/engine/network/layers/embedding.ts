/**
 * nn.Embedding(vocab, dim): token ids of shape `[steps]` → rows of the table, `[steps, dim]`.
 * PyTorch's default table is N(0, 1) (no padding index). The input must be token ids
 * (`input.init = { tokens: n }` with n ≤ vocab; checked when the network is built), and every id
 * must be an integer in 0 … vocab − 1 (checked again on every forward call, for callers that pass
 * their own ids).
 *
 * Backward: ∂L/∂W[v] = Σ over the positions holding token v of ∂L/∂y there; no gradient flows to
 * the ids (gx = null).
 *
 * @module
 */
import { expectRank, initFields, intField, layerError, type Builder, type Leaf } from '../layer';

/** Builds a `{ type: 'embedding', vocab, dim, init? }` layer (see the module notes). */
export const buildEmbedding: Builder = (spec, inShape, path) => {
  expectRank(path, 'embedding', inShape, [1], 'token ids of shape [steps]');
  const vocab = intField(spec, path, 'vocab');
  const dim = intField(spec, path, 'dim');
  const steps = inShape[0]!;
  const shape = [vocab, dim];
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'embedding',
    inShape,
    outShape: [steps, dim],
    tokenVocab: vocab,
    params: [
      {
        name: 'weight',
        shape,
        ...initFields(spec, path, 'init', { name: 'normal', mean: 0, std: 1 }, shape),
        main: true,
      },
    ],
    cost: (batch) => batch * steps * dim,
    forward(x, [w], ctx) {
      const n = ctx.batch * steps;
      const y = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        const id = x[i]!;
        if (!Number.isInteger(id) || id < 0 || id >= vocab) {
          throw layerError(
            path,
            'vocab',
            `token id ${id} at position ${i}`,
            `ids from 0 to ${vocab - 1} (the input must be { tokens: n } with n ≤ ${vocab})`,
          );
        }
        y.set(w!.subarray(id * dim, id * dim + dim), i * dim);
      }
      return { y };
    },
    backward(gy, x, _y, _cache, _p, ctx) {
      const n = ctx.batch * steps;
      const gw = new Float32Array(vocab * dim);
      for (let i = 0; i < n; i++) {
        const o = x[i]! * dim;
        for (let c = 0; c < dim; c++) gw[o + c] = gw[o + c]! + gy[i * dim + c]!;
      }
      return { gx: null, grads: [gw] };
    },
  };
  return leaf;
};
