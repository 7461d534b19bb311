/**
 * The elementwise part of one time step of PyTorch's recurrent cells, forward and backward, for a
 * whole batch at once. The dense products (x·W_ihᵀ for all steps, h·W_hhᵀ per step) are done by the
 * caller through the kernels; here a step reads them and applies the gates.
 *
 * Layouts: `p` holds the input projections x_t·W_ihᵀ + b_ih of every (sample, step) as rows
 * b·T + t of width G·H (G gates, gate-major as PyTorch: LSTM i, f, g, o; GRU r, z, n); `r` holds one
 * step's recurrent product h_{t−1}·W_hhᵀ + b_hh, batch × G·H; hidden states are rows b·T + t of `y`
 * (width H). The forward step overwrites `p`'s row with the activated gates, which is what the
 * backward step needs.
 *
 * - tanh / relu (nn.RNN): h_t = φ(p + r).
 * - LSTM: i, f, o = σ(·), g = tanh(·); c_t = f ⊙ c_{t−1} + i ⊙ g; h_t = o ⊙ tanh(c_t).
 * - GRU: r, z = σ(·); n = tanh(p_n + r ⊙ r_n); h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
 *
 * @module
 */

/** Which cell: nn.RNN with tanh or relu, nn.LSTM, nn.GRU. */
export type CellKind = 'tanh' | 'relu' | 'lstm' | 'gru';

/** Gates per cell: the row count of weight_ih is gates · hidden. */
export const GATES: Readonly<Record<CellKind, number>> = { tanh: 1, relu: 1, lstm: 4, gru: 3 };

const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

/** Sizes and the arrays one step works on. */
export interface StepShape {
  readonly batch: number;
  readonly steps: number;
  readonly hidden: number;
}

/**
 * Forward step t. `hPrev` is h_{t−1} (batch × H, zeros at t = 0); `aux` is the per-cell cache:
 * the cell states c_t (LSTM) or the recurrent products r_n (GRU), rows b·T + t of width H.
 */
export function forwardStep(
  cell: CellKind,
  s: StepShape,
  t: number,
  p: Float32Array,
  r: Float32Array,
  hPrev: Float32Array,
  y: Float32Array,
  aux: Float32Array,
): void {
  const { batch: B, steps: T, hidden: H } = s;
  const G = GATES[cell] * H;
  for (let b = 0; b < B; b++) {
    const row = b * T + t;
    const po = row * G;
    const ro = b * G;
    const yo = row * H;
    const ho = b * H;
    if (cell === 'tanh' || cell === 'relu') {
      for (let j = 0; j < H; j++) {
        const a = p[po + j]! + r[ro + j]!;
        const h = cell === 'tanh' ? Math.tanh(a) : a > 0 ? a : 0;
        p[po + j] = h;
        y[yo + j] = h;
      }
    } else if (cell === 'lstm') {
      const cPrev = t === 0 ? -1 : (row - 1) * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(p[po + j]! + r[ro + j]!);
        const f = sigmoid(p[po + H + j]! + r[ro + H + j]!);
        const g = Math.tanh(p[po + 2 * H + j]! + r[ro + 2 * H + j]!);
        const o = sigmoid(p[po + 3 * H + j]! + r[ro + 3 * H + j]!);
        const c = (cPrev < 0 ? 0 : f * aux[cPrev + j]!) + i * g;
        p[po + j] = i;
        p[po + H + j] = f;
        p[po + 2 * H + j] = g;
        p[po + 3 * H + j] = o;
        aux[yo + j] = c;
        y[yo + j] = o * Math.tanh(c);
      }
    } else {
      for (let j = 0; j < H; j++) {
        const rg = sigmoid(p[po + j]! + r[ro + j]!);
        const z = sigmoid(p[po + H + j]! + r[ro + H + j]!);
        const rn = r[ro + 2 * H + j]!;
        const n = Math.tanh(p[po + 2 * H + j]! + rg * rn);
        p[po + j] = rg;
        p[po + H + j] = z;
        p[po + 2 * H + j] = n;
        aux[yo + j] = rn;
        y[yo + j] = (1 - z) * n + z * hPrev[ho + j]!;
      }
    }
  }
}

/**
 * Backward step t. Given dh = ∂L/∂h_t (batch × H, total) and, for the LSTM, dc = ∂L/∂c_t from step
 * t + 1 (updated in place to ∂L/∂c_{t−1}), writes the pre-activation gradients: `dp`'s rows b·T + t
 * (∂L/∂(x_t·W_ihᵀ + b_ih)) and `dr` (batch × G·H, ∂L/∂(h_{t−1}·W_hhᵀ + b_hh)). They differ only in
 * the GRU's n gate (dr_n = dp_n ⊙ r). Returns nothing; the caller adds dr·W_hh and, for the GRU,
 * `directPrev` (dh ⊙ z, written here) to get ∂L/∂h_{t−1}.
 */
export function backwardStep(
  cell: CellKind,
  s: StepShape,
  t: number,
  gates: Float32Array,
  aux: Float32Array,
  y: Float32Array,
  dh: Float32Array,
  dc: Float32Array,
  dp: Float32Array,
  dr: Float32Array,
  directPrev: Float32Array,
): void {
  const { batch: B, steps: T, hidden: H } = s;
  const G = GATES[cell] * H;
  for (let b = 0; b < B; b++) {
    const row = b * T + t;
    const go = row * G;
    const ro = b * G;
    const ho = b * H;
    if (cell === 'tanh' || cell === 'relu') {
      for (let j = 0; j < H; j++) {
        const h = gates[go + j]!;
        const d = dh[ho + j]! * (cell === 'tanh' ? 1 - h * h : h > 0 ? 1 : 0);
        dp[go + j] = d;
        dr[ro + j] = d;
      }
    } else if (cell === 'lstm') {
      const cPrev = t === 0 ? -1 : (row - 1) * H;
      for (let j = 0; j < H; j++) {
        const i = gates[go + j]!;
        const f = gates[go + H + j]!;
        const g = gates[go + 2 * H + j]!;
        const o = gates[go + 3 * H + j]!;
        const tc = Math.tanh(aux[row * H + j]!);
        const dhj = dh[ho + j]!;
        const dcj = dc[ho + j]! + dhj * o * (1 - tc * tc);
        const cp = cPrev < 0 ? 0 : aux[cPrev + j]!;
        const di = dcj * g * i * (1 - i);
        const df = dcj * cp * f * (1 - f);
        const dg = dcj * i * (1 - g * g);
        const dO = dhj * tc * o * (1 - o);
        dc[ho + j] = dcj * f;
        dp[go + j] = dr[ro + j] = di;
        dp[go + H + j] = dr[ro + H + j] = df;
        dp[go + 2 * H + j] = dr[ro + 2 * H + j] = dg;
        dp[go + 3 * H + j] = dr[ro + 3 * H + j] = dO;
      }
    } else {
      for (let j = 0; j < H; j++) {
        const rg = gates[go + j]!;
        const z = gates[go + H + j]!;
        const n = gates[go + 2 * H + j]!;
        const rn = aux[row * H + j]!;
        const hp = t === 0 ? 0 : y[(row - 1) * H + j]!;
        const dhj = dh[ho + j]!;
        const dn = dhj * (1 - z) * (1 - n * n);
        const dz = dhj * (hp - n) * z * (1 - z);
        const drg = dn * rn * rg * (1 - rg);
        directPrev[ho + j] = dhj * z;
        dp[go + j] = dr[ro + j] = drg;
        dp[go + H + j] = dr[ro + H + j] = dz;
        dp[go + 2 * H + j] = dn;
        dr[ro + 2 * H + j] = dn * rg;
      }
    }
  }
}
