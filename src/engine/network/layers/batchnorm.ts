/**
 * nn.BatchNorm1d / nn.BatchNorm2d in training mode, as at the first step: every channel is
 * normalized with its batch statistics, y = γ·(x − μ)/√(σ² + ε) + β, where the channel is the
 * first axis of the per-sample shape and μ, σ² (biased, as PyTorch normalizes in training) run
 * over the batch and the remaining axes:
 * - `[features]`: BatchNorm1d on (N, C), per feature over the batch;
 * - `[C, L]`: BatchNorm1d on (N, C, L), per C over batch and L;
 * - `[C, H, W]`: BatchNorm2d, per channel over batch·H·W.
 * Parameters (affine, default): weight γ (ones, or `gamma`) then bias β (zeros): no random draws.
 * ε default 1e-5. The running statistics PyTorch updates are not kept (they do not enter the
 * training-mode output). PyTorch refuses a channel with one value (batch·L = 1); so does this.
 *
 * Backward (x̂ the normalized input, N values per channel, σ̂ = √(σ² + ε)):
 * ∂L/∂x = γ/(N·σ̂)·(N·g − Σg − x̂·Σ(g·x̂)), ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g.
 *
 * Reference: Ioffe & Szegedy, "Batch Normalization: Accelerating Deep Network Training by
 * Reducing Internal Covariate Shift", ICML 2015.
 *
 * @module
 */
import { EngineInputError } from '../../validate';
import {
  boolField,
  expectRank,
  layerError,
  numberField,
  sizeOf,
  type Builder,
  type Leaf,
  type ParamDecl,
} from '../layer';

interface BatchNormCache {
  /** x̂, batch × size. */
  readonly xhat: Float32Array;
  /** 1/√(σ² + ε) per channel. */
  readonly invStd: Float64Array;
}

/** Builds a training-mode batchnorm leaf (see the module note). */
export const buildBatchNorm: Builder = (spec, inShape, path) => {
  expectRank(path, 'batchnorm', inShape, [1, 2, 3], 'a [features], [C, L] or [C, H, W] shape');
  const eps = numberField(spec, path, 'eps', 1e-5);
  if (!(eps > 0)) throw layerError(path, 'eps', spec['eps'], 'a finite number > 0');
  const affine = boolField(spec, path, 'affine', true);
  const gamma = numberField(spec, path, 'gamma', 1);
  const c = inShape[0]!;
  const inner = sizeOf(inShape) / c;
  const size = sizeOf(inShape);
  const params: ParamDecl[] = affine
    ? [
        {
          name: 'weight',
          shape: [c],
          init: gamma === 1 ? { name: 'ones' } : { name: 'constant', value: gamma },
          main: true,
        },
        { name: 'bias', shape: [c], init: { name: 'zeros' } },
      ]
    : [];
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'batchnorm',
    inShape,
    outShape: inShape,
    params,
    // Output, x̂, the output's gradient and the input's gradient.
    cost: (batch) => 4 * batch * size,
    forward(x, [wt, b], ctx) {
      const n = ctx.batch * inner;
      if (n < 2) {
        throw new EngineInputError(
          `layers.${path}`,
          `batch ${ctx.batch} on shape [${inShape.join(', ')}] (one value per channel)`,
          'more than one value per channel in training mode, as PyTorch',
        );
      }
      const y = new Float32Array(ctx.batch * size);
      const xhat = ctx.backward ? new Float32Array(y.length) : null;
      const invStd = new Float64Array(c);
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let bi = 0; bi < ctx.batch; bi++) {
          const o = bi * size + ch * inner;
          for (let t = 0; t < inner; t++) sum += x[o + t]!;
        }
        const mean = sum / n;
        let sq = 0;
        for (let bi = 0; bi < ctx.batch; bi++) {
          const o = bi * size + ch * inner;
          for (let t = 0; t < inner; t++) sq += (x[o + t]! - mean) ** 2;
        }
        const inv = 1 / Math.sqrt(sq / n + eps);
        invStd[ch] = inv;
        const scale = wt === undefined ? 1 : wt[ch]!;
        const shift = b === undefined ? 0 : b[ch]!;
        for (let bi = 0; bi < ctx.batch; bi++) {
          const o = bi * size + ch * inner;
          for (let t = 0; t < inner; t++) {
            const xh = (x[o + t]! - mean) * inv;
            if (xhat !== null) xhat[o + t] = xh;
            y[o + t] = scale * xh + shift;
          }
        }
      }
      return xhat === null ? { y } : { y, cache: { xhat, invStd } satisfies BatchNormCache };
    },
    backward(gy, _x, _y, cache, [wt], ctx) {
      const { xhat, invStd } = cache as BatchNormCache;
      const n = ctx.batch * inner;
      const gx = new Float32Array(gy.length);
      const gw = new Float32Array(c);
      const gb = new Float32Array(c);
      for (let ch = 0; ch < c; ch++) {
        let sg = 0;
        let sgx = 0;
        for (let bi = 0; bi < ctx.batch; bi++) {
          const o = bi * size + ch * inner;
          for (let t = 0; t < inner; t++) {
            sg += gy[o + t]!;
            sgx += gy[o + t]! * xhat[o + t]!;
          }
        }
        gw[ch] = sgx;
        gb[ch] = sg;
        const k = ((wt === undefined ? 1 : wt[ch]!) * invStd[ch]!) / n;
        for (let bi = 0; bi < ctx.batch; bi++) {
          const o = bi * size + ch * inner;
          for (let t = 0; t < inner; t++) {
            gx[o + t] = k * (n * gy[o + t]! - sg - xhat[o + t]! * sgx);
          }
        }
      }
      return { gx, grads: wt === undefined ? [] : [gw, gb] };
    },
  };
  return leaf;
};
