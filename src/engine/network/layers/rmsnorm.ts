/**
 * RMSNorm over the last axis (Zhang & Sennrich 2019, "Root Mean Square Layer Normalization"):
 * y = x/√(mean(x²) + ε)·γ, no centring and no bias. PyTorch ≥ 2.4's nn.RMSNorm (not in 1.13)
 * takes eps = None by default, which means torch.finfo(x.dtype).eps, 2⁻²³ ≈ 1.19e-7 for float32
 * (https://pytorch.org/docs/stable/generated/torch.nn.RMSNorm.html); γ = ones
 * (elementwise_affine = True), named `weight`. The `gamma` option sets γ's initial value.
 *
 * Backward, with r = 1/√(mean(x²) + ε) and g = ∂L/∂y·γ per row of d entries:
 * ∂L/∂x = r·g − x·r³·mean(g·x), ∂L/∂γ = Σ_rows ∂L/∂y·x·r.
 *
 * @module
 */
import { type Builder, type Leaf, type ParamDecl } from '../layer';
import { normOptions } from './layernorm';

/** torch.finfo(torch.float32).eps = 2⁻²³: nn.RMSNorm's ε when eps is None. */
export const FLOAT32_EPS = 2 ** -23;

/** Builds a `{ type: 'rmsnorm', eps?, affine?, gamma? }` layer (see the module notes). */
export const buildRmsNorm: Builder = (spec, inShape, path) => {
  const {
    eps,
    affine,
    gamma,
    d,
    rows: rowsPer,
  } = normOptions(spec, path, 'rmsnorm', inShape, FLOAT32_EPS);
  const params: ParamDecl[] = affine
    ? [{ name: 'weight', shape: [d], init: { name: 'constant', value: gamma }, main: true }]
    : [];
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'rmsnorm',
    inShape,
    outShape: inShape,
    params,
    // output and r (forward); ∂L/∂x (backward)
    cost: (batch) => batch * rowsPer * (2 * d + 1),
    forward(x, [w], ctx) {
      const rows = ctx.batch * rowsPer;
      const y = new Float32Array(rows * d);
      const rinv = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        let ms = 0;
        for (let c = 0; c < d; c++) ms += x[o + c]! * x[o + c]!;
        const s = 1 / Math.sqrt(ms / d + eps);
        rinv[r] = s;
        for (let c = 0; c < d; c++) y[o + c] = x[o + c]! * s * (w === undefined ? 1 : w[c]!);
      }
      return { y, cache: rinv };
    },
    backward(gy, x, _y, cache, [w], ctx) {
      const rinv = cache as Float64Array;
      const rows = ctx.batch * rowsPer;
      const gx = new Float32Array(rows * d);
      const gw = w === undefined ? null : new Float32Array(d);
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        const s = rinv[r]!;
        let mgx = 0;
        for (let c = 0; c < d; c++) {
          mgx += gy[o + c]! * (w === undefined ? 1 : w[c]!) * x[o + c]!;
          if (gw !== null) gw[c] = gw[c]! + gy[o + c]! * x[o + c]! * s;
        }
        mgx /= d;
        for (let c = 0; c < d; c++) {
          const g = gy[o + c]! * (w === undefined ? 1 : w[c]!);
          gx[o + c] = s * g - x[o + c]! * s * s * s * mgx;
        }
      }
      return { gx, grads: gw === null ? [] : [gw] };
    },
  };
  return leaf;
};
