/**
 * A small seeded next-token task for transformers: sequences from a fixed random first-order
 * Markov chain over `vocab` tokens, where every token has `branching` distinct successors, each
 * followed with probability 1/branching. The target at step t is the token at step t + 1.
 *
 * Why this chain: the best possible mean cross-entropy is known exactly (the chain's entropy
 * rate, ln(branching) nats per prediction, reached by a model that has learned the table), and
 * a uniform guess scores ln(vocab), so a training curve has both ends marked. Attending to the
 * current token suffices, which a one-block transformer can learn.
 *
 * Draw order from `createRng(seed)`: the successor table (token 0's successors first, each row a
 * partial Fisher–Yates shuffle of 0 … vocab − 1), then each sample's first token (uniform) and its
 * transitions, sample by sample. The table therefore does not depend on `samples` or `seq`.
 *
 * @module
 */
import { createRng } from '../rng';
import { positiveInt } from '../validate';

/** Options of {@link nextTokenTask}. */
export interface NextTokenOptions {
  readonly vocab: number;
  /** Steps per sample (inputs and targets each have `seq` tokens). */
  readonly seq: number;
  readonly samples: number;
  readonly seed: number;
  /** Successors per token, 1 … vocab; default 2. */
  readonly branching?: number;
}

/** The generated task, as plain typed arrays. */
export interface NextTokenTask {
  /** samples × seq token ids (exact integers in float32: a network's `{ tokens: vocab }` input). */
  readonly inputs: Float32Array;
  /** samples × seq targets: targets[s, t] = inputs[s, t + 1], the last one drawn from the chain. */
  readonly targets: Float32Array;
  /** vocab × branching successor table (row v: the tokens that may follow v). */
  readonly successors: Int32Array;
  /** The chain's entropy rate ln(branching), in nats: the lowest achievable mean cross-entropy. */
  readonly optimalLoss: number;
  /** ln(vocab), in nats: the cross-entropy of a uniform guess. */
  readonly uniformLoss: number;
}

/**
 * Generates `samples` sequences of the fixed random Markov chain. Pure: the same options give the
 * same arrays.
 * @throws EngineInputError for a bad option
 */
export function nextTokenTask(o: NextTokenOptions): NextTokenTask {
  const vocab = positiveInt('vocab', o.vocab, 1 << 16);
  const seq = positiveInt('seq', o.seq, 1 << 16);
  const samples = positiveInt('samples', o.samples, 1 << 20);
  const k = positiveInt('branching', o.branching ?? 2, vocab);
  const rng = createRng(o.seed);
  const successors = new Int32Array(vocab * k);
  const pool = new Int32Array(vocab);
  for (let v = 0; v < vocab; v++) {
    for (let i = 0; i < vocab; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(vocab - i);
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
      successors[v * k + i] = pool[i]!;
    }
  }
  const inputs = new Float32Array(samples * seq);
  const targets = new Float32Array(samples * seq);
  for (let s = 0; s < samples; s++) {
    let token = rng.int(vocab);
    for (let t = 0; t < seq; t++) {
      inputs[s * seq + t] = token;
      token = successors[token * k + rng.int(k)]!;
      targets[s * seq + t] = token;
    }
  }
  return { inputs, targets, successors, optimalLoss: Math.log(k), uniformLoss: Math.log(vocab) };
}
