/**
 * Self-attention's value path at initialization, in second moments between positions: given
 * C_v[j, j′] = E[v_j·v_j′] per coordinate (T × T), the moments of o_t = Σ_j A_tj·v_j, and
 * backward, of ∂L/∂v from those of ∂L/∂o.
 *
 * The weights' moments (ratio of expectations over softmax logits N(0, λ_t), query t seeing
 * n_t keys: all T, or j ≤ t when causal):
 *   E[A_tj²] = a_t = e^λ/(n_t(e^λ + n_t − 1)), E[A_tj·A_tj′] = b_t = 1/(n_t(e^λ + n_t − 1)) (j ≠ j′),
 *   E[A_tj·A_sj′] = 1/(n_t·n_s) for queries t ≠ s (their logits are nearly independent).
 * Within 2 % of Monte Carlo for λ ≤ 1/4 (PyTorch's default init gives λ ≈ 1/4); exact as λ → 0.
 * π_t = n_t·a_t = E[Σ_j A_tj²] is the attention's concentration (1/n_t when uniform).
 *
 * Forward: E[o_t·o_s] = (Ā·C_v·Āᵀ)_ts for t ≠ s, with Ā_tj = 1/n_t on the allowed keys, and
 * E[o_t²] = a_t·Σ_j C_v[j, j] + b_t·Σ_{j ≠ j′} C_v[j, j′] (sums over t's keys).
 * Backward: E[∂v_j·∂v_j′] = (Āᵀ·Γ_o·Ā)_jj′ + Σ_{t sees j, j′} (a_t or b_t − 1/n_t²)·Γ_o[t, t].
 * The logits' own gradient path adds 2·λ_t·π_t(1 − π_t)·Γ_o[t, t] on the diagonal (query and key
 * paths; Σ_j E[∂S_tj²] = π_t(1 − π_t)·d_h·Γ_o·q_v, exact for uniform weights).
 *
 * @module
 */

/** A T × T symmetric matrix of per-coordinate second moments between positions (row-major). */
export type PositionMoments = Float64Array;

/** Per-query weight moments. */
export interface AttentionWeightMoments {
  readonly n: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** π_t = n_t·a_t. */
  readonly pi: Float64Array;
  readonly lambda: Float64Array;
}

/**
 * The weight moments for value moments `cv` with logit scale c and head width d_h:
 * λ_t = c²·d_h·C_v[t, t]·mean_{j seen by t} C_v[j, j].
 */
export function attentionWeightMoments(
  cv: PositionMoments,
  T: number,
  causal: boolean,
  c: number,
  dh: number,
): AttentionWeightMoments {
  const n = new Float64Array(T);
  const a = new Float64Array(T);
  const b = new Float64Array(T);
  const pi = new Float64Array(T);
  const lambda = new Float64Array(T);
  let prefix = 0;
  let all = 0;
  for (let j = 0; j < T; j++) all += cv[j * T + j]!;
  for (let t = 0; t < T; t++) {
    prefix += cv[t * T + t]!;
    const nt = causal ? t + 1 : T;
    const meanKey = (causal ? prefix : all) / nt;
    const l = c * c * dh * cv[t * T + t]! * meanKey;
    const e = Math.exp(l);
    n[t] = nt;
    a[t] = e / (nt * (e + nt - 1));
    b[t] = 1 / (nt * (e + nt - 1));
    pi[t] = nt * a[t]!;
    lambda[t] = l;
  }
  return { n, a, b, pi, lambda };
}

const sees = (causal: boolean, t: number, j: number): boolean => !causal || j <= t;

/** E[o_t·o_s] from the value moments (see the module notes). */
export function attentionForward(
  cv: PositionMoments,
  T: number,
  causal: boolean,
  w: AttentionWeightMoments,
): PositionMoments {
  // P = Ā·C_v, then Ā·C_v·Āᵀ.
  const p = new Float64Array(T * T);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < T; j++) {
      if (!sees(causal, t, j)) continue;
      for (let k = 0; k < T; k++) p[t * T + k] = p[t * T + k]! + cv[j * T + k]! / w.n[t]!;
    }
  }
  const out = new Float64Array(T * T);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < T; s++) {
      let v = 0;
      for (let k = 0; k < T; k++) if (sees(causal, s, k)) v += p[t * T + k]!;
      out[t * T + s] = v / w.n[s]!;
    }
  }
  for (let t = 0; t < T; t++) {
    let tr = 0;
    for (let j = 0; j < T; j++) if (sees(causal, t, j)) tr += cv[j * T + j]!;
    const tot = out[t * T + t]! * w.n[t]! * w.n[t]!;
    out[t * T + t] = w.a[t]! * tr + w.b[t]! * (tot - tr);
  }
  return out;
}

/** E[∂v_j·∂v_j′] from Γ_o = E[∂o_t·∂o_s], with the logits' path on the diagonal. */
export function attentionBackward(
  go: PositionMoments,
  T: number,
  causal: boolean,
  w: AttentionWeightMoments,
): PositionMoments {
  // Q = Γ_o·Ā, then Āᵀ·Q.
  const q = new Float64Array(T * T);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < T; s++) {
      const g = go[t * T + s]! / w.n[s]!;
      for (let k = 0; k < T; k++) if (sees(causal, s, k)) q[t * T + k] = q[t * T + k]! + g;
    }
  }
  const out = new Float64Array(T * T);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < T; j++) {
      if (!sees(causal, t, j)) continue;
      for (let k = 0; k < T; k++) out[j * T + k] = out[j * T + k]! + q[t * T + k]! / w.n[t]!;
    }
  }
  // Same-query corrections, summed over the queries that see both keys (suffix sums if causal).
  const off = new Float64Array(T + 1);
  const diag = new Float64Array(T + 1);
  for (let t = T - 1; t >= 0; t--) {
    const g = go[t * T + t]!;
    const nn = w.n[t]! * w.n[t]!;
    off[t] = off[t + 1]! + (w.b[t]! - 1 / nn) * g;
    diag[t] = diag[t + 1]! + (w.a[t]! - w.b[t]!) * g;
  }
  for (let j = 0; j < T; j++) {
    for (let k = 0; k < T; k++) {
      const from = causal ? Math.max(j, k) : 0;
      out[j * T + k] = out[j * T + k]! + off[from]! + (j === k ? diag[from]! : 0);
    }
  }
  for (let t = 0; t < T; t++) {
    const p = w.pi[t]!;
    out[t * T + t] = out[t * T + t]! + 2 * w.lambda[t]! * p * (1 - p) * go[t * T + t]!;
  }
  return out;
}
