/**
 * The network's input: its per-sample shape and how it is drawn (a stated distribution of real
 * values, or uniform token ids).
 *
 * @module
 */
import type { Rng } from '../rng';
import { EngineInputError, finiteNumber, nonNegative, oneOf, positiveInt } from '../validate';
import type { Shape } from './layer';
import type { NetworkInput } from './types';

/** A validated input. */
export type ResolvedInput =
  | {
      readonly shape: Shape;
      readonly kind: 'real';
      readonly distribution: 'normal' | 'uniform' | 'rademacher';
      readonly mean: number;
      readonly std: number;
    }
  | { readonly shape: Shape; readonly kind: 'tokens'; readonly vocab: number };

/** Checks `input` ({ shape, init }). */
export function resolveInput(input: NetworkInput | undefined): ResolvedInput {
  if (typeof input !== 'object' || input === null) {
    throw new EngineInputError('input', input, '{ shape, batch, init? }');
  }
  const raw = input.shape as unknown;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 3) {
    throw new EngineInputError(
      'input.shape',
      raw,
      '[features], [channels, height, width], [steps, features] or [steps] (for tokens)',
    );
  }
  const shape = raw.map((d: unknown, i) => positiveInt(`input.shape[${i}]`, d, 1 << 24));
  const init = (input.init ?? {}) as Record<string, unknown>;
  if (typeof init !== 'object' || init === null) {
    throw new EngineInputError(
      'input.init',
      input.init,
      '{ distribution, mean, std } or { tokens }',
    );
  }
  if ('tokens' in init) {
    const vocab = positiveInt('input.init.tokens', init['tokens'], 1 << 24);
    if (shape.length !== 1) {
      throw new EngineInputError('input.shape', raw, '[steps] for token ids');
    }
    return { shape, kind: 'tokens', vocab };
  }
  return {
    shape,
    kind: 'real',
    distribution: oneOf('input.init.distribution', (init['distribution'] as string) ?? 'normal', [
      'normal',
      'uniform',
      'rademacher',
    ]),
    mean: finiteNumber('input.init.mean', init['mean'] ?? 0),
    std: nonNegative('input.init.std', init['std'] ?? 1),
  };
}

/**
 * Draws `count` input values (row-major): token ids as exact small integers in float32, or values
 * of the stated distribution.
 */
export function drawInputValues(rng: Rng, input: ResolvedInput, count: number): Float32Array {
  const out = new Float32Array(count);
  if (input.kind === 'tokens') {
    for (let i = 0; i < count; i++) out[i] = rng.int(input.vocab);
    return out;
  }
  const { mean, std } = input;
  if (input.distribution === 'normal') return rng.normalArray(out, mean, std);
  if (input.distribution === 'uniform') {
    return rng.uniformArray(out, mean - Math.sqrt(3) * std, mean + Math.sqrt(3) * std);
  }
  for (let i = 0; i < count; i++) out[i] = rng.uniform() < 0.5 ? mean - std : mean + std;
  return out;
}
