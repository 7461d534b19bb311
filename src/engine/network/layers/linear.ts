/**
 * nn.Linear on the last axis: y = x·Wᵀ + b with W of shape (out, in), applied to every row of the
 * last axis (every step of a sequence). PyTorch's defaults: W ~ U(±1/√in) (kaiming_uniform with
 * a = √5) and b ~ U(±1/√in), W drawn first.
 *
 * @module
 */
import {
  sizeOf,
  initFields,
  intField,
  boolField,
  expectRank,
  type Builder,
  type Leaf,
} from '../layer';
import { addBias, biasGrad } from './dense-ops';

/** Builds `{ type: 'linear', out, weightInit?, biasInit?, bias? }` on the input's last axis. */
export const buildLinear: Builder = (spec, inShape, path) => {
  expectRank(path, 'linear', inShape, [1, 2, 3], 'a shape whose last axis holds the features');
  const inp = inShape[inShape.length - 1]!;
  const out = intField(spec, path, 'out');
  const hasBias = boolField(spec, path, 'bias', true);
  const outShape = [...inShape.slice(0, -1), out];
  const wShape = [out, inp];
  const params = [
    {
      name: 'weight',
      shape: wShape,
      ...initFields(spec, path, 'weightInit', { name: 'torch_default' }, wShape),
      main: true,
    },
    ...(hasBias
      ? [
          {
            name: 'bias',
            shape: [out],
            ...initFields(spec, path, 'biasInit', { name: 'torch_default' }, [out], { fanIn: inp }),
            context: { fanIn: inp },
          },
        ]
      : []),
  ];
  const rowsPer = sizeOf(inShape) / inp;
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'linear',
    inShape,
    outShape,
    params,
    cost: (batch) => 2 * batch * rowsPer * (out + inp),
    forward(x, [w, b], ctx) {
      const rows = ctx.batch * rowsPer;
      const y = new Float32Array(rows * out);
      ctx.kernels.matmul(x, w!, y, rows, out, inp);
      if (b !== undefined) addBias(y, b, rows, out);
      return { y };
    },
    backward(gy, x, _y, _cache, [w, b], ctx) {
      const rows = ctx.batch * rowsPer;
      const gw = new Float32Array(out * inp);
      ctx.kernels.matmulGradWeight(gy, x, gw, rows, out, inp);
      const gx = new Float32Array(rows * inp);
      ctx.kernels.matmulGradInput(gy, w!, gx, rows, out, inp);
      return { gx, grads: b === undefined ? [gw] : [gw, biasGrad(gy, rows, out)] };
    },
  };
  return leaf;
};
