/**
 * The finite-width law of a deep ReLU network's second moment across random draws of its weights,
 * the argument of Hanin and Rolnick (2018) carried out exactly for Gaussian weights.
 *
 * One input, M^l = ‖a^l‖²/n for the activations a^l of layer l (width n, no biases), weights i.i.d.
 * N(0, σ_w²/n). Given a^{l−1}, the n pre-activations are i.i.d. N(0, σ_w²·M^{l−1}), so
 *
 *   M^l / M^{l−1} = Y_l = (σ_w²/n)·χ²_K,   K ~ Binomial(n, ½) the number of active units,
 *
 * whatever a^{l−1} was: the factors are independent across layers, ln M^L = ln M^0 + Σ ln Y_l, and
 * the mean and the variance of ln M^L grow linearly in depth. With E[ln χ²_k] = ψ(k/2) + ln 2 and
 * Var[ln χ²_k] = ψ₁(k/2) (digamma, trigamma), averaging over K gives both exactly. K = 0 (every unit
 * negative, probability 2⁻ⁿ per layer) kills the network for good; the law is conditional on K ≥ 1.
 * For wide layers Var(ln Y) → 5/n, the chapter's 5/n_l, and E[ln Y] → ln(σ_w²/2) − 5/(2n); narrow
 * layers spread more (0.42 rather than 5/16 ≈ 0.31 at n = 16): a sum of about n/2 squares has a
 * long left tail on a log scale. For other weight distributions (uniform) the law holds to leading
 * order in 1/n.
 *
 * @module
 */

/** Mean and variance of ln Y for one layer, and the chance that the layer kills the network. */
export interface LogFactorLaw {
  readonly mean: number;
  readonly variance: number;
  /** 2⁻ⁿ: every unit of the layer negative. */
  readonly deathProbability: number;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * ψ(k/2) and ψ₁(k/2) for k = 1 … n, from ψ(½) = −γ − 2 ln 2, ψ(1) = −γ, ψ₁(½) = π²/2, ψ₁(1) = π²/6
 * and the recurrences ψ(x + 1) = ψ(x) + 1/x, ψ₁(x + 1) = ψ₁(x) − 1/x².
 */
export function halfIntegerPolygammas(n: number): { psi: number[]; trigamma: number[] } {
  const psi = [NaN];
  const trigamma = [NaN];
  let odd = { x: 0.5, psi: -EULER_GAMMA - 2 * Math.LN2, trigamma: Math.PI ** 2 / 2 };
  let even = { x: 1, psi: -EULER_GAMMA, trigamma: Math.PI ** 2 / 6 };
  for (let k = 1; k <= n; k++) {
    const at = k % 2 === 1 ? odd : even;
    psi.push(at.psi);
    trigamma.push(at.trigamma);
    const next = {
      x: at.x + 1,
      psi: at.psi + 1 / at.x,
      trigamma: at.trigamma - 1 / at.x ** 2,
    };
    if (k % 2 === 1) odd = next;
    else even = next;
  }
  return { psi, trigamma };
}

/** The law of ln Y = ln(M^l/M^{l−1}) for a ReLU layer of width n with σ_w² = n·Var(w). */
export function logFactorLaw(n: number, sigmaW2: number): LogFactorLaw {
  const { psi, trigamma } = halfIntegerPolygammas(n);
  const alive = 1 - 2 ** -n;
  let logChoose = 0; // ln C(n, k)
  let mean = 0;
  let meanSquare = 0;
  for (let k = 1; k <= n; k++) {
    logChoose += Math.log((n - k + 1) / k);
    const p = Math.exp(logChoose - n * Math.LN2) / alive;
    const m = Math.log(sigmaW2 / n) + psi[k]! + Math.LN2;
    mean += p * m;
    meanSquare += p * (trigamma[k]! + m * m);
  }
  return { mean, variance: meanSquare - mean * mean, deathProbability: 2 ** -n };
}
