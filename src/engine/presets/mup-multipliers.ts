/**
 * μP's per-tensor learning rates for any network description (Yang et al. 2022, "Tensor
 * Programs V: Tuning Large Neural Networks via Zero-Shot Hyperparameter Transfer", Table 3), as
 * the `lrMultipliers` a training run takes, relative to a base width b (m = width/b, so μP equals
 * SP at the base width).
 *
 * Each tensor is one of Table 3's kinds, by where its fans grow with width:
 * - input weights (fan_in fixed, fan_out ∝ width: an embedding table, or a linear/conv reading the
 *   network's input) and every vector-like tensor (biases, normalization gains and offsets);
 * - hidden weights (both fans ∝ width: attention projections, inner linears, recurrent matrices);
 * - output weights (fan_out fixed: the last linear layer, the readout).
 *
 * | kind   | SGD | Adam |
 * |--------|-----|------|
 * | input / vector-like | m | 1 |
 * | hidden | 1 | 1/m |
 * | output | 1/m | 1/m |
 * | the output layer's bias (fan_out fixed) | 1 | 1 |
 *
 * The initialization is the description's own business (e.g. `transformer({ init: 'mup' })`).
 *
 * @module
 */
import { buildNetwork, flatNodes } from '../network/build';
import type { Leaf } from '../network/layer';
import type { NetworkConfig } from '../network/types';
import type { LrMultipliers } from '../train/multipliers';
import { EngineInputError, oneOf } from '../validate';

/** Table 3's kind of a tensor. */
export type MupTensorKind = 'input' | 'hidden' | 'output' | 'vector' | 'output-vector';

/** Options of {@link mupMultipliers}. */
export interface MupMultiplierOptions {
  readonly optimizer: 'sgd' | 'adam';
  /** The description's width divided by the base width, m (> 0). */
  readonly widthRatio: number;
}

/** Every tensor's kind, keyed "path.parameter" as `lrMultipliers` takes them. */
export function mupTensorKinds(config: NetworkConfig): Map<string, MupTensorKind> {
  const plan = buildNetwork({ ...config, backward: false });
  const leaves = flatNodes(plan.nodes).filter(
    (n): n is Leaf => n.kind === 'leaf' && n.params.length > 0,
  );
  const kinds = new Map<string, MupTensorKind>();
  const weighted = leaves.filter((l) => l.params.some((p) => p.shape.length >= 2));
  const first = weighted[0];
  const last = weighted[weighted.length - 1];
  for (const leaf of leaves) {
    for (const p of leaf.params) {
      let kind: MupTensorKind;
      if (p.shape.length < 2) kind = leaf === last ? 'output-vector' : 'vector';
      else if (leaf.type === 'embedding' || (leaf === first && leaf.type !== 'attention')) {
        kind = leaf === last ? 'output' : 'input';
      } else if (leaf === last && leaf.type !== 'attention') kind = 'output';
      else kind = 'hidden';
      kinds.set(`${leaf.path}.${p.name}`, kind);
    }
  }
  return kinds;
}

/**
 * The learning-rate factor of every tensor under μP, for `train`'s `lrMultipliers`.
 * @throws EngineInputError for a bad description, optimizer or width ratio
 */
export function mupMultipliers(config: NetworkConfig, o: MupMultiplierOptions): LrMultipliers {
  const opt = oneOf('optimizer', o.optimizer, ['sgd', 'adam']);
  const m = o.widthRatio;
  if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0) {
    throw new EngineInputError('widthRatio', m, 'a positive number (width / base width)');
  }
  const table: Record<MupTensorKind, number> =
    opt === 'sgd'
      ? { input: m, vector: m, hidden: 1, output: 1 / m, 'output-vector': 1 }
      : { input: 1, vector: 1, hidden: 1 / m, output: 1 / m, 'output-vector': 1 };
  const out: Record<string, number> = {};
  for (const [key, kind] of mupTensorKinds(config)) out[key] = table[kind];
  return out;
}
