/**
 * Small loops shared by the layers that end in a dense product: adding a bias to every row and
 * summing a gradient's rows into the bias gradient.
 *
 * @module
 */

/** y[r, c] += b[c] for r < rows (in place, float32). */
export function addBias(y: Float32Array, b: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) y[o + c] = y[o + c]! + b[c]!;
  }
}

/** Σ_r g[r, c]: the gradient of a bias added to every row. */
export function biasGrad(g: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c] = out[c]! + g[o + c]!;
  }
  return out;
}
