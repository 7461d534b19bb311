/**
 * `propagate`: a seeded random batch through a deep dense stack, with summaries of every layer
 * (pre-activations, outputs and, with `backward`, their gradients): the numerical experiment behind
 * the chapters. It runs on the network core (`network/run.ts`) with fused dense layers.
 *
 * Network: h⁰ = x (the inputs, batch × n₀), and for layer l = 1 … depth
 *   pre_l = h^{l−1}·W_lᵀ + b_l,  W_l of shape (n_l, n_{l−1}) as in PyTorch,
 *   h^l = φ(pre_l), or h^l = h^s + α·φ(pre_l) when layer l ends a residual block.
 *
 * Residual blocks (`residual` set): layer 1 is always a plain stem. With `branch: 1` (default)
 * every later layer whose width equals its input's is a block x + α·φ(Wx + b). With `branch: 2`
 * layers pair up greedily from layer 2: (l, l+1) form a block x + α·φ(W₂φ(W₁x + b₁) + b₂) when
 * n_{l+1} = n_{l−1}; an unpaired layer is plain. `zeroInitLast` sets the last layer's W and b of
 * every block to 0 after drawing them. Draw order: see `stack.ts`.
 *
 * Losses, always divided by the batch size: 'sum' L = (1/B)·Σ h^depth (so ∂L/∂h^depth = 1/B
 * everywhere); 'mse' L = (1/B)·Σ_b ½‖h^depth_b − t_b‖²; 'readout' L = (1/B)·Σ_b v·h^depth_b with a
 * random readout v independent of the network.
 *
 * Which loss to compare with mean-field theory: the backward prediction assumes the gradient
 * flowing back is independent of the forward weights. An all-ones readout ('sum') breaks that for
 * activations whose derivative depends on the sign of the input (relu and its kin: E[W_ji·φ′(pre_j)]
 * ∝ h_i, so measured gradients grow by about e^0.15 per relu layer above the prediction), and 'mse'
 * feeds the forward output back. A random readout restores the independence (Yang 2020, "Tensor
 * Programs III"); with 'readout', E[(∂L/∂h^depth)²] = 1/B² exactly as for 'sum'.
 *
 * @module
 */
import { createKernels } from '../backend';
import type { DenseCache, DenseDetail } from '../network/layers/dense';
import { lossAndGradient } from '../network/loss';
import { sumSquares, weightRatio } from '../network/norms';
import { backwardSteps, forwardSteps, runContext } from '../network/run';
import { summarize, summaryFromMoments } from '../stats';
import {
  checkBudget,
  validate,
  type LayerResult,
  type Plan,
  type PropagateConfig,
  type PropagateProgress,
  type PropagateResult,
} from './config';
import { buildStack, drawStack, withProgress } from './stack';

/**
 * Propagates step by step: yields progress after each layer of each phase and returns the
 * result. Validation happens immediately (the call throws), not at the first `next()`.
 * @throws EngineInputError for any invalid or over-budget configuration
 */
export function propagateSteps(
  config: PropagateConfig,
): Generator<PropagateProgress, PropagateResult, unknown> {
  const plan = validate(config);
  checkBudget(plan);
  return run(plan);
}

/**
 * Propagates a seeded random batch through the network and summarises every layer.
 * Synchronous and pure: the same config gives the same result.
 * @throws EngineInputError for any invalid or over-budget configuration
 */
export function propagate(config: PropagateConfig): PropagateResult {
  const steps = propagateSteps(config);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

type Building = { -readonly [K in keyof LayerResult]: LayerResult[K] };

function* run(p: Plan): Generator<PropagateProgress, PropagateResult, unknown> {
  const { depth, widths: n, batch: B, options } = p;
  const stack = buildStack(p, true);
  const { params, input: x, lossData } = drawStack(p, stack);
  const ctx = runContext(createKernels(), B, p.backward);
  const input = summarize(x, B, n[0]!, options);
  const layers: Building[] = [];
  const { layerOf } = stack;
  let nonFinite = 0;
  const forward = forwardSteps(stack, params, x, ctx, (node, y, r) => {
    const l = layerOf.get(node.path)!;
    if (node.kind === 'residual') {
      const post = summarize(y, B, n[l]!, { ...options, saturation: 'none' });
      nonFinite += post.nonFinite;
      layers[l - 1]!.post = post;
      return;
    }
    const c = r!.cache as DenseCache;
    const pre = c.preMoments
      ? summaryFromMoments(c.preMoments, B * n[l]!, 'none')
      : summarize(c.pre, B, n[l]!, options);
    const W = params.get(node.path)![0]!;
    const s = p.skipFrom[l] ?? null;
    const layer: Building = {
      layer: l,
      fanIn: n[l - 1]!,
      width: n[l]!,
      skipFrom: s,
      pre,
      post: pre,
      weightMeanSquare: sumSquares(W) / W.length,
    };
    nonFinite += pre.nonFinite;
    if (s === null) {
      const rule = p.act.saturation;
      layer.post = c.postMoments
        ? summaryFromMoments(c.postMoments, B * n[l]!, rule)
        : summarize(y, B, n[l]!, { ...options, saturation: rule });
      nonFinite += layer.post.nonFinite;
    }
    layers[l - 1] = layer;
  });
  const { y, tape } = yield* withProgress('forward', forward, depth);
  if (!p.backward) return { layers, input, nonFinite };
  const { loss, top } = lossAndGradient(p.loss, y, lossData, B, n[depth]!, n[depth]!);
  const backward = backwardSteps(stack, params, tape, top, ctx, (node, g, r) => {
    if (node.kind !== 'leaf' || r === null) return;
    const l = layerOf.get(node.path)!;
    const W = params.get(node.path)![0]!;
    const d = r.detail as DenseDetail;
    const wCount = n[l]! * n[l - 1]!;
    let gNorm: number;
    let s: Pick<LayerResult, 'gradPre' | 'gradPost' | 'gradWeight' | 'gradBias'>;
    if (d.fused) {
      s = {
        gradPre: summaryFromMoments(d.gradPre, g.length, 'none'),
        gradPost: summaryFromMoments(d.gradPost, g.length, 'none'),
        gradWeight: summaryFromMoments(d.gradWeight, wCount, 'none'),
        gradBias: summaryFromMoments(d.gradBias, n[l]!, 'none'),
      };
      gNorm = Math.sqrt(d.gradWeight.squares);
    } else {
      const [gW, gB] = r.grads as [Float32Array, Float32Array];
      s = {
        gradPre: summarize(d.gPre, B, n[l]!, options),
        gradPost: summarize(g, B, n[l]!, options),
        gradWeight: summarize(gW, n[l]!, n[l - 1]!, options),
        gradBias: summarize(gB, 1, n[l]!, options),
      };
      gNorm = Math.sqrt(sumSquares(gW));
    }
    Object.assign(layers[l - 1]!, s, { gradWeightRatio: weightRatio(gNorm, sumSquares(W)) });
  });
  yield* withProgress('backward', backward, depth);
  return { layers, input, loss, nonFinite };
}
