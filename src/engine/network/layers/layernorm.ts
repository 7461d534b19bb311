/**
 * nn.LayerNorm(d) over the last axis (d features), in training and evaluation alike:
 * y = (x − μ)/√(σ² + ε)·γ + β with μ, σ² the mean and biased variance of each row (each step of
 * a sequence). PyTorch's defaults: ε = 1e-5, elementwise_affine = True with γ = ones and β = zeros
 * (no random draws). The `gamma` option sets γ's initial value (γ = 0 is the zero-γ trick).
 *
 * Backward, with x̂ = (x − μ)·r, r = 1/√(σ² + ε) and g = ∂L/∂y·γ per row of d entries:
 * ∂L/∂x = r·(g − mean(g) − x̂·mean(g·x̂)), ∂L/∂γ = Σ_rows ∂L/∂y·x̂, ∂L/∂β = Σ_rows ∂L/∂y.
 *
 * @module
 */
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
import { biasGrad } from './dense-ops';

/** Shared validation of layernorm / rmsnorm: ε (> 0), affine and γ's initial value. */
export function normOptions(
  spec: Record<string, unknown>,
  path: string,
  type: string,
  inShape: readonly number[],
  defaultEps: number,
): { eps: number; affine: boolean; gamma: number; d: number; rows: number } {
  expectRank(path, type, inShape, [1, 2, 3], 'a shape whose last axis holds the features');
  const eps = numberField(spec, path, 'eps', defaultEps);
  if (!(eps > 0)) throw layerError(path, 'eps', spec['eps'], 'a positive number');
  const affine = boolField(spec, path, 'affine', true);
  const gamma = numberField(spec, path, 'gamma', 1);
  if (!affine && spec['gamma'] !== undefined) {
    throw layerError(path, 'gamma', spec['gamma'], 'absent when affine is false');
  }
  const d = inShape[inShape.length - 1]!;
  return { eps, affine, gamma, d, rows: sizeOf(inShape) / d };
}

/** Builds a `{ type: 'layernorm', eps?, affine?, gamma? }` layer (see the module notes). */
export const buildLayerNorm: Builder = (spec, inShape, path) => {
  const {
    eps,
    affine,
    gamma,
    d,
    rows: rowsPer,
  } = normOptions(spec, path, 'layernorm', inShape, 1e-5);
  const params: ParamDecl[] = affine
    ? [
        { name: 'weight', shape: [d], init: { name: 'constant', value: gamma }, main: true },
        { name: 'bias', shape: [d], init: { name: 'zeros' } },
      ]
    : [];
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'layernorm',
    inShape,
    outShape: inShape,
    params,
    // output, x̂ and r (forward); ∂L/∂x (backward)
    cost: (batch) => batch * rowsPer * (3 * d + 1),
    forward(x, [w, b], ctx) {
      const rows = ctx.batch * rowsPer;
      const y = new Float32Array(rows * d);
      const xhat = new Float32Array(rows * d);
      const rstd = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        let m = 0;
        for (let c = 0; c < d; c++) m += x[o + c]!;
        m /= d;
        let v = 0;
        for (let c = 0; c < d; c++) v += (x[o + c]! - m) ** 2;
        const s = 1 / Math.sqrt(v / d + eps);
        rstd[r] = s;
        for (let c = 0; c < d; c++) {
          const h = (x[o + c]! - m) * s;
          xhat[o + c] = h;
          y[o + c] = w === undefined ? h : h * w[c]! + b![c]!;
        }
      }
      return { y, cache: { xhat, rstd } };
    },
    backward(gy, _x, _y, cache, [w], ctx) {
      const { xhat, rstd } = cache as { xhat: Float32Array; rstd: Float64Array };
      const rows = ctx.batch * rowsPer;
      const gx = new Float32Array(rows * d);
      const gw = w === undefined ? null : new Float32Array(d);
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        let mg = 0;
        let mgx = 0;
        for (let c = 0; c < d; c++) {
          const g = gy[o + c]! * (w === undefined ? 1 : w[c]!);
          mg += g;
          mgx += g * xhat[o + c]!;
          if (gw !== null) gw[c] = gw[c]! + gy[o + c]! * xhat[o + c]!;
        }
        mg /= d;
        mgx /= d;
        const s = rstd[r]!;
        for (let c = 0; c < d; c++) {
          const g = gy[o + c]! * (w === undefined ? 1 : w[c]!);
          gx[o + c] = s * (g - mg - xhat[o + c]! * mgx);
        }
      }
      return { gx, grads: gw === null ? [] : [gw, biasGrad(gy, rows, d)] };
    },
  };
  return leaf;
};
