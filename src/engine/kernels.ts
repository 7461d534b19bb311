/**
 * The few dense loops that dominate propagation time, behind one small interface so a
 * WebAssembly SIMD version can replace the plain TypeScript one without touching the callers.
 *
 * Conventions, chosen to map onto wasm linear memory: every matrix is a flat row-major
 * Float32Array view (a wasm build passes views of its own memory, `byteOffset` is the pointer);
 * sizes are explicit; no kernel allocates per element. Weights use PyTorch's (out × in) layout.
 *
 * Every output entry is one dot product summed in float64 in index order 0, 1, …, k−1, so two
 * units with identical weight rows get bit-identical outputs (the unit-spread statistic relies on
 * this) and results do not depend on blocking.
 *
 * @module
 */

import type { Activation } from './activations';
import type { RawMoments } from './raw-moments';

/** Saturation rule of a layer's statistics (see `SummaryOptions`). */
export type SaturationRule = 'tanh' | 'sigmoid' | 'none';

/** Dense kernels used by propagation. */
export interface Kernels {
  /** Y = A·Bᵀ: `a` is m×k, `b` is n×k, `y` (m×n) is overwritten. Forward pass: A = X, B = W. */
  matmul(a: Float32Array, b: Float32Array, y: Float32Array, m: number, n: number, k: number): void;
  /** dX = dY·W: `dy` is batch×out, `w` is out×in, `dx` (batch×in) is overwritten. */
  matmulGradInput(
    dy: Float32Array,
    w: Float32Array,
    dx: Float32Array,
    batch: number,
    out: number,
    inp: number,
  ): void;
  /** dW = dYᵀ·X: `dy` is batch×out, `x` is batch×in, `dw` (out×in) is overwritten. */
  matmulGradWeight(
    dy: Float32Array,
    x: Float32Array,
    dw: Float32Array,
    batch: number,
    out: number,
    inp: number,
  ): void;
  /**
   * Fused epilogue of a layer: pre[r,c] += bias[c] (in place), post = φ(pre), and, when `deriv`
   * is given, deriv = φ′(pre). Statistics are taken afterwards by `summarize`, which needs the
   * whole array anyway (quantiles).
   */
  biasActivation(
    pre: Float32Array,
    bias: Float32Array | null,
    post: Float32Array,
    deriv: Float32Array | null,
    rows: number,
    cols: number,
    act: Activation,
  ): void;
  /**
   * Optional fused forward layer: pre = X·Wᵀ + bias, post = φ(pre), deriv = φ′(pre) when given, and
   * the raw moments of pre (and of post, when `postRule` is not null) with the data kept inside the
   * kernel between steps. Returns false, having done nothing, when it cannot (e.g. an activation it
   * does not implement): the caller then runs `matmul` and `biasActivation`.
   */
  forwardLayer?(
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    pre: Float32Array,
    post: Float32Array,
    deriv: Float32Array | null,
    m: number,
    n: number,
    k: number,
    act: Activation,
    rules: { readonly pre: SaturationRule; readonly post: SaturationRule | null } | null,
  ): false | { readonly pre?: RawMoments; readonly post?: RawMoments };
  /**
   * Optional fused backward layer, with its statistics: gPre = scale·g·φ′ (g = ∂L/∂h^l, m × n),
   * dW = gPreᵀ·X (n × k), db = column sums of gPre, and `below` = gPre·W (m × k) when given. dW and
   * gPre stay inside the kernel: only their moments come back, with Σ dW² (NaN when dW is not all
   * finite: the caller then needs `sumSquares` of a dW it does not have, so it runs the plain path).
   * Returns false, having done nothing, when it cannot.
   */
  backwardLayer?(
    g: Float32Array,
    deriv: Float32Array,
    scale: number,
    x: Float32Array,
    w: Float32Array,
    below: Float32Array | null,
    m: number,
    n: number,
    k: number,
  ):
    | false
    | {
        readonly gradPre: RawMoments;
        readonly gradPost: RawMoments;
        readonly gradWeight: RawMoments;
        readonly gradBias: RawMoments;
      };
}

/** Rows of B kept hot in cache per sweep: about 256 KiB of float32 at k = 512. */
const B_BLOCK_BYTES = 256 * 1024;

/** Y = A·Bᵀ with 2×4 register blocking and B swept in cache-sized row blocks. */
function matmulABt(
  a: Float32Array,
  b: Float32Array,
  y: Float32Array,
  m: number,
  n: number,
  k: number,
): void {
  const jBlock = Math.max(4, Math.floor(B_BLOCK_BYTES / (4 * Math.max(1, k)) / 4) * 4);
  for (let j0 = 0; j0 < n; j0 += jBlock) {
    const j1 = Math.min(n, j0 + jBlock);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const a0 = i * k;
      const a1 = a0 + k;
      let j = j0;
      for (; j + 3 < j1; j += 4) {
        const b0 = j * k;
        const b1 = b0 + k;
        const b2 = b1 + k;
        const b3 = b2 + k;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0; // prettier-ignore
        let s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
        for (let p = 0; p < k; p++) {
          const x0 = a[a0 + p]!;
          const x1 = a[a1 + p]!;
          const w0 = b[b0 + p]!;
          const w1 = b[b1 + p]!;
          const w2 = b[b2 + p]!;
          const w3 = b[b3 + p]!;
          s00 += x0 * w0;
          s01 += x0 * w1;
          s02 += x0 * w2;
          s03 += x0 * w3;
          s10 += x1 * w0;
          s11 += x1 * w1;
          s12 += x1 * w2;
          s13 += x1 * w3;
        }
        const y0 = i * n + j;
        const y1 = y0 + n;
        y[y0] = s00;
        y[y0 + 1] = s01;
        y[y0 + 2] = s02;
        y[y0 + 3] = s03;
        y[y1] = s10;
        y[y1 + 1] = s11;
        y[y1 + 2] = s12;
        y[y1 + 3] = s13;
      }
      for (; j < j1; j++) {
        y[i * n + j] = dot(a, a0, b, j * k, k);
        y[(i + 1) * n + j] = dot(a, a1, b, j * k, k);
      }
    }
    for (; i < m; i++) {
      for (let j = j0; j < j1; j++) y[i * n + j] = dot(a, i * k, b, j * k, k);
    }
  }
}

/** Σ_p a[ao+p]·b[bo+p] in float64, in index order. */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, k: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += a[ao + p]! * b[bo + p]!;
  return s;
}

/** dst (cols×rows) = srcᵀ, src rows×cols, in 32×32 tiles. */
function transpose(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c]!;
      }
    }
  }
}

/**
 * Plain TypeScript kernels. The gradient products transpose one operand into a reusable scratch
 * buffer so that every product runs as the same contiguous dot-product kernel.
 */
export function createTsKernels(): Kernels {
  let scratchA: Float32Array = new Float32Array(0);
  let scratchB: Float32Array = new Float32Array(0);
  const grow = (buf: Float32Array, n: number): Float32Array =>
    buf.length >= n ? buf : new Float32Array(n);
  return {
    matmul: matmulABt,
    matmulGradInput(dy, w, dx, batch, out, inp) {
      // dX = dY·W = dY·(Wᵀ)ᵀ: transpose W (out×in) to in×out, then the A·Bᵀ kernel.
      scratchA = grow(scratchA, out * inp);
      transpose(w, scratchA, out, inp);
      matmulABt(dy, scratchA, dx, batch, inp, out);
    },
    matmulGradWeight(dy, x, dw, batch, out, inp) {
      // dW = dYᵀ·X = (dYᵀ)·(Xᵀ)ᵀ: both transposed so the batch index is contiguous.
      scratchA = grow(scratchA, out * batch);
      scratchB = grow(scratchB, inp * batch);
      transpose(dy, scratchA, batch, out);
      transpose(x, scratchB, batch, inp);
      matmulABt(scratchA, scratchB, dw, out, inp, batch);
    },
    biasActivation(pre, bias, post, deriv, rows, cols, act) {
      if (bias !== null) {
        for (let r = 0; r < rows; r++) {
          const o = r * cols;
          for (let c = 0; c < cols; c++) pre[o + c] = pre[o + c]! + bias[c]!;
        }
      }
      const n = rows * cols;
      act.apply(pre, post, n);
      if (deriv !== null) act.applyDerivative(pre, deriv, n);
    },
  };
}
