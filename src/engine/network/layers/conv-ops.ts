/**
 * The geometry of a 2-D convolution (NCHW, zero padding) and its patch matrix: `im2colT` lays
 * every output position's receptive field out as one row, so that a convolution becomes one dense
 * product per group (rows = batch·positions, columns = in/groups·k², PyTorch's weight layout), and
 * `col2imT` adds a patch matrix's gradient back onto the image.
 *
 * @module
 */

/** Sizes of one conv2d: input C×H×W, output Co×Ho×Wo, square kernel k. */
export interface ConvGeometry {
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly out: number;
  readonly ho: number;
  readonly wo: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly groups: number;
}

/**
 * Output length along one axis, as PyTorch: ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 (may be ≤ 0 for
 * a kernel wider than the padded input; the caller rejects that).
 */
export const convOutSize = (n: number, k: number, s: number, p: number, d: number): number =>
  Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;

/** Columns of one group's patch matrix: (C / groups)·k². */
export const patchWidth = (g: ConvGeometry): number => (g.c / g.groups) * g.kernel * g.kernel;

/**
 * Fills `col` (batch·Ho·Wo rows × (C/groups)·k² columns, row-major) with the patches of `group`:
 * col[(b·Ho·Wo + i·Wo + j), (c·k + a)·k + e] = x[b, group·C/groups + c, i·s − p + a·d, j·s − p + e·d],
 * zero where that falls outside the image.
 */
export function im2colT(
  x: Float32Array,
  g: ConvGeometry,
  group: number,
  batch: number,
  col: Float32Array,
): void {
  const { h, w, ho, wo, kernel: k, stride: s, padding: p, dilation: d } = g;
  const cg = g.c / g.groups;
  const kw = cg * k * k;
  let r = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++, r++) {
        let o = r * kw;
        for (let c = 0; c < cg; c++) {
          const plane = (b * g.c + group * cg + c) * h * w;
          for (let a = 0; a < k; a++) {
            const ii = i * s - p + a * d;
            const inRow = ii >= 0 && ii < h;
            for (let e = 0; e < k; e++, o++) {
              const jj = j * s - p + e * d;
              col[o] = inRow && jj >= 0 && jj < w ? x[plane + ii * w + jj]! : 0;
            }
          }
        }
      }
    }
  }
}

/** The adjoint of {@link im2colT}: adds every patch entry of `col` onto `gx` (in place). */
export function col2imT(
  col: Float32Array,
  g: ConvGeometry,
  group: number,
  batch: number,
  gx: Float32Array,
): void {
  const { h, w, ho, wo, kernel: k, stride: s, padding: p, dilation: d } = g;
  const cg = g.c / g.groups;
  const kw = cg * k * k;
  let r = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++, r++) {
        let o = r * kw;
        for (let c = 0; c < cg; c++) {
          const plane = (b * g.c + group * cg + c) * h * w;
          for (let a = 0; a < k; a++) {
            const ii = i * s - p + a * d;
            const inRow = ii >= 0 && ii < h;
            for (let e = 0; e < k; e++, o++) {
              const jj = j * s - p + e * d;
              if (inRow && jj >= 0 && jj < w) {
                const t = plane + ii * w + jj;
                gx[t] = gx[t]! + col[o]!;
              }
            }
          }
        }
      }
    }
  }
}
