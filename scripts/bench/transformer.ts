/**
 * The transformer preset (pre-norm, real `[seq, dModel]` input, no positional embedding) forward
 * and backward twice: on the engine, and on TensorFlow.js's WebAssembly backend with the engine's
 * own drawn parameters, inputs and readout, so the two compute the same loss and gradients.
 *
 * tfjs runs explicit ops with a hand-written backward (`tf.grads` cannot run in Node here: see
 * scripts/bench/tfjs.ts). Every product is untransposed, as there: weights are uploaded both as W
 * and as Wᵀ, and the left factors of the weight gradients, Kᵀ, Vᵀ, Aᵀ and ∂Sᵀ are transposed
 * explicitly first, because tfjs-wasm's transpose-flag products are about ten times slower.
 * Both sides take the moments of every node's output and of the gradient reaching it (the
 * engine's `summarize(…, { detail: 'moments' })`, tfjs's `tf.moments`), node for node.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Kernels } from '../../src/engine/kernels.ts';
import { buildNetwork, type NetworkPlan } from '../../src/engine/network/build.ts';
import { drawInputValues } from '../../src/engine/network/input.ts';
import { sizeOf, type Node } from '../../src/engine/network/layer.ts';
import { drawLossData, lossAndGradient } from '../../src/engine/network/loss.ts';
import {
  backwardNetwork,
  drawParameters,
  forwardNetwork,
  leaves,
  runContext,
  type Parameters,
} from '../../src/engine/network/run.ts';
import { transformer, type TransformerOptions } from '../../src/engine/presets/transformer.ts';
import { createRng } from '../../src/engine/rng.ts';
import { summarize } from '../../src/engine/stats.ts';

/** The issue's network: 12 pre-norm blocks, d_model 256, 4 heads, 64 steps, batch 8, GPT-2 init. */
const issue = { layers: 12, dModel: 256, heads: 4, seq: 64, batch: 8 };
export const TRANSFORMER: TransformerOptions = { ...issue, norm: 'pre', init: 'gpt2' };

/** The `--quick` (and unit-test) size. */
const tiny = { layers: 2, dModel: 32, heads: 2, seq: 8, batch: 2 };
export const TINY_TRANSFORMER: TransformerOptions = { ...TRANSFORMER, ...tiny };

/** The network's plan with what `propagateNetwork` would draw for it from its seed. */
export interface DrawnTransformer {
  readonly options: TransformerOptions;
  readonly plan: NetworkPlan;
  readonly params: Parameters;
  /** Input, batch × seq × dModel. */
  readonly x: Float32Array;
  /** The readout v of loss 'readout' (seq × dModel). */
  readonly readout: Float32Array;
}

/** Builds the preset and draws parameters, inputs and readout in `propagateNetwork`'s order. */
export function drawTransformer(options: TransformerOptions): DrawnTransformer {
  const plan = buildNetwork({ ...transformer(options), backward: true, loss: 'readout' });
  const rng = createRng(plan.seed);
  const params = drawParameters(plan, rng);
  const x = drawInputValues(rng, plan.input, plan.batch * sizeOf(plan.input.shape));
  const size = sizeOf(plan.outShape);
  const readout = drawLossData('readout', rng, plan.batch, size, plan.outShape.at(-1)!);
  return { options, plan, params, x, readout };
}

/**
 * GFLOP of the products (2 per multiply-add) of one forward pass: per block the Q/K/V and output
 * projections 2·N·d·4d (N = batch·seq rows), the scores Q·Kᵀ and A·V 2·2·B·T²·d (full T × T, as
 * both implementations compute them) and the MLP 2·2·N·d·m·d. The backward pass is twice that.
 */
export function transformerForwardGflop(o: TransformerOptions): number {
  const B = o.batch ?? 8;
  const m = o.mlpRatio ?? 4;
  const rows = B * o.seq;
  const d = o.dModel;
  const block = 2 * rows * d * 4 * d + 4 * B * o.seq * o.seq * d + 4 * rows * d * m * d;
  return (o.layers * block) / 1e9;
}

/** What one forward+backward returns, for the cross-check. */
export interface PassResult {
  readonly loss: number;
  /** ‖∂L/∂x‖² over the input. */
  readonly gradInputSquare: number;
  /** Mean square of ∂L/∂in_proj_weight of the first attention. */
  readonly firstWeightGrad: number;
  /** Sum of every taken mean and variance (keeps the statistics live). */
  readonly check: number;
}

const squares = (a: Float32Array): number => a.reduce((s, v) => s + v * v, 0);

/**
 * The engine's forward and backward on pre-drawn parameters, with the moments of every node's
 * output and output gradient (what `propagateNetwork` summarises per layer, minus parameters).
 * Uses whatever `summarize` runs on under the current kernel preference.
 */
export function engineTransformerPass(t: DrawnTransformer, kernels: Kernels): PassResult {
  const { plan, params } = t;
  const B = plan.batch;
  const ctx = runContext(kernels, B, true);
  let check = 0;
  const take = (_n: Node, a: Float32Array): void => {
    const s = summarize(a, B, a.length / B, { detail: 'moments' });
    check += s.mean + s.variance;
  };
  const { y, tape } = forwardNetwork(plan, params, t.x, ctx, take);
  const size = sizeOf(plan.outShape);
  const lg = lossAndGradient('readout', y, t.readout, B, size, plan.outShape.at(-1)!);
  const { grads, gx } = backwardNetwork(plan, params, tape, lg.top, ctx, take);
  const first = leaves(plan).find((l) => l.type === 'attention')!;
  const gwi = grads.get(first.path)![first.params.findIndex((p) => p.name === 'in_proj_weight')]!;
  return {
    loss: lg.loss,
    gradInputSquare: squares(gx!),
    firstWeightGrad: squares(gwi) / gwi.length,
    check,
  };
}

type T2 = tf.Tensor2D;
type Norm = { readonly gamma: tf.Tensor1D; readonly beta: tf.Tensor1D };
/** A Linear: W (out × in) for ∂x = ∂y·W, Wᵀ for the forward y = x·Wᵀ + b. */
type Dense = { readonly w: T2; readonly wT: T2; readonly b: tf.Tensor1D };
type Block = { readonly ln1: Norm; readonly inProj: Dense; readonly outProj: Dense };
type Mlp = { readonly ln2: Norm; readonly fc1: Dense; readonly fc2: Dense };

/** The network on tfjs: parameters, input, ∂L/∂y = v/B per sample and the causal mask. */
export interface TfjsTransformer {
  readonly o: Required<Pick<TransformerOptions, 'batch' | 'seq' | 'dModel' | 'heads'>>;
  readonly blocks: readonly (Block & Mlp)[];
  readonly final: Norm;
  readonly x: T2;
  readonly top: T2;
  readonly mask: tf.Tensor2D;
  /** Every uploaded tensor, for {@link disposeTfjsTransformer}. */
  readonly all: readonly tf.Tensor[];
}

/**
 * Uploads the drawn network once (outside any timing).
 * @throws Error unless the plan is the pre-norm preset with α = 1 and 1/√d_h logits (not μP)
 */
export function tfjsTransformer(t: DrawnTransformer): TfjsTransformer {
  const { plan, params, options: o } = t;
  if (o.norm !== 'pre' || o.init === 'mup' || (o.residualScale ?? 1) !== 1 || o.vocab) {
    throw new Error('transformer bench: pre-norm, α = 1, no vocabulary, not μP');
  }
  const [T, d] = plan.input.shape as [number, number];
  const B = plan.batch;
  const p = (n: Node): readonly Float32Array[] => params.get(n.path) ?? [];
  const expect = (n: Node | undefined, type: string): Node => {
    if (n?.type !== type) throw new Error(`transformer bench: expected ${type} at ${n?.path}`);
    return n;
  };
  const all: tf.Tensor[] = [];
  const up = <X extends tf.Tensor>(x: X): X => (all.push(x), x);
  const norm = (n: Node | undefined): Norm => {
    const [g, b] = p(expect(n, 'layernorm'));
    return { gamma: up(tf.tensor1d(g!)), beta: up(tf.tensor1d(b!)) };
  };
  const dense = (w: Float32Array, b: Float32Array, out: number): Dense => {
    const wt = up(tf.tensor2d(w, [out, w.length / out]));
    return { w: wt, wT: up(tf.transpose(wt)), b: up(tf.tensor1d(b)) };
  };
  const body = (n: Node | undefined): readonly Node[] => (n?.kind === 'residual' ? n.body : []);
  const blocks: (Block & Mlp)[] = [];
  const L = o.layers;
  for (let l = 0; l < L; l++) {
    const [ln1, att] = body(plan.nodes[2 * l]);
    const [ln2, fc1, gelu, fc2] = body(plan.nodes[2 * l + 1]);
    const [wo, bo, wi, bi] = p(expect(att, 'attention'));
    const [w1, b1] = p(expect(fc1, 'linear'));
    const [w2, b2] = p(expect(fc2, 'linear'));
    expect(gelu, 'activation');
    blocks.push({
      ...{ ln1: norm(ln1), inProj: dense(wi!, bi!, 3 * d), outProj: dense(wo!, bo!, d) },
      ...{ ln2: norm(ln2), fc1: dense(w1!, b1!, b1!.length), fc2: dense(w2!, b2!, d) },
    });
  }
  const size = T * d;
  const top = Float32Array.from({ length: B * size }, (_, i) => t.readout[i % size]! / B);
  const causal = o.causal ?? true;
  const mask = Float32Array.from({ length: T * T }, (_, i) =>
    causal && i % T > Math.floor(i / T) ? -Infinity : 0,
  );
  return {
    o: { batch: B, seq: T, dModel: d, heads: o.heads },
    blocks,
    final: norm(plan.nodes[2 * L]),
    x: up(tf.tensor2d(t.x, [B * T, d])),
    top: up(tf.tensor2d(top, [B * T, d])),
    mask: up(tf.tensor2d(mask, [T, T])),
    all,
  };
}

/** Frees the uploaded tensors. */
export function disposeTfjsTransformer(m: TfjsTransformer): void {
  tf.dispose([...m.all]);
}

const linear = (x: T2, l: Dense): T2 => tf.add(tf.matMul(x, l.wT), l.b);
/** ∂x of a Linear, with its ∂W = ∂yᵀ·x and ∂b computed (and left to the enclosing tidy). */
function linearBack(gy: T2, x: T2, l: Dense, keep?: tf.Tensor[]): T2 {
  const gw = tf.matMul(tf.transpose(gy), x);
  keep?.push(gw);
  tf.sum(gy, 0);
  return tf.matMul(gy, l.w);
}

function layerNorm(x: T2, n: Norm): { y: T2; xhat: T2; rstd: T2 } {
  const { mean, variance } = tf.moments(x, 1, true);
  const rstd = tf.rsqrt(tf.add(variance, 1e-5)) as T2;
  const xhat = tf.mul(tf.sub(x, mean), rstd) as T2;
  return { y: tf.add(tf.mul(xhat, n.gamma), n.beta), xhat, rstd };
}

/** ∂x = r·(g − mean(g) − x̂·mean(g·x̂)) with g = ∂y·γ; ∂γ, ∂β computed too. */
function layerNormBack(gy: T2, c: { xhat: T2; rstd: T2 }, n: Norm): T2 {
  const g = tf.mul(gy, n.gamma);
  tf.sum(tf.mul(gy, c.xhat), 0);
  tf.sum(gy, 0);
  const centred = tf.sub(g, tf.mean(g, 1, true));
  return tf.mul(c.rstd, tf.sub(centred, tf.mul(c.xhat, tf.mean(tf.mul(g, c.xhat), 1, true))));
}

/**
 * Forward and backward of the tfjs network with `tf.moments` of every node's output and output
 * gradient, read back once; returns the cross-check values.
 * @param exact - reduce the loss and the two squared norms in float64 on the host (downloads the
 *   output, ∂L/∂x and one weight gradient) rather than with float32 `tf.sum`, whose rounding over
 *   10⁵ terms is itself about 1e-5: for the cross-check, not for timing
 */
export function tfjsTransformerPass(m: TfjsTransformer, exact = false): PassResult {
  const { batch: B, seq: T, dModel: d, heads: H } = m.o;
  const dh = d / H;
  const c = 1 / Math.sqrt(dh);
  const rows = B * T;
  /** [rows, d] → heads [B·H, T, d_h]; with `kt`, transposed per head to [B·H, d_h, T]. */
  const split = (x: T2, kt = false): tf.Tensor3D => {
    const perHead = tf.transpose(tf.reshape(x, [B, T, H, dh]), kt ? [0, 2, 3, 1] : [0, 2, 1, 3]);
    return tf.reshape(perHead, kt ? [B * H, dh, T] : [B * H, T, dh]);
  };
  const merge = (x: tf.Tensor3D): T2 =>
    tf.reshape(tf.transpose(tf.reshape(x, [B, H, T, dh]), [0, 2, 1, 3]), [rows, d]);
  const flip = (x: tf.Tensor3D): tf.Tensor3D => tf.transpose(x, [0, 2, 1]);
  return tf.tidy(() => {
    const stats: tf.Tensor[] = [];
    const take = (...xs: tf.Tensor[]): void => {
      for (const x of xs) {
        const { mean, variance } = tf.moments(x);
        stats.push(tf.keep(mean), tf.keep(variance)); // freed after the read-back
      }
    };
    type Tape = Record<string, tf.Tensor>;
    const tapes: Tape[] = [];
    let h = m.x;
    for (const b of m.blocks) {
      const tape = tf.tidy((): Tape => {
        const n1 = layerNorm(h, b.ln1);
        const [q2, k2, v2] = tf.split(linear(n1.y, b.inProj), 3, 1) as [T2, T2, T2];
        const [q, k, v] = [split(q2), split(k2), split(v2)];
        const s = tf.add(tf.mul(tf.matMul(q, split(k2, true)), c), m.mask);
        const a = tf.softmax(s) as tf.Tensor3D;
        const concat = merge(tf.matMul(a, v));
        const att = linear(concat, b.outProj);
        const mid = tf.add(h, att) as T2;
        const n2 = layerNorm(mid, b.ln2);
        const z1 = linear(n2.y, b.fc1);
        const phi = tf.mul(tf.add(tf.erf(tf.mul(z1, Math.SQRT1_2)), 1), 0.5);
        const g = tf.mul(z1, phi) as T2;
        const z2 = linear(g, b.fc2);
        const out = tf.add(mid, z2) as T2;
        take(n1.y, att, mid, n2.y, z1, g, z2, out);
        const { xhat: x1, rstd: r1 } = n1;
        const { xhat: x2, rstd: r2 } = n2;
        return { x1, r1, y1: n1.y, q, k, v, a, concat, x2, r2, y2: n2.y, z1, phi, g, out };
      });
      tapes.push(tape);
      h = tape['out'] as T2;
    }
    const fin = layerNorm(h, m.final);
    take(fin.y);
    const loss = tf.sum(tf.mul(fin.y, m.top));
    take(m.top);
    let g = layerNormBack(m.top, fin, m.final);
    let firstGrad: tf.Tensor | null = null;
    for (let l = m.blocks.length - 1; l >= 0; l--) {
      const b = m.blocks[l]!;
      const t = tapes[l]! as Record<string, T2> & Record<'q' | 'k' | 'v' | 'a', tf.Tensor3D>;
      const gy = g;
      [g, firstGrad] = tf.tidy((): [T2, tf.Tensor] => {
        take(gy, gy); // the residual's output, then its last leaf's
        const gg = linearBack(gy, t['g']!, b.fc2);
        take(gg);
        const ck = { xhat: t['x2']!, rstd: t['r2']! };
        const z1 = t['z1']!;
        const pdf = tf.mul(tf.exp(tf.mul(tf.square(z1), -0.5)), 1 / Math.sqrt(2 * Math.PI));
        const gz1 = tf.mul(gg, tf.add(t['phi']!, tf.mul(z1, pdf))) as T2;
        take(gz1);
        const gn2 = linearBack(gz1, t['y2']!, b.fc1);
        take(gn2);
        const gmid = tf.add(gy, layerNormBack(gn2, ck, b.ln2)) as T2;
        take(gmid, gmid);
        const gconcat = linearBack(gmid, t['concat']!, b.outProj);
        const go = split(gconcat);
        const a = t['a'];
        const gv = tf.matMul<tf.Tensor3D>(flip(a), go);
        const ga = tf.matMul(go, flip(t['v']));
        const gs = tf.mul(tf.mul(a, tf.sub(ga, tf.sum(tf.mul(a, ga), -1, true))), c) as tf.Tensor3D;
        const gq = tf.matMul<tf.Tensor3D>(gs, t['k']);
        const gk = tf.matMul<tf.Tensor3D>(flip(gs), t['q']);
        const gqkv = tf.concat([merge(gq), merge(gk), merge(gv)], 1);
        const gwi: tf.Tensor[] = [];
        const gn1 = linearBack(gqkv, t['y1']!, b.inProj, gwi);
        take(gn1);
        const gx = tf.add(gmid, layerNormBack(gn1, { xhat: t['x1']!, rstd: t['r1']! }, b.ln1));
        return [gx as T2, gwi[0]!];
      });
    }
    const gw = firstGrad!;
    const [lossValue, gin, gms, check] = tf
      .stack([loss, tf.sum(tf.square(g)), tf.mean(tf.square(gw)), tf.sum(tf.stack(stats))])
      .dataSync();
    tf.dispose(stats);
    if (!exact)
      return { loss: lossValue!, gradInputSquare: gin!, firstWeightGrad: gms!, check: check! };
    const [y, top, gx, gwi] = [fin.y, m.top, g, gw].map((t) => t.dataSync() as Float32Array);
    return {
      loss: y!.reduce((s, v, i) => s + v * top![i]!, 0),
      gradInputSquare: squares(gx!),
      firstWeightGrad: squares(gwi!) / gwi!.length,
      check: check!,
    };
  });
}
