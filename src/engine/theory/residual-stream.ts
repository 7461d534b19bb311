/**
 * The residual stream at initialization: the predicted second moment of the stream after every
 * layer of a network description, and of the gradient reaching it, for pre-norm, post-norm and
 * unnormalized residual blocks, with or without a residual scale α (x + α·f(x)).
 *
 * Model: mean field over the random weights (width d → ∞, each weight independent of what it
 * multiplies, zero-mean pre-activations), with the gradient independent of the forward weights
 * (Yang 2020, "Tensor Programs II", for a random readout). The forward state is the T × T matrix
 * C[t, s] = E[x_t·x_s] per coordinate between the positions of a sample (T = 1 for a `[features]`
 * network): attention mixes positions, so they become correlated, and causal attention makes
 * their variances differ. The backward state Γ is the same matrix for ∂L/∂x; every layer maps
 * C forward and Γ (at its output) back to its input:
 *
 * - linear (W: out × in, E[W²] = w, bias second moment b, shared by positions):
 *   C′ = in·w·C + b, Γ_in = out·w·Γ.
 * - activation φ: C′[t, s] = E[φ(z_t)φ(z_s)] for z Gaussian with covariance C (Gaussian
 *   quadrature); Γ_in[t, s] = Γ[t, s]·E[φ′(z_t)φ′(z_s)].
 * - layernorm (γ, β = 0): C′[t, s] = γ²·C[t, s]/(σ_t·σ_s) with σ_t² = C[t, t] + ε, and
 *   Γ_in = (d − 2)/d·γ²·Γ[t, s]/(σ_t·σ_s) (the Jacobian is γ/σ times a projection removing
 *   two of d directions); rmsnorm: (d − 1)/d.
 * - attention: see `attention-moments.ts` (value path with softmax-weight moments, plus the
 *   logits' gradient path); in_proj and out_proj multiply by d·w_in and d·w_out, both biases
 *   being zero at init as PyTorch's.
 * - embedding: C[t, t] = E[W²]; C[t, s] = m² + (E[W²] − m²)/n for n uniform tokens (two
 *   positions hold the same token with probability 1/n); a real input: mean² + std² and mean².
 * - residual x + α·f(x): C′ = C + α²·C_f (the cross term E[x·f] is zero: the branch's last
 *   weights have mean zero and are independent of x); Γ_in = Γ + α²·(f's map of Γ).
 * The output gradient is Γ = I (uncorrelated positions, as the 'readout' loss gives).
 *
 * What follows from these maps, per position (q = C[t, t], G = Γ[t, t]; F = the branch's q-map,
 * B = its backward gain):
 * - Pre-norm, x_{l+1} = x_l + α·f(LN(x_l)): the branch always sees q = 1, so every block adds a
 *   constant c = F(1): q_l = q_0 + l·α²·c, linear growth in depth; α = 1/√N over N branches
 *   (GPT-2's 1/√(2L) for L blocks of two) keeps q_N = q_0 + mean(c) of order one. Backward,
 *   G_l = G_{l+1}·(1 + α²·B(1)/q_l) (the LN divides by σ_l): when B(1) = F(1) this factor is
 *   q_{l+1}/q_l exactly (up to the LayerNorm's (d − 2)/d), so G_l·q_l is constant: the gradient
 *   is largest where the stream is smallest, by q_N/q_0 at most.
 * - Post-norm, x_{l+1} = LN(x_l + α·f(x_l)): the stream is reset to q = 1 every block and the
 *   gradient is multiplied per block by r = (1 + α²·B(1))·(d − 2)/(d·(1 + α²·F(1))), so
 *   G_0 = r^N·G_N: geometric in depth, r = 1 − O(1/d) when B = F (linear branches), below or above
 *   1 as the branch's backward gain is below or above its forward gain.
 * - No norm, homogeneous branches (F(q) = c·q, e.g. linear–ReLU–linear without biases):
 *   q_N = q_0·(1 + α²c)^N grows exponentially; α² = 1/N bounds it by q_0·e^c. The gradient grows
 *   the same way backward, G_0 = G_N·(1 + α²·B)^N.
 *
 * Corrections of relative order 1/d (finite width, the spread of σ over samples) are neglected:
 * simulations agree within a few multiples of 1/√d; attention's weight moments add an error of
 * relative order λ² (λ the logits' variance; λ ≈ 1/4 with PyTorch's init).
 *
 * @module
 */
import { resolveActivation, type Activation } from '../activations';
import { bivariateExpectation, gaussianExpectation } from '../quadrature';
import { buildNetwork } from '../network/build';
import type { Node } from '../network/layer';
import type { AttentionLayer, LayerSpec, NetworkConfig } from '../network/types';
import { EngineInputError } from '../validate';
import {
  attentionBackward,
  attentionForward,
  attentionWeightMoments,
  type PositionMoments,
} from './attention-moments';
import { initSecondMoment } from './init-moments';

/** The prediction at one top-level layer of the description. */
export interface StreamPoint {
  /** The layer's path ("3"). */
  readonly path: string;
  readonly type: LayerSpec['type'];
  /** Predicted E[x²] per coordinate of the layer's output, averaged over positions. */
  readonly stream: number;
  /** Predicted E[x_t·x_s] between two positions t ≠ s of a sample, averaged (0 without). */
  readonly cross: number;
  /**
   * Predicted E[(∂L/∂x)²] per coordinate at the layer's output, averaged over positions and
   * relative to that at the network's output (1 for the last layer), for an output gradient
   * uncorrelated across positions with equal second moments (the 'readout' loss).
   */
  readonly grad: number;
  /** E[x_t²] and E[(∂L/∂x_t)²] (relative) at each position t (one entry without positions). */
  readonly streamByPosition: readonly number[];
  readonly gradByPosition: readonly number[];
}

/** A layer's forward moments and its backward map Γ_out ↦ Γ_in. */
interface Step {
  readonly c: PositionMoments;
  readonly back: (g: PositionMoments) => PositionMoments;
}

const map = (m: PositionMoments, f: (v: number, i: number) => number): PositionMoments =>
  m.map((v, i) => f(v, i));
const diagOf = (m: PositionMoments, T: number): number[] =>
  Array.from({ length: T }, (_, t) => m[t * T + t]!);

function activationStep(act: Activation, c: PositionMoments, T: number): Step {
  const out = new Float64Array(T * T);
  const deriv = new Float64Array(T * T);
  const memo = new Map<string, [number, number]>();
  for (let t = 0; t < T; t++) {
    for (let s = t; s < T; s++) {
      const q1 = c[t * T + t]!;
      const q2 = c[s * T + s]!;
      const r = q1 > 0 && q2 > 0 ? c[t * T + s]! / Math.sqrt(q1 * q2) : 0;
      const key = `${q1},${q2},${t === s ? 'd' : r}`;
      let v = memo.get(key);
      if (v === undefined) {
        v =
          t === s
            ? [
                gaussianExpectation((x) => act.f(x) ** 2, q1, act.kinks),
                gaussianExpectation((x) => act.df(x) ** 2, q1, act.kinks),
              ]
            : [
                bivariateExpectation(act.f, act.f, q1, q2, r, act.kinks, 1e-9),
                bivariateExpectation(act.df, act.df, q1, q2, r, act.kinks, 1e-9),
              ];
        memo.set(key, v);
      }
      out[t * T + s] = out[s * T + t] = v[0];
      deriv[t * T + s] = deriv[s * T + t] = v[1];
    }
  }
  return { c: out, back: (g) => map(g, (v, i) => v * deriv[i]!) };
}

function attentionStep(
  spec: AttentionLayer,
  T: number,
  d: number,
  moment: (name: string) => number,
  c: PositionMoments,
): Step {
  const dh = d / spec.heads;
  const scale = spec.scale === 'linear' ? 1 / dh : 1 / Math.sqrt(dh);
  const causal = spec.causal ?? false;
  // Both biases are zero at init (PyTorch draws out_proj.bias, then zeroes it).
  const wi = d * moment('in_proj_weight');
  const wo = d * moment('out_proj.weight');
  const cv = map(c, (v) => wi * v);
  const w = attentionWeightMoments(cv, T, causal, scale, dh);
  const out = map(attentionForward(cv, T, causal, w), (v) => wo * v);
  return {
    c: out,
    back: (g) =>
      map(
        attentionBackward(
          map(g, (v) => wo * v),
          T,
          causal,
          w,
        ),
        (v) => wi * v,
      ),
  };
}

function leafStep(spec: LayerSpec, node: Node, c: PositionMoments, T: number): Step {
  if (node.kind !== 'leaf') throw new Error('leafStep on a residual');
  const d = node.inShape[node.inShape.length - 1]!;
  const moment = (name: string) => {
    const p = node.params.find((x) => x.name === name);
    return p === undefined ? 0 : initSecondMoment(p.init, p.shape, p.context?.fanIn);
  };
  switch (spec.type) {
    case 'linear': {
      const out = node.outShape[node.outShape.length - 1]!;
      const w = moment('weight');
      const b = moment('bias');
      return { c: map(c, (v) => d * w * v + b), back: (g) => map(g, (v) => out * w * v) };
    }
    case 'activation':
      return activationStep(resolveActivation(spec.name, spec.param), c, T);
    case 'layernorm':
    case 'rmsnorm': {
      const eps = spec.eps ?? (spec.type === 'layernorm' ? 1e-5 : 2 ** -23);
      const g2 = spec.affine === false ? 1 : (spec.gamma ?? 1) ** 2;
      const kept = spec.type === 'layernorm' ? (d - 2) / d : (d - 1) / d;
      const inv = diagOf(c, T).map((q) => 1 / Math.sqrt(q + eps));
      const f = (i: number) => g2 * inv[Math.floor(i / T)]! * inv[i % T]!;
      return {
        c: map(c, (v, i) => f(i) * v),
        back: (g) => map(g, (v, i) => kept * f(i) * v),
      };
    }
    case 'attention':
      return attentionStep(spec, T, d, moment, c);
    default:
      throw new EngineInputError(
        `layers.${node.path}.type`,
        spec.type,
        'linear, activation, layernorm, rmsnorm, attention, embedding or residual (for the theory)',
      );
  }
}

/** Forward through a list of layers; returns the output moments and the list's backward map. */
function chain(
  specs: readonly LayerSpec[],
  nodes: readonly Node[],
  c0: PositionMoments,
  T: number,
): Step {
  let c = c0;
  const backs: ((g: PositionMoments) => PositionMoments)[] = [];
  specs.forEach((spec, i) => {
    const node = nodes[i]!;
    let s: Step;
    if (spec.type === 'residual' && node.kind === 'residual') {
      const body = chain(spec.body, node.body, c, T);
      const a2 = (spec.scale ?? 1) ** 2;
      const inC = c;
      s = {
        c: map(inC, (v, j) => v + a2 * body.c[j]!),
        back: (g) => {
          const inner = body.back(g);
          return map(g, (v, j) => v + a2 * inner[j]!);
        },
      };
    } else {
      s = leafStep(spec, node, c, T);
    }
    c = s.c;
    backs.push(s.back);
  });
  return { c, back: (g) => backs.reduceRight((acc, b) => b(acc), g) };
}

const mean = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
function offMean(m: PositionMoments, T: number): number {
  if (T < 2) return 0;
  let s = 0;
  for (let t = 0; t < T; t++) for (let u = 0; u < T; u++) if (t !== u) s += m[t * T + u]!;
  return s / (T * (T - 1));
}

/**
 * Predicted stream and gradient second moments after every top-level layer of `config` (see the
 * module notes for the model and its closed forms). Covers linear, activation, layernorm,
 * rmsnorm, attention, embedding and residual layers on `[features]` or `[steps, features]`
 * (positions are the steps; a `[features]` input has one position).
 * @throws EngineInputError for a layer or initializer outside the model
 */
export function residualStreamTheory(config: NetworkConfig): StreamPoint[] {
  const plan = buildNetwork(config);
  const input = plan.input;
  const T = input.shape.length >= 2 || input.kind === 'tokens' ? input.shape[0]! : 1;
  const filled = (diag: number, off: number) =>
    Float64Array.from({ length: T * T }, (_, i) => (Math.floor(i / T) === i % T ? diag : off));
  let c: PositionMoments =
    input.kind === 'real'
      ? filled(input.mean ** 2 + input.std ** 2, input.mean ** 2)
      : filled(0, 0);
  const steps: { path: string; type: LayerSpec['type']; c: PositionMoments; back: Step['back'] }[] =
    [];
  config.layers.forEach((spec, i) => {
    const node = plan.nodes[i]!;
    if (spec.type === 'embedding' && node.kind === 'leaf' && input.kind === 'tokens') {
      const p = node.params[0]!;
      const q = initSecondMoment(p.init, p.shape);
      const m = p.init.name === 'normal' ? (p.init.mean ?? 0) : 0;
      // Two positions hold the same token with probability 1/n.
      c = filled(q, m * m + (q - m * m) / input.vocab);
      steps.push({ path: node.path, type: spec.type, c, back: (g) => g });
      return;
    }
    if (node.inShape.length > 2 || (T > 1 && node.inShape.length !== 2)) {
      throw new EngineInputError(
        `layers.${node.path}`,
        `input of shape [${node.inShape.join(', ')}]`,
        'a [features] network or a [steps, features] sequence throughout (for the theory)',
      );
    }
    const s = chain([spec], [node], c, T);
    c = s.c;
    steps.push({ path: node.path, type: spec.type, c, back: s.back });
  });
  const points: StreamPoint[] = new Array(steps.length);
  let g: PositionMoments = filled(1, 0);
  for (let i = steps.length - 1; i >= 0; i--) {
    const st = steps[i]!;
    const sd = diagOf(st.c, T);
    const gd = diagOf(g, T);
    points[i] = {
      path: st.path,
      type: st.type,
      stream: mean(sd),
      cross: offMean(st.c, T),
      grad: mean(gd),
      streamByPosition: sd,
      gradByPosition: gd,
    };
    g = st.back(g);
  }
  return points;
}
