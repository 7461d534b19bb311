/**
 * nn.AvgPool2d / nn.MaxPool2d on a per-sample `[channels, height, width]`, without padding and
 * with PyTorch's floor rounding: Ho = ⌊(H − k) / s⌋ + 1, stride s default k. Average pooling
 * divides by k²; max pooling sends the whole gradient to the first maximum of its window in
 * row-major order (PyTorch's CPU kernel keeps the first index it sees on ties). Overlapping
 * windows (s < k) add their gradients.
 *
 * @module
 */
import { choiceField, expectRank, intField, layerError, type Builder, type Leaf } from '../layer';

/** Builds an avg or max pool leaf (see the module note). */
export const buildPool: Builder = (spec, inShape, path) => {
  expectRank(path, 'pool', inShape, [3], 'a [channels, height, width] shape');
  const kind = choiceField(spec, path, 'kind', ['avg', 'max'] as const);
  const k = intField(spec, path, 'kernel', undefined, 1, 1024);
  const s = intField(spec, path, 'stride', k, 1, 1024);
  const [c, h, w] = inShape as [number, number, number];
  if (k > h || k > w) {
    throw layerError(path, 'kernel', k, `at most the input's height and width (${h}×${w})`);
  }
  const ho = Math.floor((h - k) / s) + 1;
  const wo = Math.floor((w - k) / s) + 1;
  const inSize = c * h * w;
  const outSize = c * ho * wo;
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'pool',
    inShape,
    outShape: [c, ho, wo],
    params: [],
    // Output, its gradient, the input's gradient and (max) the argmax of every output.
    cost: (batch) => batch * (2 * outSize + inSize + (kind === 'max' ? outSize : 0)),
    forward(x, _p, ctx) {
      const planes = ctx.batch * c;
      const y = new Float32Array(planes * ho * wo);
      const arg = kind === 'max' && ctx.backward ? new Int32Array(y.length) : null;
      let o = 0;
      for (let pl = 0; pl < planes; pl++) {
        const base = pl * h * w;
        for (let i = 0; i < ho; i++) {
          for (let j = 0; j < wo; j++, o++) {
            const top = base + i * s * w + j * s;
            if (kind === 'avg') {
              let sum = 0;
              for (let a = 0; a < k; a++) for (let e = 0; e < k; e++) sum += x[top + a * w + e]!;
              y[o] = sum / (k * k);
              continue;
            }
            let best = top;
            let bestV = x[top]!;
            for (let a = 0; a < k; a++) {
              for (let e = 0; e < k; e++) {
                const t = top + a * w + e;
                const v = x[t]!;
                if (v > bestV || Number.isNaN(v)) {
                  best = t;
                  bestV = v;
                }
              }
            }
            y[o] = bestV;
            if (arg !== null) arg[o] = best;
          }
        }
      }
      return arg === null ? { y } : { y, cache: arg };
    },
    backward(gy, _x, _y, cache, _p, ctx) {
      const planes = ctx.batch * c;
      const gx = new Float32Array(planes * h * w);
      if (kind === 'max') {
        const arg = cache as Int32Array;
        for (let o = 0; o < gy.length; o++) gx[arg[o]!] = gx[arg[o]!]! + gy[o]!;
        return { gx, grads: [] };
      }
      const inv = 1 / (k * k);
      let o = 0;
      for (let pl = 0; pl < planes; pl++) {
        const base = pl * h * w;
        for (let i = 0; i < ho; i++) {
          for (let j = 0; j < wo; j++, o++) {
            const top = base + i * s * w + j * s;
            const g = gy[o]! * inv;
            for (let a = 0; a < k; a++) {
              for (let e = 0; e < k; e++) gx[top + a * w + e] = gx[top + a * w + e]! + g;
            }
          }
        }
      }
      return { gx, grads: [] };
    },
  };
  return leaf;
};
