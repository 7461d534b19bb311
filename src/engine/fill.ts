/**
 * Sampling kernels behind `initTensor`: each fills a row-major Float32Array in place from
 * already-validated parameters. `init.ts` owns the parameter checks and the PyTorch/JAX recipes.
 *
 * @module
 */
import type { Rng } from './rng';
import { erf, erfinvForFloat32 } from './special';

/**
 * Fills `out` with N(mean, std²) truncated to [a, b] by PyTorch's inverse-CDF recipe: draw
 * u ~ U(2Φ(α) − 1, 2Φ(β) − 1) with α, β the standardised bounds, map through erfinv (so
 * √2·erfinv(u) has the standard normal law restricted to [α, β]), scale by std·√2, shift by
 * mean, clamp to [a, b] against rounding. Like PyTorch, windows far in one tail (more than
 * ~8 std from the mean) lose precision because Φ rounds to 0 or 1 there.
 */
export function fillTruncNormal(
  out: Float32Array,
  mean: number,
  std: number,
  a: number,
  b: number,
  rng: Rng,
): Float32Array {
  const lo = erf((a - mean) / std / Math.SQRT2); // 2Φ(α) − 1
  const hi = erf((b - mean) / std / Math.SQRT2); // 2Φ(β) − 1
  const width = hi - lo;
  const scale = std * Math.SQRT2;
  for (let i = 0; i < out.length; i++) {
    const x = mean + scale * erfinvForFloat32(lo + width * rng.uniform());
    out[i] = x < a ? a : x > b ? b : x;
  }
  return out;
}

/** Writes the identity pattern of a `rows × cols` matrix (ones where i = j), like torch.eye. */
export function fillEye(out: Float32Array, rows: number, cols: number): Float32Array {
  out.fill(0);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = 1;
  return out;
}

/**
 * Writes PyTorch's Dirac delta for a conv weight `(out, in, ...kernel)`: within each of `groups`
 * groups of out/groups output channels, channel d of the group gets a one at input channel d and
 * at the kernel's centre (index ⌊k/2⌋ per dimension), for d < min(out/groups, in). A convolution
 * with this weight copies (a subset of) its input channels unchanged.
 */
export function fillDirac(
  out: Float32Array,
  shape: readonly number[],
  groups: number,
): Float32Array {
  out.fill(0);
  const [outChannels = 0, inChannels = 0, ...kernel] = shape;
  const perGroup = outChannels / groups;
  let kernelSize = 1;
  let centre = 0; // row-major offset of the kernel centre
  for (const k of kernel) {
    centre = centre * k + Math.floor(k / 2);
    kernelSize *= k;
  }
  const minDim = Math.min(perGroup, inChannels);
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < minDim; d++) {
      out[((g * perGroup + d) * inChannels + d) * kernelSize + centre] = 1;
    }
  }
  return out;
}

/**
 * Writes a random (semi-)orthogonal `rows × cols` matrix times `gain`, as torch.nn.init.orthogonal_:
 * a Gaussian matrix, transposed when rows < cols so that it is tall (m ≥ n); its reduced QR
 * decomposition by Householder reflections; the columns of Q multiplied by sign(diag R), which makes
 * the factorisation unique and Q Haar-distributed; transposed back.
 * The result has orthonormal rows (rows ≤ cols) or orthonormal columns (rows > cols).
 * `gaussian`, when given, is the rows × cols Gaussian matrix already drawn (row-major) and `rng`
 * is not used; otherwise it is drawn with `rng.normal()`.
 */
export function fillOrthogonal(
  out: Float32Array,
  rows: number,
  cols: number,
  gain: number,
  rng: Rng,
  gaussian?: Float32Array,
): Float32Array {
  const transpose = rows < cols;
  const m = transpose ? cols : rows;
  const n = transpose ? rows : cols;
  // The Gaussian matrix is drawn row-major (rows × cols) as PyTorch does. Stored column-major as
  // A (m × n) — A[i + j·m] — it is the rows × cols matrix itself when not transposing; when
  // transposing, the same buffer read row-major is exactly Aᵀ's column-major layout.
  const a = new Float64Array(m * n);
  if (gaussian) {
    // Already drawn row-major (PyTorch's `tensor.new(rows, cols).normal_(0, 1)`).
    if (transpose) a.set(gaussian);
    else
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) a[i + j * m] = gaussian[i * cols + j] as number;
  } else if (transpose) for (let k = 0; k < a.length; k++) a[k] = rng.normal();
  else for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[i + j * m] = rng.normal();

  const rDiag = new Float64Array(n);
  const betas = new Float64Array(n); // Hₖ = I − βₖ·vₖ·vₖᵀ, vₖ stored in A[k:, k]
  for (let k = 0; k < n; k++) {
    // Reflector k maps A[k:, k] onto r·e₁ with r = −sign(x₀)·‖x‖ (this sign avoids cancellation).
    const col = k * m;
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += (a[col + i] as number) ** 2;
    const x0 = a[col + k] as number;
    const r = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    rDiag[k] = r;
    a[col + k] = x0 - r; // v = x − r·e₁
    const vNorm2 = norm2 - x0 * x0 + (x0 - r) ** 2;
    if (vNorm2 === 0) continue; // zero column: Hₖ = I (β = 0)
    betas[k] = 2 / vNorm2;
    for (let j = k + 1; j < n; j++) reflect(a, col, a, j * m, k, m, 2 / vNorm2);
  }
  // Q = H₀·H₁·…·Hₙ₋₁·[I; 0], accumulated backwards: Hₖ only touches rows ≥ k, and columns < k
  // are still unit vectors at that point, so only columns ≥ k need it.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j + j * m] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const beta = betas[k] as number;
    if (beta !== 0) for (let j = k; j < n; j++) reflect(a, k * m, q, j * m, k, m, beta);
  }
  // Q·diag(sign R), then back to rows × cols row-major, times gain.
  for (let j = 0; j < n; j++) {
    const s = ((rDiag[j] as number) < 0 ? -1 : 1) * gain;
    for (let i = 0; i < m; i++) {
      const value = (q[i + j * m] as number) * s;
      if (transpose)
        out[j * cols + i] = value; // W = Qᵀ: W[j][i] = Q[i][j]
      else out[i * cols + j] = value;
    }
  }
  return out;
}

/** target[t+from : t+to] −= β·(v·target)·v, with v = vec[v0+from : v0+to]: applies I − β·v·vᵀ. */
function reflect(
  vec: Float64Array,
  v0: number,
  target: Float64Array,
  t: number,
  from: number,
  to: number,
  beta: number,
): void {
  let dot = 0;
  for (let i = from; i < to; i++) dot += (vec[v0 + i] as number) * (target[t + i] as number);
  dot *= beta;
  if (dot === 0) return;
  for (let i = from; i < to; i++)
    target[t + i] = (target[t + i] as number) - dot * (vec[v0 + i] as number);
}

/**
 * Zeroes exactly `numZeros` distinct, uniformly chosen entries in each column of a `rows × cols`
 * matrix, as torch.nn.init.sparse_ does with one randperm per column. A partial Fisher–Yates
 * shuffle picks them; the permutation carries over between columns, which keeps each column's
 * choice uniform and avoids re-initialising it.
 */
export function zeroPerColumn(
  out: Float32Array,
  rows: number,
  cols: number,
  numZeros: number,
  rng: Rng,
): Float32Array {
  const perm = new Int32Array(rows);
  for (let i = 0; i < rows; i++) perm[i] = i;
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < numZeros; i++) {
      const k = i + rng.int(rows - i);
      const row = perm[k] as number;
      perm[k] = perm[i] as number;
      perm[i] = row;
      out[row * cols + j] = 0;
    }
  }
  return out;
}

/**
 * torch.nn.init.sparse_'s zeroing as PyTorch 1.13 does it on a torch stream: for each column in
 * turn, a fresh `torch.randperm(rows)`, and the rows it lists first (`numZeros` of them) zeroed.
 */
export function zeroPerColumnTorch(
  out: Float32Array,
  rows: number,
  cols: number,
  numZeros: number,
  randperm: (n: number) => Int32Array,
): Float32Array {
  for (let j = 0; j < cols; j++) {
    const perm = randperm(rows);
    for (let i = 0; i < numZeros; i++) out[(perm[i] as number) * cols + j] = 0;
  }
  return out;
}

/** Standard normal density φ(x). */
const density = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/**
 * Variance of N(mean, std²) cut to [low, high]:
 * std²·[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²], α = (low − mean)/std, β = (high − mean)/std,
 * Z = Φ(β) − Φ(α).
 */
export function truncatedNormalVariance(
  mean: number,
  std: number,
  low: number,
  high: number,
): number {
  const alpha = (low - mean) / std;
  const beta = (high - mean) / std;
  const z = (erf(beta / Math.SQRT2) - erf(alpha / Math.SQRT2)) / 2;
  const pa = Number.isFinite(alpha) ? density(alpha) : 0;
  const pb = Number.isFinite(beta) ? density(beta) : 0;
  const ta = Number.isFinite(alpha) ? alpha * pa : 0;
  const tb = Number.isFinite(beta) ? beta * pb : 0;
  const shift = (pa - pb) / z;
  return std * std * (1 + (ta - tb) / z - shift * shift);
}
