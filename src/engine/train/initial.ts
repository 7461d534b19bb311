/**
 * The initial network of a training run, its first mini-batch, loss and gradients (for gradient
 * checks): built and drawn exactly as the loop (`loop.ts`) does before its first update.
 *
 * @module
 */
import { createKernels } from '../backend';
import { leaves, type Parameters } from '../network/run';
import type { Dataset } from '../tasks';
import { batches } from './batches';
import type { TrainConfig } from './config';
import { prepare, step } from './loop';
import { drawModel, drawOrder } from './model';

/** The initial network, its first mini-batch, loss and gradients: for gradient checks. */
export interface InitialGradients {
  /** Layer widths of the dense stack (inputs first); empty for a description. */
  readonly widths: readonly number[];
  /** The dense stack's W_l and b_l (index 0 unused); empty for a description. */
  readonly params: { readonly W: Float32Array[]; readonly b: Float32Array[] };
  readonly x: Float32Array;
  /** Dataset rows of the batch, in batch order. */
  readonly indices: readonly number[];
  readonly dataset: Dataset;
  readonly loss: number;
  readonly grads: { readonly W: Float32Array[]; readonly b: Float32Array[] };
  /** Every parameter and gradient by layer path, in declaration order. */
  readonly parameters: Parameters;
  readonly gradients: Parameters;
}

/**
 * Builds the network exactly as {@link trainSteps} does and returns the first batch's loss and
 * gradients, before any update.
 * @throws EngineInputError for a bad configuration
 */
export function initialGradients(config: TrainConfig): InitialGradients {
  const r = prepare(config);
  const k = createKernels();
  const params = drawModel(r.plan, r.rng.fork(2), drawOrder(r));
  const idx = batches(r).next().value as number[];
  const s = step(k, r, params, idx);
  const split = (m: Parameters) => {
    const ls = leaves(r.plan).filter((l) => l.type === 'linear');
    return {
      W: [new Float32Array(0), ...ls.map((l) => m.get(l.path)![0]!)],
      b: [new Float32Array(0), ...ls.map((l) => m.get(l.path)![1] ?? new Float32Array(0))],
    };
  };
  const dense = r.dense;
  const widths = dense
    ? [
        r.data.inputs,
        ...leaves(r.plan)
          .filter((l) => l.type === 'linear')
          .map((l) => l.outShape[0]!),
      ]
    : [];
  const none = { W: [], b: [] };
  return {
    widths,
    params: dense ? split(params) : none,
    x: s.x,
    indices: idx,
    dataset: r.data,
    loss: s.loss,
    grads: dense ? split(s.grads) : none,
    parameters: params,
    gradients: s.grads,
  };
}
