/**
 * The delay (copy) task for recurrent networks, made in code from a seed: the network reads a
 * sequence of random vectors and must output, at every step t, the input it read `delay` steps
 * earlier. It needs memory of exactly `delay` steps, so it probes how far gradients (and
 * information) travel through time.
 *
 * @module
 */
import { createRng } from '../rng';
import { EngineInputError, finiteNumber, positiveInt } from '../validate';

/** Options of {@link delayTask}. */
export interface DelayTaskOptions {
  /** Sequence length T. */
  readonly steps: number;
  /** d, from 0 (copy the current input) to T − 1. */
  readonly delay: number;
  /** Entries of each step's input vector. */
  readonly features: number;
  /** Sequences. */
  readonly samples: number;
  readonly seed: number;
}

/** A delay-task dataset: every array row-major over (sample, step, feature) or (sample, step). */
export interface DelayTask {
  readonly samples: number;
  readonly steps: number;
  readonly features: number;
  readonly delay: number;
  /** samples × steps × features, i.i.d. N(0, 1) drawn in that (row-major) order. */
  readonly inputs: Float32Array;
  /** samples × steps × features: targets[s, t] = inputs[s, t − delay] for t ≥ delay, else 0. */
  readonly targets: Float32Array;
  /** samples × steps: 1 where the target is defined (t ≥ delay), 0 before (exclude from the loss). */
  readonly mask: Uint8Array;
}

/**
 * Draws a delay task: inputs x[s, t, :] ~ N(0, I) from `createRng(seed)` in row-major order; the
 * target at step t is the input at step t − delay (the zero vector, masked out, for t < delay).
 * A mean-squared error over the masked steps is the natural loss; predicting zero scores 1 per
 * entry (the inputs' variance), so the loss relative to 1 reads as the fraction not remembered.
 * @throws EngineInputError for a bad size or a delay outside 0 … steps − 1
 */
export function delayTask(options: DelayTaskOptions): DelayTask {
  if (typeof options !== 'object' || options === null) {
    throw new EngineInputError('options', options, '{ steps, delay, features, samples, seed }');
  }
  const steps = positiveInt('steps', options.steps, 1 << 20);
  const features = positiveInt('features', options.features, 1 << 20);
  const samples = positiveInt('samples', options.samples, 1 << 24);
  const d = options.delay;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d >= steps) {
    throw new EngineInputError('delay', d, `an integer from 0 to steps − 1 = ${steps - 1}`);
  }
  const seed = finiteNumber('seed', options.seed);
  const size = samples * steps * features;
  if (size > 1 << 27) {
    throw new EngineInputError('samples', samples, 'fewer samples·steps·features (at most 2^27)');
  }
  const inputs = createRng(seed).normalArray(new Float32Array(size));
  const targets = new Float32Array(size);
  const mask = new Uint8Array(samples * steps);
  const F = features;
  for (let s = 0; s < samples; s++) {
    for (let t = d; t < steps; t++) {
      const to = (s * steps + t) * F;
      targets.set(inputs.subarray(to - d * F, to - d * F + F), to);
      mask[s * steps + t] = 1;
    }
  }
  return { samples, steps, features, delay: d, inputs, targets, mask };
}
