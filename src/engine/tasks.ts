/**
 * Small synthetic training tasks, made in code from a seed:
 * - `spirals`: K interleaved 2-D spiral arms, one class each (classification, cross-entropy);
 * - `teacher`: inputs N(0, I) and the outputs of a fixed random teacher network (regression);
 * - `delay`: sequences of N(0, I) vectors, each step's target the input `delay` steps before
 *   (regression over time, for recurrent networks);
 * - `next_token`: token sequences of a fixed random Markov chain, each step's label the next token
 *   (classification at every step, for transformers).
 *
 * Only exact IEEE operations are used (the spiral's sine and cosine come from {@link sinCos}, a
 * Taylor series after exact range reduction), so a seed gives the same data in every browser.
 *
 * @module
 */
import { initTensor } from './init';
import type { Rng } from './rng';
import { delayTask } from './tasks/delay';
import { nextTokenTask } from './tasks/next-token';
import { EngineInputError, inRange, nonNegative, oneOf, positiveInt } from './validate';

/** Which task, with its options (defaults in brackets). */
export type TaskSpec =
  /** classes [2], samples per class [256], noise: std of the angle jitter in radians [0.15], turns [1.25]. */
  | {
      name: 'spirals';
      classes?: number | undefined;
      samples?: number | undefined;
      noise?: number | undefined;
      turns?: number | undefined;
    }
  /** inputs [8], teacher hidden width [16] (tanh), outputs [1], samples [512]. */
  | {
      name: 'teacher';
      inputs?: number | undefined;
      hidden?: number | undefined;
      outputs?: number | undefined;
      samples?: number | undefined;
    }
  /**
   * steps [20], delay [5], features [4], samples [512]: output at every step the input read `delay`
   * steps earlier (regression over the steps t ≥ delay; see `delayTask`).
   */
  | {
      name: 'delay';
      steps?: number | undefined;
      delay?: number | undefined;
      features?: number | undefined;
      samples?: number | undefined;
    }
  /**
   * vocab [16], seq [16], samples [512], branching [2]: predict the next token of a fixed random
   * Markov chain at every step (classification per step; see `nextTokenTask`).
   */
  | {
      name: 'next_token';
      vocab?: number | undefined;
      seq?: number | undefined;
      samples?: number | undefined;
      branching?: number | undefined;
    };

/** A task with every option filled in. */
export type ResolvedTask =
  | { name: 'spirals'; classes: number; samples: number; noise: number; turns: number }
  | { name: 'teacher'; inputs: number; hidden: number; outputs: number; samples: number }
  | { name: 'delay'; steps: number; delay: number; features: number; samples: number }
  | { name: 'next_token'; vocab: number; seq: number; samples: number; branching: number };

/** A dataset: `x` is samples × inputs (row-major); `labels` (classification) or `targets`. */
export interface Dataset {
  readonly kind: 'classification' | 'regression';
  readonly samples: number;
  readonly inputs: number;
  /** Classes (classification) or target dimensions (regression): the network's output width. */
  readonly outputs: number;
  readonly x: Float32Array;
  /**
   * Class of each sample (classification only; otherwise empty), or of each step of each sample
   * (samples × steps, for sequence tasks).
   */
  readonly labels: Uint8Array | Int32Array;
  /** samples × outputs targets (regression only; otherwise empty). */
  readonly targets: Float32Array;
  /** Per-sample input shape when it is not `[inputs]` (e.g. `[steps, features]` or `[steps]`). */
  readonly shape?: readonly number[];
  /** Vocabulary size when the inputs are token ids. */
  readonly tokens?: number;
  /**
   * Regression over sequences: 1 for each (sample, step) whose target counts, 0 for one left out of
   * the loss (samples × steps).
   */
  readonly mask?: Uint8Array;
}

const TWO_PI = 2 * Math.PI;

/**
 * sin t and cos t from exact operations only: t is reduced to [−π, π] and the Taylor series is
 * summed to convergence (error below 1e−15 on that range).
 */
export function sinCos(t: number): [number, number] {
  const r = t - TWO_PI * Math.round(t / TWO_PI);
  const r2 = r * r;
  let s = r;
  let c = 1;
  let ts = r;
  let tc = 1;
  for (let k = 1; k <= 14; k++) {
    ts *= -r2 / ((2 * k) * (2 * k + 1)); // prettier-ignore
    tc *= -r2 / ((2 * k - 1) * (2 * k)); // prettier-ignore
    s += ts;
    c += tc;
  }
  return [s, c];
}

/** Checks a task spec (every field) and fills in the defaults. */
export function checkTask(spec: TaskSpec): ResolvedTask {
  if (typeof spec !== 'object' || spec === null) {
    throw new EngineInputError(
      'task',
      spec,
      "{ name: 'spirals' | 'teacher' | 'delay' | 'next_token', … }",
    );
  }
  const name = oneOf('task.name', spec.name, ['spirals', 'teacher', 'delay', 'next_token']);
  if (name === 'next_token') {
    const n = spec as Extract<TaskSpec, { name: 'next_token' }>;
    const vocab = positiveInt('task.vocab', n.vocab ?? 16, 4096);
    return {
      name,
      vocab,
      seq: positiveInt('task.seq', n.seq ?? 16, 1024),
      samples: positiveInt('task.samples', n.samples ?? 512, 100_000),
      branching: positiveInt('task.branching', n.branching ?? 2, vocab),
    };
  }
  if (name === 'delay') {
    const d = spec as Extract<TaskSpec, { name: 'delay' }>;
    const steps = positiveInt('task.steps', d.steps ?? 20, 1000);
    const delay = d.delay ?? Math.min(5, steps - 1);
    if (!Number.isInteger(delay) || delay < 0 || delay >= steps) {
      throw new EngineInputError(
        'task.delay',
        d.delay,
        `an integer from 0 to steps − 1 = ${steps - 1}`,
      );
    }
    return {
      name,
      steps,
      delay,
      features: positiveInt('task.features', d.features ?? 4, 256),
      samples: positiveInt('task.samples', d.samples ?? 512, 100_000),
    };
  }
  if (name === 'spirals') {
    const s = spec as Extract<TaskSpec, { name: 'spirals' }>;
    return {
      name,
      classes: positiveInt('task.classes', s.classes ?? 2, 10),
      samples: positiveInt('task.samples', s.samples ?? 256, 100_000),
      noise: nonNegative('task.noise', s.noise ?? 0.15),
      turns: inRange('task.turns', s.turns ?? 1.25, 0, 10),
    };
  }
  const t = spec as Extract<TaskSpec, { name: 'teacher' }>;
  return {
    name,
    inputs: positiveInt('task.inputs', t.inputs ?? 8, 1024),
    hidden: positiveInt('task.hidden', t.hidden ?? 16, 1024),
    outputs: positiveInt('task.outputs', t.outputs ?? 1, 64),
    samples: positiveInt('task.samples', t.samples ?? 512, 100_000),
  };
}

/**
 * Builds the dataset of a task from `rng`.
 *
 * Spirals: for class k and i = 0 … N−1, radius r = (i + ½)/N and angle
 * θ = 2πk/K + 2π·turns·r + noise·ε (ε ~ N(0, 1)); the point is r·(sin θ, cos θ), inside the unit disc.
 * Teacher: x ~ N(0, I); y = W₂·tanh(W₁x) with W₁ Xavier-normal (gain 5/3, tanh's) and W₂ LeCun-normal
 * (variance 1/hidden), so targets have variance of order 1.
 * @throws EngineInputError for a bad spec
 */
export function makeTask(spec: TaskSpec, rng: Rng): Dataset {
  const s = checkTask(spec);
  if (s.name === 'next_token') {
    const t = nextTokenTask({ ...s, seed: rng.nextUint32() });
    return {
      kind: 'classification',
      samples: s.samples,
      inputs: s.seq,
      outputs: s.vocab,
      x: t.inputs,
      labels: Int32Array.from(t.targets),
      targets: new Float32Array(0),
      shape: [s.seq],
      tokens: s.vocab,
    };
  }
  if (s.name === 'delay') {
    const d = delayTask({ ...s, seed: rng.nextUint32() });
    const size = s.steps * s.features;
    return {
      kind: 'regression',
      samples: s.samples,
      inputs: size,
      outputs: size,
      x: d.inputs,
      labels: new Uint8Array(0),
      targets: d.targets,
      shape: [s.steps, s.features],
      mask: d.mask,
    };
  }
  if (s.name === 'spirals') {
    const { classes: K, samples: N, noise, turns } = s;
    const x = new Float32Array(2 * K * N);
    const labels = new Uint8Array(K * N);
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < N; i++) {
        const r = (i + 0.5) / N;
        const theta = (TWO_PI * k) / K + TWO_PI * turns * r + noise * rng.normal();
        const [sin, cos] = sinCos(theta);
        const j = k * N + i;
        x[2 * j] = r * sin;
        x[2 * j + 1] = r * cos;
        labels[j] = k;
      }
    }
    return {
      kind: 'classification',
      samples: K * N,
      inputs: 2,
      outputs: K,
      x,
      labels,
      targets: new Float32Array(0),
    };
  }
  const { inputs, hidden, outputs, samples } = s;
  const w1 = initTensor([hidden, inputs], { name: 'xavier_normal', gain: 5 / 3 }, rng);
  const w2 = initTensor([outputs, hidden], { name: 'lecun_normal' }, rng);
  const x = rng.normalArray(new Float32Array(samples * inputs));
  const targets = new Float32Array(samples * outputs);
  const h = new Float64Array(hidden);
  for (let n = 0; n < samples; n++) {
    for (let j = 0; j < hidden; j++) {
      let z = 0;
      for (let i = 0; i < inputs; i++) z += w1[j * inputs + i]! * x[n * inputs + i]!;
      h[j] = Math.tanh(z);
    }
    for (let o = 0; o < outputs; o++) {
      let y = 0;
      for (let j = 0; j < hidden; j++) y += w2[o * hidden + j]! * h[j]!;
      targets[n * outputs + o] = y;
    }
  }
  return {
    kind: 'regression',
    samples,
    inputs,
    outputs,
    x,
    labels: new Uint8Array(0),
    targets,
  };
}
