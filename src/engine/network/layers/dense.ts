/**
 * The fused dense layer h = φ(x·Wᵀ + b): a linear layer and its activation run as one, so the
 * WebAssembly kernels can keep the data between the product, the activation and the statistics.
 * Internal: `propagate` runs its stacks on it (it reports both pre- and post-activations per layer);
 * descriptions use 'linear' and 'activation'.
 *
 * @module
 */
import type { Activation } from '../../activations';
import type { InitContext, InitSpec } from '../../init';
import type { RawMoments } from '../../raw-moments';
import type { Leaf } from '../layer';

/** What the dense layer's forward pass keeps and reports. */
export interface DenseCache {
  readonly pre: Float32Array;
  readonly deriv: Float32Array | null;
  /** Moments the fused kernel took (detail 'moments'), else null. */
  readonly preMoments: RawMoments | null;
  readonly postMoments: RawMoments | null;
}

/** The backward pass's statistics: from the fused kernel (moments only) or the plain arrays. */
export type DenseDetail =
  | {
      readonly fused: true;
      readonly gradPre: RawMoments;
      readonly gradPost: RawMoments;
      readonly gradWeight: RawMoments;
      readonly gradBias: RawMoments;
    }
  | { readonly fused: false; readonly gPre: Float32Array };

/** How a dense layer is built. */
export interface DenseOptions {
  readonly path: string;
  readonly fanIn: number;
  readonly width: number;
  readonly act: Activation;
  readonly weightInit: InitSpec;
  readonly biasInit: InitSpec;
  readonly biasContext: InitContext;
  /** Whether a residual adds its output to a stream (then the kernel takes no post moments). */
  readonly blockEnd: boolean;
  /** Take moments inside the fused kernels (summaries at detail 'moments'). */
  readonly moments: boolean;
  /** Run the fused backward kernel (moments only, no ∂L/∂W arrays) when it can. */
  readonly fusedBackward: boolean;
  /** No ∂L/∂x is needed (the first layer). */
  readonly first: boolean;
  /** Zero W and b after the draw (a zero-initialized branch end). */
  readonly zero: boolean;
}

/** The fused dense leaf. */
/** nn.Linear's constructor draws (kaiming_uniform_(a=√5), bias U(±1/√fan_in)), for the 'torch' order. */
const TORCH_DEFAULT: InitSpec = { name: 'torch_default' };

export function denseLeaf(o: DenseOptions): Leaf {
  const { fanIn: k, width: n, act } = o;
  const zero = o.zero ? (d: Float32Array) => void d.fill(0) : undefined;
  return {
    kind: 'leaf',
    path: o.path,
    type: 'linear',
    inShape: [k],
    outShape: [n],
    params: [
      {
        name: 'weight',
        shape: [n, k],
        init: o.weightInit,
        torchDefault: TORCH_DEFAULT,
        main: true,
        ...(zero ? { after: zero } : {}),
      },
      {
        name: 'bias',
        shape: [n],
        init: o.biasInit,
        torchDefault: TORCH_DEFAULT,
        context: o.biasContext,
        ...(zero ? { after: zero } : {}),
      },
    ],
    saturation: o.blockEnd ? 'none' : act.saturation,
    takesScale: true,
    cost: (batch) => 3 * batch * n,
    forward(x, [w, b], ctx) {
      const rows = ctx.batch;
      const pre = new Float32Array(rows * n);
      const post = new Float32Array(rows * n);
      const deriv = ctx.backward ? new Float32Array(rows * n) : null;
      const fused =
        ctx.kernels.forwardLayer?.(
          x,
          w!,
          b!,
          pre,
          post,
          deriv,
          rows,
          n,
          k,
          act,
          o.moments ? { pre: 'none', post: o.blockEnd ? null : act.saturation } : null,
        ) ?? false;
      if (fused === false) {
        ctx.kernels.matmul(x, w!, pre, rows, n, k);
        ctx.kernels.biasActivation(pre, b!, post, deriv, rows, n, act);
      }
      const cache: DenseCache = {
        pre,
        deriv,
        preMoments: fused ? (fused.pre ?? null) : null,
        postMoments: fused ? (fused.post ?? null) : null,
      };
      return { y: post, cache };
    },
    backward(g, x, _y, cache, [w], ctx, scale = 1) {
      const rows = ctx.batch;
      const { deriv } = cache as DenseCache;
      const below = o.first ? null : new Float32Array(rows * k);
      if (o.fusedBackward) {
        const f = ctx.kernels.backwardLayer?.(g, deriv!, scale, x, w!, below, rows, n, k) ?? false;
        // A dW that is not all finite needs Σ dW² with the TypeScript semantics: run it plainly.
        if (f && f.gradWeight.count === n * k) {
          const detail: DenseDetail = { fused: true, ...f };
          return { gx: below, grads: [], detail };
        }
      }
      const gPre = new Float32Array(rows * n);
      for (let i = 0; i < gPre.length; i++) gPre[i] = scale * g[i]! * deriv![i]!;
      const gW = new Float32Array(n * k);
      ctx.kernels.matmulGradWeight(gPre, x, gW, rows, n, k);
      const gB = new Float32Array(n);
      for (let r = 0; r < rows; r++) for (let c = 0; c < n; c++) gB[c] = gB[c]! + gPre[r * n + c]!;
      if (below !== null) ctx.kernels.matmulGradInput(gPre, w!, below, rows, n, k);
      const detail: DenseDetail = { fused: false, gPre };
      return { gx: below, grads: [gW, gB], detail };
    },
  };
}
