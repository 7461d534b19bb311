/**
 * Mean-field theory for the engine's residual stacks, layer by layer (the block structure is the one
 * `propagate` builds; see its module notes). Square layers only, as the depth figure draws them.
 *
 * Forward, with the mean kept. Let Q_l = E[(h^l)²] and M_l = E[h^l] for layer l's output, starting
 * from the inputs (Q_0 = E[x²], M_0 = 0). A layer's pre-activation W_l·h^{l−1} + b_l has fresh
 * zero-mean weights, so it is N(0, q_l) with q_l = σ_w²·Q_{l−1} + σ_b², whatever the mean of
 * h^{l−1}. A plain layer outputs φ(pre): Q_l = E[φ²], M_l = E[φ] (expectations at N(0, q_l)).
 * A block end adds its branch to the skip input h^s, h^l = h^s + α·φ(pre_l). Its weights are
 * independent of h^s, so E[h^s·φ(pre_l)] = M_s·E[φ] and
 *
 *   Q_l = Q_s + 2α·M_s·E[φ] + α²·E[φ²],   M_l = M_s + α·E[φ].
 *
 * The cross term is what a zero-mean argument ("the second moments add, so each block doubles")
 * drops: a ReLU branch has E[φ] > 0, so the stream's mean and the cross term grow together. For He
 * weights and ReLU the per-block factor 2 + 2·(M_s/√Q_s)/√π settles at about 2.90.
 * A zeroed last layer (σ_w² = σ_b² = 0 there) has q_l = 0, and the branch adds the constant α·φ(0):
 * nothing for ReLU and tanh, a drift for sigmoid or softplus.
 *
 * Backward, under gradient independence (as `meanField`), relative to the last layer's output:
 * G_l = E[(∂L/∂h^l)²] and P_l = E[(∂L/∂pre_l)²] = s_l²·G_l·E[φ′²] with s_l = α at a block end and
 * 1 elsewhere. P_l reaches h^{l−1} through W_lᵀ as σ_w²·P_l, and a block end also passes G_l
 * unchanged to its skip source; gradients have mean zero, so the two add. Where q_l = 0 the
 * derivative is taken at 0 exactly, as autograd does (relu′(0) = 0: a zeroed layer before a ReLU
 * passes back nothing).
 *
 * Where the gradient prediction fails. Gradient independence drops the part of ∂L/∂x that lies along
 * the forward signal x itself, a 1/n share at the top. For a positively homogeneous network (ReLU, no
 * biases) Euler's theorem pins that part exactly: ⟨∂L/∂x^l, x^l⟩ = L at every layer, so its second
 * moment grows towards the input at the forward rate of the stream. When the stream grows faster
 * than the predicted gradient (He + ReLU, two-layer branches: ×2.9 against ×2 per block) that part
 * overtakes the rest after roughly ln n / ln(2.9/2) blocks, for any width, and the measured gradients
 * climb above the line. Activations that grow like ReLU for large inputs (GELU, ELU, softplus, …)
 * do the same; bounded ones (tanh, sigmoid) do not, and linear branches grow at equal rates.
 * {@link gradientTheoryHolds} encodes this, and the figure draws no gradient line where it fails.
 *
 * @module
 */
import { resolveActivation } from '../../engine/activations';
import { gaussianExpectation } from '../../engine/quadrature';

export interface StackTheoryConfig {
  readonly activation: string;
  /** n·Var(w) of every random layer. */
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  /** Per layer (index 0 = layer 1): the layer whose output is added back, or null; from propagate. */
  readonly skipFrom: readonly (number | null)[];
  /** Branch scale α. */
  readonly alpha: number;
  /** The last layer of every branch has W = 0 and b = 0. */
  readonly zeroInitLast: boolean;
  /** E[x²] of the inputs; default 1. */
  readonly inputSecondMoment?: number;
}

/** Per layer, index 0 = layer 1. Gradients are relative to E[(∂L/∂h^depth)²] = 1. */
export interface StackTheory {
  readonly pre: number[];
  readonly post: number[];
  readonly postMean: number[];
  readonly gradPre: number[];
  readonly gradPost: number[];
}

/** Second moments by layer of a (possibly residual) stack; see the module notes. */
export function stackTheory(c: StackTheoryConfig): StackTheory {
  const a = resolveActivation(c.activation);
  const depth = c.skipFrom.length;
  const zeroed = (l: number): boolean => c.zeroInitLast && c.skipFrom[l - 1] !== null;
  const w2 = (l: number): number => (zeroed(l) ? 0 : c.sigmaW2);
  const b2 = (l: number): number => (zeroed(l) ? 0 : c.sigmaB2);
  const E = (g: (x: number) => number, q: number): number => gaussianExpectation(g, q, a.kinks);

  // Index 0 holds the inputs, index l layer l.
  const Q = [c.inputSecondMoment ?? 1];
  const M = [0];
  const q: number[] = [NaN];
  for (let l = 1; l <= depth; l++) {
    const ql = w2(l) * Q[l - 1]! + b2(l);
    q.push(ql);
    const mean = E(a.f, ql);
    const meanSquare = E((x) => a.f(x) ** 2, ql);
    const s = c.skipFrom[l - 1] ?? null;
    if (s === null) {
      Q.push(meanSquare);
      M.push(mean);
    } else {
      Q.push(Q[s]! + 2 * c.alpha * M[s]! * mean + c.alpha ** 2 * meanSquare);
      M.push(M[s]! + c.alpha * mean);
    }
  }

  const G = new Array<number>(depth + 1).fill(0);
  const P = new Array<number>(depth + 1).fill(0);
  G[depth] = 1;
  for (let l = depth; l >= 1; l--) {
    const s = c.skipFrom[l - 1] ?? null;
    const scale = s === null ? 1 : c.alpha;
    P[l] = scale ** 2 * G[l]! * E((x) => a.df(x) ** 2, q[l]!);
    G[l - 1] = G[l - 1]! + w2(l) * P[l]!;
    if (s !== null) G[s] = G[s]! + G[l]!;
  }
  return {
    pre: q.slice(1),
    post: Q.slice(1),
    postMean: M.slice(1),
    gradPre: P.slice(1),
    gradPost: G.slice(1),
  };
}

/**
 * Whether the gradient prediction holds for a residual stack whose stream grows by `forward` per
 * block while the predicted gradient grows by `backward` per block towards the input: yes for bounded
 * activations, and otherwise only while the forward rate does not exceed the backward one.
 */
export function gradientTheoryHolds(
  activation: string,
  forward: number,
  backward: number,
): boolean {
  const a = resolveActivation(activation);
  const bounded = Math.abs(a.f(1e6)) < 1e3;
  return bounded || !(forward > backward * (1 + 1e-9));
}

/** Stream positions: layer 1 (the stem) and every block end, as 1-based layer numbers. */
export function streamLayers(skipFrom: readonly (number | null)[]): number[] {
  return [1, ...skipFrom.flatMap((s, i) => (s === null ? [] : [i + 1]))];
}
