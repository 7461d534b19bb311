/**
 * Per-parameter learning-rate multipliers of a training run (μP's per-layer learning rates): the
 * `lrMultipliers` of a {@link TrainConfig}, checked against the network and turned into one factor
 * per parameter array, in the optimizer's order (leaves in description order, each leaf's tensors
 * in declaration order).
 *
 * @module
 */
import type { Leaf } from '../network/layer';
import { EngineInputError } from '../validate';

/**
 * Multipliers by key: a layer path ("0", "3.body.1") scales every tensor of that layer; a path and
 * a parameter name ("4.bias", "3.body.1.weight") scales that tensor alone, and wins over its
 * layer's key. Tensors without a key keep the optimizer's `lr` (factor 1).
 */
export type LrMultipliers = Readonly<Record<string, number>>;

/**
 * One factor per parameter array, or undefined when no multiplier is given (the optimizer then
 * runs exactly as without the option).
 * @throws EngineInputError naming the key for an unknown layer or tensor, or a factor that is not a
 * finite number ≥ 0
 */
export function resolveLrScale(
  leaves: readonly Leaf[],
  multipliers: LrMultipliers | undefined,
): number[] | undefined {
  if (multipliers === undefined) return undefined;
  if (typeof multipliers !== 'object' || multipliers === null || Array.isArray(multipliers)) {
    throw new EngineInputError(
      'lrMultipliers',
      multipliers,
      'an object of factors by layer path or "path.parameter", e.g. { "0": 4, "6.weight": 0.25 }',
    );
  }
  const layer = new Map<string, number>();
  const tensor = new Map<string, number>();
  const names = new Set<string>();
  for (const l of leaves) for (const p of l.params) names.add(`${l.path}.${p.name}`);
  const paths = new Set(leaves.filter((l) => l.params.length > 0).map((l) => l.path));
  for (const [key, value] of Object.entries(multipliers)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new EngineInputError(`lrMultipliers.${key}`, value, 'a finite number ≥ 0');
    }
    if (paths.has(key)) layer.set(key, value);
    else if (names.has(key)) tensor.set(key, value);
    else {
      const all = [...paths];
      const some = all.slice(0, 6).join('", "') + (all.length > 6 ? '", …' : '"');
      throw new EngineInputError(
        `lrMultipliers.${key}`,
        key,
        `the path of a layer with parameters ("${some}) or a path and parameter name such as "${[...names][0] ?? '0.weight'}"`,
      );
    }
  }
  const out: number[] = [];
  for (const l of leaves) {
    for (const p of l.params) {
      out.push(tensor.get(`${l.path}.${p.name}`) ?? layer.get(l.path) ?? 1);
    }
  }
  return out;
}
