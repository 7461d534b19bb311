/**
 * Predicted weight variances, read from the same {@link InitLaw} that `fillInit` samples from (the
 * recipe states each random law's variance beside its scale), so a figure's theory and the
 * engine's draws cannot drift apart.
 *
 * @module
 */
import { shapeSize } from './fans';
import { initLaw } from './init-recipes';
import type { InitContext, InitLaw, InitSpec } from './init-spec';

/**
 * The variance of the entries a law gives a tensor of `shape`: for independent draws (uniform,
 * normal, truncated, sparse) the variance of each entry; for orthogonal, E[w²] (the mean is 0);
 * for fixed patterns (constant, eye, dirac) the variance across the tensor's entries.
 */
export function lawVariance(law: InitLaw, shape: readonly number[]): number {
  const size = shapeSize('shape', shape);
  const pattern = (ones: number): number => (ones / size) * (1 - ones / size);
  switch (law.kind) {
    case 'uniform':
    case 'normal':
    case 'truncated':
      return law.variance;
    case 'constant':
      return 0;
    case 'eye':
      return pattern(Math.min(law.rows, law.cols));
    case 'dirac': {
      const [outChannels = 0, inChannels = 0] = shape;
      return pattern(law.groups * Math.min(outChannels / law.groups, inChannels));
    }
    case 'orthogonal':
      // Orthonormal rows (or columns): the squares sum to min(rows, cols) exactly.
      return (law.gain * law.gain * Math.min(law.rows, law.cols)) / (law.rows * law.cols);
    case 'sparse':
      return (law.std * law.std * (law.rows - law.zeros)) / law.rows;
  }
}

/**
 * The predicted variance of the weights `initTensor(shape, init, rng, context)` draws, computed
 * from the recipe itself (PyTorch's fans, gains and bounds; JAX's truncation): uniform U(±a) gives
 * a²/3, a truncated normal the variance after truncation, and so on (see {@link lawVariance}).
 *
 * @example initVariance([128, 256], { name: 'torch_default' }) // 1 / (3·256)
 * @throws EngineInputError exactly where `initTensor` would
 */
export function initVariance(
  shape: readonly number[],
  init: InitSpec,
  context?: InitContext,
): number {
  return lawVariance(initLaw(shape, init, context), shape);
}
