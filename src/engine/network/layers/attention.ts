/**
 * Multi-head self-attention on `[steps, dModel]`, as nn.MultiheadAttention(dModel, heads,
 * batch_first=True) computes it with query = key = value = x:
 *
 *   [Q K V] = x·W_inᵀ + b_in (W_in = in_proj_weight, 3d × d), split into `heads` heads of
 *   d_h = d/heads columns; per head A = softmax(c·Q·Kᵀ + M) with c = 1/√d_h ('sqrt', PyTorch's)
 *   or 1/d_h ('linear', μP: Yang et al. 2022, "Tensor Programs V: Tuning Large Neural Networks
 *   via Zero-Shot Hyperparameter Transfer"), M = −∞ above the diagonal when `causal`;
 *   O = A·V, heads concatenated; y = O·W_outᵀ + b_out (out_proj).
 *
 * Parameters are declared in the order PyTorch's constructor consumes the generator: the
 * out_proj Linear is built inside __init__ (out_proj.weight and out_proj.bias drawn with Linear's
 * default U(±1/√d)), then _reset_parameters draws xavier_uniform_(in_proj_weight) and sets
 * in_proj_bias and out_proj.bias to 0. So: out_proj.weight, out_proj.bias (drawn, then zeroed),
 * in_proj_weight, in_proj_bias (zeros). PyTorch's named_parameters() lists them as in_proj_weight,
 * in_proj_bias, out_proj.weight, out_proj.bias.
 *
 * Backward per head, with S = c·Q·Kᵀ: ∂V = Aᵀ·∂O, ∂A = ∂O·Vᵀ,
 * ∂S = A ⊙ (∂A − rowsum(A ⊙ ∂A)), ∂Q = c·∂S·K, ∂K = c·∂Sᵀ·Q; then through the projections.
 * Every dense product goes through `ctx.kernels`.
 *
 * Extras: the mean entropy −Σ_j A_ij ln A_ij (nats) over batch, heads and queries (for causal
 * attention over the allowed keys j ≤ i).
 *
 * @module
 */
import { detExp, detLog } from '../../special';
import {
  boolField,
  choiceField,
  expectRank,
  initFields,
  intField,
  layerError,
  type Builder,
  type Leaf,
  type ParamDecl,
} from '../layer';
import { addBias, biasGrad } from './dense-ops';

interface Cache {
  readonly qkv: Float32Array;
  readonly probs: Float32Array;
  readonly concat: Float32Array;
}

/**
 * Builds a `{ type: 'attention', heads, causal?, scale?, inInit?, outInit?, bias? }` layer on
 * `[steps, dModel]` (see the module notes).
 */
export const buildAttention: Builder = (spec, inShape, path) => {
  expectRank(path, 'attention', inShape, [2], 'a sequence [steps, dModel]');
  const T = inShape[0]!;
  const d = inShape[1]!;
  const H = intField(spec, path, 'heads', undefined, 1, d);
  if (d % H !== 0) {
    throw layerError(path, 'heads', H, `a divisor of dModel = ${d}`);
  }
  const dh = d / H;
  const causal = boolField(spec, path, 'causal', false);
  const scale = choiceField(spec, path, 'scale', ['sqrt', 'linear'], 'sqrt');
  const hasBias = boolField(spec, path, 'bias', true);
  const c = scale === 'sqrt' ? 1 / Math.sqrt(dh) : 1 / dh;
  const zero = (a: Float32Array): void => void a.fill(0);
  const params: ParamDecl[] = [
    {
      name: 'out_proj.weight',
      shape: [d, d],
      ...initFields(spec, path, 'outInit', { name: 'torch_default' }, [d, d]),
    },
    ...(hasBias
      ? [
          {
            name: 'out_proj.bias',
            shape: [d],
            init: { name: 'torch_default' as const },
            context: { fanIn: d },
            after: zero,
          },
        ]
      : []),
    {
      name: 'in_proj_weight',
      shape: [3 * d, d],
      ...initFields(spec, path, 'inInit', { name: 'xavier_uniform' }, [3 * d, d]),
      main: true,
    },
    ...(hasBias
      ? [{ name: 'in_proj_bias', shape: [3 * d], init: { name: 'zeros' as const } }]
      : []),
  ];
  const unpack = (p: readonly Float32Array[]) =>
    hasBias
      ? { wo: p[0]!, bo: p[1]!, wi: p[2]!, bi: p[3]! }
      : { wo: p[0]!, bo: undefined, wi: p[1]!, bi: undefined };
  /** Copies head h of part (0 = Q, 1 = K, 2 = V) of sample b out of qkv into a T × d_h block. */
  const gather = (qkv: Float32Array, b: number, part: number, h: number, out: Float32Array) => {
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * 3 * d + part * d + h * dh;
      out.set(qkv.subarray(o, o + dh), t * dh);
    }
  };
  /** Adds (or writes) a T × d_h block into columns of a rows × width matrix. */
  const scatter = (src: Float32Array, dst: Float32Array, b: number, width: number, col: number) => {
    for (let t = 0; t < T; t++)
      dst.set(src.subarray(t * dh, t * dh + dh), (b * T + t) * width + col);
  };
  const leaf: Leaf = {
    kind: 'leaf',
    path,
    type: 'attention',
    inShape,
    outShape: inShape,
    params,
    // forward: qkv, probabilities, concatenated heads, output; backward: ∂concat, ∂qkv, ∂x;
    // per-head workspace (Q, K, V, O and a T × T block, twice in backward)
    cost: (batch) => batch * (10 * T * d + H * T * T) + 8 * T * dh + 2 * T * T,
    forward(x, p, ctx) {
      const { wo, bo, wi, bi } = unpack(p);
      const B = ctx.batch;
      const rows = B * T;
      const qkv = new Float32Array(rows * 3 * d);
      ctx.kernels.matmul(x, wi, qkv, rows, 3 * d, d);
      if (bi !== undefined) addBias(qkv, bi, rows, 3 * d);
      const probs = new Float32Array(B * H * T * T);
      const concat = new Float32Array(rows * d);
      const q = new Float32Array(T * dh);
      const k = new Float32Array(T * dh);
      const v = new Float32Array(T * dh);
      const o = new Float32Array(T * dh);
      let entropy = 0;
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          gather(qkv, b, 0, h, q);
          gather(qkv, b, 1, h, k);
          gather(qkv, b, 2, h, v);
          const a = probs.subarray((b * H + h) * T * T, (b * H + h + 1) * T * T);
          ctx.kernels.matmul(q, k, a, T, T, dh);
          for (let i = 0; i < T; i++) {
            const n = causal ? i + 1 : T;
            const row = i * T;
            let max = -Infinity;
            for (let j = 0; j < n; j++) max = Math.max(max, c * a[row + j]!);
            let s = 0;
            for (let j = 0; j < n; j++) s += detExp(c * a[row + j]! - max);
            let e = 0;
            for (let j = 0; j < T; j++) {
              if (j >= n) {
                a[row + j] = 0;
                continue;
              }
              const z = c * a[row + j]! - max;
              const pr = detExp(z) / s;
              a[row + j] = pr;
              if (pr > 0) e -= pr * (z - detLog(s));
            }
            entropy += e;
          }
          ctx.kernels.matmulGradInput(a, v, o, T, T, dh);
          scatter(o, concat, b, d, h * dh);
        }
      }
      const y = new Float32Array(rows * d);
      ctx.kernels.matmul(concat, wo, y, rows, d, d);
      if (bo !== undefined) addBias(y, bo, rows, d);
      return {
        y,
        cache: { qkv, probs, concat } satisfies Cache,
        extras: { attentionEntropy: entropy / (B * H * T) },
      };
    },
    backward(gy, x, _y, cache, p, ctx) {
      const { wo, wi } = unpack(p);
      const { qkv, probs, concat } = cache as Cache;
      const B = ctx.batch;
      const rows = B * T;
      const gwo = new Float32Array(d * d);
      ctx.kernels.matmulGradWeight(gy, concat, gwo, rows, d, d);
      const gconcat = new Float32Array(rows * d);
      ctx.kernels.matmulGradInput(gy, wo, gconcat, rows, d, d);
      const gqkv = new Float32Array(rows * 3 * d);
      const q = new Float32Array(T * dh);
      const k = new Float32Array(T * dh);
      const v = new Float32Array(T * dh);
      const go = new Float32Array(T * dh);
      const gq = new Float32Array(T * dh);
      const gk = new Float32Array(T * dh);
      const gv = new Float32Array(T * dh);
      const ga = new Float32Array(T * T);
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          gather(qkv, b, 0, h, q);
          gather(qkv, b, 1, h, k);
          gather(qkv, b, 2, h, v);
          for (let t = 0; t < T; t++) {
            const off = (b * T + t) * d + h * dh;
            go.set(gconcat.subarray(off, off + dh), t * dh);
          }
          const a = probs.subarray((b * H + h) * T * T, (b * H + h + 1) * T * T);
          ctx.kernels.matmulGradWeight(a, go, gv, T, T, dh);
          ctx.kernels.matmul(go, v, ga, T, T, dh);
          for (let i = 0; i < T; i++) {
            const row = i * T;
            let dot = 0;
            for (let j = 0; j < T; j++) dot += a[row + j]! * ga[row + j]!;
            for (let j = 0; j < T; j++) ga[row + j] = c * a[row + j]! * (ga[row + j]! - dot);
          }
          ctx.kernels.matmulGradInput(ga, k, gq, T, T, dh);
          ctx.kernels.matmulGradWeight(ga, q, gk, T, T, dh);
          scatter(gq, gqkv, b, 3 * d, h * dh);
          scatter(gk, gqkv, b, 3 * d, d + h * dh);
          scatter(gv, gqkv, b, 3 * d, 2 * d + h * dh);
        }
      }
      const gwi = new Float32Array(3 * d * d);
      ctx.kernels.matmulGradWeight(gqkv, x, gwi, rows, 3 * d, d);
      const gx = new Float32Array(rows * d);
      ctx.kernels.matmulGradInput(gqkv, wi, gx, rows, 3 * d, d);
      const grads = hasBias
        ? [gwo, biasGrad(gy, rows, d), gwi, biasGrad(gqkv, rows, 3 * d)]
        : [gwo, gwi];
      return { gx, grads };
    },
  };
  return leaf;
};
