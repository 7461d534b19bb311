/**
 * nn.Conv2d on a per-sample `[channels, height, width]` (NCHW, zero padding): weight of shape
 * (out, in/groups, k, k) and bias (out), PyTorch's layout and fans (fan_in = in/groups·k²,
 * fan_out = out/groups·k²). PyTorch's defaults: weight kaiming_uniform(a = √5), i.e.
 * U(±1/√fan_in), then bias U(±1/√fan_in), weight drawn first.
 *
 * Computed as im2col + one dense product per group through `ctx.kernels` (so the WebAssembly SIMD
 * kernels serve it): the patch matrix (batch·Ho·Wo × in/groups·k²) times the group's weight rows;
 * the backward pass is `matmulGradWeight` for ∂L/∂W and `matmulGradInput` + col2im for ∂L/∂x.
 *
 * @module
 */
import {
  boolField,
  expectRank,
  initFields,
  intField,
  layerError,
  type Builder,
  type Leaf,
} from '../layer';
import { col2imT, convOutSize, im2colT, patchWidth, type ConvGeometry } from './conv-ops';

/** The checked geometry of a conv2d description on `inShape` (shared with its builder). */
function geometry(spec: Record<string, unknown>, inShape: readonly number[], path: string) {
  const [c, h, w] = inShape as [number, number, number];
  const out = intField(spec, path, 'out');
  const kernel = intField(spec, path, 'kernel', undefined, 1, 1024);
  const stride = intField(spec, path, 'stride', 1, 1, 1024);
  const padding = intField(spec, path, 'padding', 0, 0, 1024);
  const dilation = intField(spec, path, 'dilation', 1, 1, 1024);
  const groups = intField(spec, path, 'groups', 1, 1, 2 ** 24);
  if (c % groups !== 0) {
    throw layerError(path, 'groups', groups, `a divisor of the input's ${c} channels`);
  }
  if (out % groups !== 0) {
    throw layerError(path, 'groups', groups, `a divisor of out (${out})`);
  }
  const ho = convOutSize(h, kernel, stride, padding, dilation);
  const wo = convOutSize(w, kernel, stride, padding, dilation);
  if (ho < 1 || wo < 1) {
    throw layerError(
      path,
      'kernel',
      `kernel ${kernel} (dilation ${dilation}, padding ${padding}, stride ${stride}) on a ${h}×${w} input, giving ${ho}×${wo}`,
      'a kernel whose dilated extent d·(k − 1) + 1 fits in the padded input (an output of at least 1×1)',
    );
  }
  const g: ConvGeometry = { c, h, w, out, ho, wo, kernel, stride, padding, dilation, groups };
  return g;
}

/** Builds a conv2d leaf (see the module note); errors name the path and field. */
export const buildConv2d: Builder = (spec, inShape, path) => {
  expectRank(path, 'conv2d', inShape, [3], 'a [channels, height, width] shape');
  const g = geometry(spec, inShape, path);
  const { out, groups, ho, wo } = g;
  const kw = patchWidth(g);
  const outG = out / groups;
  const fanIn = kw;
  const wShape = [out, g.c / groups, g.kernel, g.kernel];
  const hasBias = boolField(spec, path, 'bias', true);
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
            ...initFields(spec, path, 'biasInit', { name: 'torch_default' }, [out], { fanIn }),
            context: { fanIn },
          },
        ]
      : []),
  ];
  const positions = ho * wo;
  const inSize = g.c * g.h * g.w;
  const outSize = out * positions;
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'conv2d',
    inShape,
    outShape: [out, ho, wo],
    params,
    // Output and its gradient, the input's gradient, and per group a patch matrix and its gradient
    // with the group's product in row layout and its gradient.
    cost: (batch) => batch * (2 * outSize + inSize + 2 * positions * (kw + outG)),
    forward(x, [wt, b], ctx) {
      const rows = ctx.batch * positions;
      const y = new Float32Array(ctx.batch * outSize);
      const col = new Float32Array(rows * kw);
      const yg = new Float32Array(rows * outG);
      for (let gi = 0; gi < groups; gi++) {
        im2colT(x, g, gi, ctx.batch, col);
        const wg = wt!.subarray(gi * outG * kw, (gi + 1) * outG * kw);
        ctx.kernels.matmul(col, wg, yg, rows, outG, kw);
        for (let bi = 0; bi < ctx.batch; bi++) {
          for (let o = 0; o < outG; o++) {
            const ch = gi * outG + o;
            const base = (bi * out + ch) * positions;
            const add = b === undefined ? 0 : b[ch]!;
            for (let p = 0; p < positions; p++) {
              y[base + p] = yg[(bi * positions + p) * outG + o]! + add;
            }
          }
        }
      }
      return { y };
    },
    backward(gy, x, _y, _cache, [wt, b], ctx) {
      const rows = ctx.batch * positions;
      const gw = new Float32Array(wt!.length);
      const gx = new Float32Array(ctx.batch * inSize);
      const col = new Float32Array(rows * kw);
      const gcol = new Float32Array(rows * kw);
      const gyg = new Float32Array(rows * outG);
      for (let gi = 0; gi < groups; gi++) {
        for (let bi = 0; bi < ctx.batch; bi++) {
          for (let o = 0; o < outG; o++) {
            const base = (bi * out + gi * outG + o) * positions;
            for (let p = 0; p < positions; p++) {
              gyg[(bi * positions + p) * outG + o] = gy[base + p]!;
            }
          }
        }
        im2colT(x, g, gi, ctx.batch, col);
        const span = [gi * outG * kw, (gi + 1) * outG * kw] as const;
        ctx.kernels.matmulGradWeight(gyg, col, gw.subarray(...span), rows, outG, kw);
        ctx.kernels.matmulGradInput(gyg, wt!.subarray(...span), gcol, rows, outG, kw);
        col2imT(gcol, g, gi, ctx.batch, gx);
      }
      if (b === undefined) return { gx, grads: [gw] };
      const sums = new Float64Array(out);
      for (let bi = 0; bi < ctx.batch; bi++) {
        for (let ch = 0; ch < out; ch++) {
          const base = (bi * out + ch) * positions;
          for (let p = 0; p < positions; p++) sums[ch] = sums[ch]! + gy[base + p]!;
        }
      }
      return { gx, grads: [gw, Float32Array.from(sums)] };
    },
  };
  return leaf;
};
