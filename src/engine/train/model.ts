/**
 * The network a training run optimizes, on the one core every network runs on: the plan built
 * from the description (or the dense stack), its parameters drawn, and the task's loss.
 *
 * Parameter draws come from the run's fork(2) stream: for the dense stack in its historical order
 * (W_1 … W_out, then b_1 … b_out, like `propagate`), for a description in module order; on
 * PyTorch's stream in PyTorch's order (each layer's constructor draws, then the initializers).
 *
 * @module
 */
import { buildNetwork, type NetworkPlan } from '../network/build';
import { sizeOf } from '../network/layer';
import type { Parameters } from '../network/run';
import { drawParameters } from '../network/run';
import type { LayerSpec } from '../network/types';
import type { Rng } from '../rng';
import { detExp, detLog } from '../special';
import type { Dataset } from '../tasks';
import { EngineInputError } from '../validate';

/** The per-sample input shape of a dataset. */
export const inputShape = (d: Dataset): number[] => [...(d.shape ?? [d.inputs])];

/** Predictions per sample: one, or one per step for sequence tasks. */
export const predictionsPerSample = (d: Dataset): number =>
  d.kind === 'classification' ? d.labels.length / d.samples : 1;

/**
 * Builds the plan for `layers` on `dataset`, checking the output fits the task, with the budget
 * checked for the largest batch the run will push (mini-batch, whole dataset or decision grid).
 */
export function buildModel(
  layers: readonly LayerSpec[],
  dataset: Dataset,
  largestBatch: number,
  seed: number,
): NetworkPlan {
  const shape = inputShape(dataset);
  const plan = buildNetwork({
    input: {
      shape,
      batch: largestBatch,
      ...(dataset.tokens === undefined ? {} : { init: { tokens: dataset.tokens } }),
    },
    layers,
    seed,
    backward: true,
  });
  const out = plan.outShape;
  const want =
    dataset.kind === 'classification'
      ? predictionsPerSample(dataset) * dataset.outputs
      : dataset.outputs;
  const lastAxis = out[out.length - 1]!;
  if (sizeOf(out) !== want || (dataset.kind === 'classification' && lastAxis !== dataset.outputs)) {
    throw new EngineInputError(
      'layers',
      `a network whose output has shape [${out.join(', ')}]`,
      dataset.kind === 'classification'
        ? `an output whose last axis holds the task's ${dataset.outputs} classes (${want} values per sample)`
        : `an output of ${want} values per sample, the task's targets`,
    );
  }
  return plan;
}

/** The draw order of a run: PyTorch's on its stream, else the dense stack's or module order. */
export function drawOrder(r: {
  readonly dense: boolean;
  readonly o: { readonly stream: 'initbook' | 'torch' };
}): DrawOrder {
  if (r.o.stream === 'torch') return 'torch';
  return r.dense ? 'weights-then-biases' : 'module';
}

/**
 * Draws the parameters: module order, the dense stack's weights-then-biases order, or PyTorch's
 * (every constructor's default draw, then the chosen initializers).
 */
export function drawModel(
  plan: NetworkPlan,
  rng: Rng,
  order: DrawOrder,
): Map<string, Float32Array[]> {
  return drawParameters(plan, rng, order);
}

type DrawOrder = 'module' | 'weights-then-biases' | 'torch';

/** Every tensor of `params` in leaf and declaration order. */
export function tensors(params: Parameters): Float32Array[] {
  return [...params.values()].flat();
}

/**
 * Loss of outputs `z` against the samples `idx`, and ∂L/∂z into `grad` when given; counts correct
 * predictions. Classification: softmax cross-entropy over each row of K logits, averaged over the
 * rows × predictions; regression: ½‖z − t‖² per sample (over the steps its mask keeps),
 * averaged over the rows.
 */
export function taskLoss(
  data: Dataset,
  z: Float32Array,
  idx: ArrayLike<number>,
  rows: number,
  grad: Float32Array | null,
): { loss: number; correct: number } {
  const K = data.outputs;
  let loss = 0;
  let correct = 0;
  if (data.kind === 'classification') {
    const P = predictionsPerSample(data);
    const n = rows * P;
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < P; q++) {
        const o = (r * P + q) * K;
        const y = data.labels[idx[r]! * P + q]!;
        let top = -Infinity;
        let best = 0;
        for (let c = 0; c < K; c++) {
          if (z[o + c]! > top) {
            top = z[o + c]!;
            best = c;
          }
        }
        let sum = 0;
        for (let c = 0; c < K; c++) sum += detExp(z[o + c]! - top);
        loss += top + detLog(sum) - z[o + y]!;
        if (best === y) correct += 1;
        if (grad) {
          for (let c = 0; c < K; c++) {
            grad[o + c] = (detExp(z[o + c]! - top) / sum - (c === y ? 1 : 0)) / n;
          }
        }
      }
    }
    return { loss: loss / n, correct };
  }
  // A mask leaves steps out: entry c of a sample belongs to step ⌊c / (K / steps)⌋.
  const mask = data.mask;
  const steps = mask === undefined ? 1 : mask.length / data.samples;
  const per = K / steps;
  for (let r = 0; r < rows; r++) {
    const o = r * K;
    const s = idx[r]!;
    for (let c = 0; c < K; c++) {
      const keep = mask === undefined || mask[s * steps + Math.floor(c / per)] === 1;
      const d = keep ? z[o + c]! - data.targets[s * K + c]! : 0;
      loss += 0.5 * d * d;
      if (grad) grad[o + c] = d / rows;
    }
  }
  return { loss: loss / rows, correct };
}
