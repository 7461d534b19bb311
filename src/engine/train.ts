/**
 * A seeded training loop for a deep fully connected network on a synthetic task: what an
 * initialization does to the first hundreds of steps.
 *
 * Network: `depth` hidden layers of `width` units, h^l = φ(h^{l−1}·W_lᵀ + b_l), then a linear
 * output layer z = h^depth·W_outᵀ + b_out (W of shape (out, in), as in PyTorch). Loss, averaged over
 * the mini-batch: softmax cross-entropy L = logsumexp(z) − z_y (classification; ∂L/∂z = (p − e_y)/B)
 * or ½‖z − t‖² (regression; ∂L/∂z = (z − t)/B).
 *
 * Random streams, all forked from `createRng(seed)` so that runs differing only in the
 * initialization see the same data and the same batches: fork(1) builds the task, fork(2) draws
 * W_1 … W_out then b_1 … b_out (in that order, like `propagate`), fork(3) shuffles the data at every
 * epoch (Fisher–Yates) and batches are consecutive slices of the shuffled order.
 *
 * A step is non-finite when its loss or any gradient norm is ±∞ or NaN; the run records it and
 * stops there (every later step would be NaN too), so `firstNonFinite` is the step that broke.
 *
 * @module
 */
import { activation as lookup, type Activation } from './activations';
import { initTensor, type InitSpec } from './init';
import { createKernels } from './backend';
import type { Kernels } from './kernels';
import {
  checkOptimizer,
  createOptimizer,
  type OptimizerSpec,
  type ResolvedOptimizer,
} from './optim';
import { createRng, type Rng } from './rng';
import { detExp, detLog } from './special';
import { summarize } from './stats';
import { checkTask, makeTask, type Dataset, type TaskSpec } from './tasks';
import {
  EngineInputError,
  MAX_ELEMENTS,
  checkMemory,
  finiteNumber,
  inRange,
  positiveInt,
} from './validate';

/** Everything {@link trainSteps} needs. */
export interface TrainConfig {
  readonly task: TaskSpec;
  /** Hidden layers (1 … 200). */
  readonly depth: number;
  /** Units per hidden layer. */
  readonly width: number;
  /** Hidden activation (see `ACTIVATIONS`). */
  readonly activation: string;
  readonly activationParam?: number;
  /** Initializer of the hidden weights. */
  readonly weightInit: InitSpec;
  /** Initializer of the output layer's weights; default `weightInit`. */
  readonly outputInit?: InitSpec;
  /** Initializer of every bias; default zeros. */
  readonly biasInit?: InitSpec;
  readonly optimizer: OptimizerSpec;
  /** Mini-batch size (at most the number of samples). */
  readonly batch: number;
  /** Optimizer steps (1 … 100 000). */
  readonly steps: number;
  /** Record metrics at step 1 and every `every` steps (and at the last); default ⌈steps/100⌉. */
  readonly every?: number;
  /** Steps (0 = before training) after which to evaluate the decision grid (classification). */
  readonly snapshots?: readonly number[];
  /** Grid points per side of the decision grid over [−gridExtent, gridExtent]²; default 24. */
  readonly grid?: number;
  /** Half-width of the decision grid; default 1.25 (the spirals lie in the unit disc). */
  readonly gridExtent?: number;
  readonly seed: number;
}

/** Metrics recorded at one step. Per-layer arrays have depth + 1 entries (the output layer last). */
export interface TrainRecord {
  /** 1-based step: metrics of this step's batch and update. */
  readonly step: number;
  /** Mean batch loss over the steps since the previous record (this step's alone at step 1). */
  readonly loss: number;
  /** Share of correctly classified batch samples over the same steps; null for regression. */
  readonly accuracy: number | null;
  /** Whether this step's loss or gradients were non-finite. */
  readonly nonFinite: boolean;
  /** ‖∂L/∂W_l‖_F of this step. */
  readonly gradNorm: number[];
  /** ‖ΔW_l‖_F / ‖W_l‖_F of this step's update (Infinity when W_l was 0 and moved; NaN when broken). */
  readonly updateRatio: number[];
  /** Spread across units of each hidden layer's output on this batch (stats' unitSpread). */
  readonly unitSpread: number[];
}

/** The decision grid after `step` steps: class probabilities at grid × grid points. */
export interface Snapshot {
  readonly step: number;
  /** Point (i, j) is x = −e + (2e)·i/(grid−1), y likewise with j; entries [(j·grid + i)·K + k]. */
  readonly probs: Float32Array;
  /** Loss and accuracy on the whole dataset at that step. */
  readonly loss: number;
  readonly accuracy: number | null;
}

/** Yielded after every step by {@link trainSteps}. */
export interface TrainProgress {
  readonly phase: 'train';
  readonly step: number;
  readonly of: number;
  /** The record made at this step, if any. */
  readonly record?: TrainRecord;
}

/** Result of a run. */
export interface TrainResult {
  readonly records: TrainRecord[];
  /** First step whose loss or gradients were non-finite, or null. */
  readonly firstNonFinite: number | null;
  /** Steps taken (fewer than asked when the run broke). */
  readonly stepsRun: number;
  readonly snapshots: Snapshot[];
  readonly grid: number;
  readonly gridExtent: number;
  /** The task's data (for drawing the points). */
  readonly dataset: Dataset;
  /** Loss and accuracy on the whole dataset after the last step. */
  readonly final: { readonly loss: number; readonly accuracy: number | null };
}

interface Plan {
  dataset: Dataset;
  depth: number;
  widths: number[]; // [inputs, width × depth, outputs]
  act: Activation;
  weightInit: InitSpec;
  outputInit: InitSpec;
  biasInit: InitSpec;
  optimizer: ResolvedOptimizer;
  batch: number;
  steps: number;
  every: number;
  snapshots: Set<number>;
  grid: number;
  gridExtent: number;
  rng: Rng;
}

/** Dry-runs an initializer on a tiny tensor to name bad specs before any work. */
function checkInit(param: string, spec: InitSpec): InitSpec {
  if (typeof spec !== 'object' || spec === null) {
    throw new EngineInputError(param, spec, 'an InitSpec such as { name: "kaiming_normal" }');
  }
  try {
    initTensor(param === 'biasInit' ? [2] : [2, 2], spec, createRng(0), { fanIn: 2 });
  } catch (e) {
    if (!(e instanceof EngineInputError)) throw e;
    const inner = e.param === 'init' ? '' : `.${e.param}`;
    throw new EngineInputError(`${param}${inner}`, e.received, e.allowed);
  }
  return spec;
}

function plan(config: TrainConfig): Plan {
  if (typeof config !== 'object' || config === null) {
    throw new EngineInputError('config', config, 'a TrainConfig object');
  }
  const seed = finiteNumber('seed', config.seed);
  const task = checkTask(config.task);
  const depth = positiveInt('depth', config.depth, 200);
  const width = positiveInt('width', config.width, 4096);
  const act = lookup(config.activation, config.activationParam);
  const weightInit = checkInit('weightInit', config.weightInit);
  const outputInit = checkInit(
    'outputInit',
    config.outputInit === undefined ? weightInit : config.outputInit,
  );
  const biasInit = checkInit(
    'biasInit',
    config.biasInit === undefined ? { name: 'zeros' } : config.biasInit,
  );
  const optimizer = checkOptimizer(config.optimizer);
  const steps = positiveInt('steps', config.steps, 100_000);
  const every = positiveInt('every', config.every ?? Math.ceil(steps / 100), steps);
  const grid = positiveInt('grid', config.grid ?? 24, 200);
  const gridExtent = inRange('gridExtent', config.gridExtent ?? 1.25, 1e-6, 1e6);
  const snaps = config.snapshots ?? [];
  if (!Array.isArray(snaps)) throw new EngineInputError('snapshots', snaps, 'an array of steps');
  snaps.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0 || s > steps) {
      throw new EngineInputError(`snapshots[${i}]`, s, `an integer from 0 to steps = ${steps}`);
    }
  });
  const rng = createRng(seed);
  // Count the data before building it.
  const samples = task.name === 'spirals' ? task.classes * task.samples : task.samples;
  const batch = positiveInt('batch', config.batch, samples);
  const inputs = task.name === 'spirals' ? 2 : task.inputs;
  const outputs = task.name === 'spirals' ? task.classes : task.outputs;
  const widths = [inputs, ...new Array<number>(depth).fill(width), outputs];
  let total = samples * (inputs + outputs);
  for (let l = 1; l < widths.length; l++) {
    checkMemory('width', widths[l]! * widths[l - 1]!);
    // Weights and biases, their gradients and up to two optimizer buffers; activations of a batch.
    total += 4 * (widths[l]! * widths[l - 1]! + widths[l]!) + 4 * batch * widths[l]!;
  }
  if (total > MAX_ELEMENTS) checkMemory(depth > 1 ? 'depth' : 'width', total);
  const dataset = makeTask(task, rng.fork(1));
  return {
    dataset,
    depth,
    widths,
    act,
    weightInit,
    outputInit,
    biasInit,
    optimizer,
    batch,
    steps,
    every,
    snapshots: new Set(dataset.kind === 'classification' ? snaps : []),
    grid,
    gridExtent,
    rng,
  };
}

/** The network's parameters: W[l], b[l] for l = 1 … depth + 1 (index 0 unused). */
interface Params {
  readonly W: Float32Array[];
  readonly b: Float32Array[];
}

function initParams(p: Plan): Params {
  const rng = p.rng.fork(2);
  const n = p.widths;
  const L = n.length - 1;
  const W: Float32Array[] = [new Float32Array(0)];
  const b: Float32Array[] = [new Float32Array(0)];
  for (let l = 1; l <= L; l++) {
    W.push(initTensor([n[l]!, n[l - 1]!], l === L ? p.outputInit : p.weightInit, rng));
  }
  for (let l = 1; l <= L; l++) b.push(initTensor([n[l]!], p.biasInit, rng, { fanIn: n[l - 1]! }));
  return { W, b };
}

/** Activations of one forward pass: h[0] = x, h[l] = φ(pre_l), h[L] = the logits z. */
interface Forward {
  readonly h: Float32Array[];
  readonly deriv: Float32Array[];
}

function forward(
  k: Kernels,
  p: Plan,
  params: Params,
  x: Float32Array,
  rows: number,
  keepDeriv: boolean,
): Forward {
  const n = p.widths;
  const L = n.length - 1;
  const h: Float32Array[] = [x];
  const deriv: Float32Array[] = [new Float32Array(0)];
  for (let l = 1; l <= L; l++) {
    const pre = new Float32Array(rows * n[l]!);
    k.matmul(h[l - 1]!, params.W[l]!, pre, rows, n[l]!, n[l - 1]!);
    if (l === L) {
      k.biasActivation(pre, params.b[l]!, pre, null, rows, n[l]!, LINEAR);
      h.push(pre);
      deriv.push(new Float32Array(0));
      break;
    }
    const d = keepDeriv ? new Float32Array(rows * n[l]!) : null;
    const post = new Float32Array(rows * n[l]!);
    k.biasActivation(pre, params.b[l]!, post, d, rows, n[l]!, p.act);
    h.push(post);
    deriv.push(d ?? new Float32Array(0));
  }
  return { h, deriv };
}

const LINEAR = lookup('linear');

/**
 * Loss of logits `z` (rows × K) against the samples `idx` of the dataset, and ∂L/∂z when `grad`
 * is given; also counts correct classifications.
 */
function lossOf(
  data: Dataset,
  z: Float32Array,
  idx: ArrayLike<number>,
  rows: number,
  grad: Float32Array | null,
): { loss: number; correct: number } {
  const K = data.outputs;
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * K;
    const s = idx[r]!;
    if (data.kind === 'classification') {
      const y = data.labels[s]!;
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
          grad[o + c] = (detExp(z[o + c]! - top) / sum - (c === y ? 1 : 0)) / rows;
        }
      }
    } else {
      for (let c = 0; c < K; c++) {
        const d = z[o + c]! - data.targets[s * K + c]!;
        loss += 0.5 * d * d;
        if (grad) grad[o + c] = d / rows;
      }
    }
  }
  return { loss: loss / rows, correct };
}

/** Gradients of every weight and bias, from ∂L/∂z (backward through the stored forward pass). */
function backward(
  k: Kernels,
  p: Plan,
  params: Params,
  f: Forward,
  top: Float32Array,
  rows: number,
): Params {
  const n = p.widths;
  const L = n.length - 1;
  const gW: Float32Array[] = new Array<Float32Array>(L + 1).fill(new Float32Array(0));
  const gB: Float32Array[] = new Array<Float32Array>(L + 1).fill(new Float32Array(0));
  let gPre = top; // ∂L/∂pre_l, rows × n_l
  for (let l = L; l >= 1; l--) {
    const w = new Float32Array(n[l]! * n[l - 1]!);
    k.matmulGradWeight(gPre, f.h[l - 1]!, w, rows, n[l]!, n[l - 1]!);
    const b = new Float32Array(n[l]!);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < n[l]!; c++) b[c] = b[c]! + gPre[r * n[l]! + c]!;
    }
    gW[l] = w;
    gB[l] = b;
    if (l > 1) {
      const below = new Float32Array(rows * n[l - 1]!);
      k.matmulGradInput(gPre, params.W[l]!, below, rows, n[l]!, n[l - 1]!);
      const d = f.deriv[l - 1]!;
      for (let i = 0; i < below.length; i++) below[i] = below[i]! * d[i]!;
      gPre = below;
    }
  }
  return { W: gW, b: gB };
}

const norm2 = (a: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
};

/** Copies the rows `idx` of a row-major matrix with `cols` columns. */
function gather(src: Float32Array, idx: ArrayLike<number>, rows: number, cols: number) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    out.set(src.subarray(idx[r]! * cols, (idx[r]! + 1) * cols), r * cols);
  return out;
}

/** The decision grid and the whole-dataset loss, for the current parameters. */
function snapshot(k: Kernels, p: Plan, params: Params, step: number): Snapshot {
  const G = p.grid;
  const e = p.gridExtent;
  const pts = new Float32Array(2 * G * G);
  for (let j = 0; j < G; j++) {
    for (let i = 0; i < G; i++) {
      pts[2 * (j * G + i)] = G === 1 ? 0 : -e + (2 * e * i) / (G - 1);
      pts[2 * (j * G + i) + 1] = G === 1 ? 0 : -e + (2 * e * j) / (G - 1);
    }
  }
  const z = forward(k, p, params, pts, G * G, false).h.at(-1)!;
  const K = p.dataset.outputs;
  const probs = new Float32Array(G * G * K);
  for (let r = 0; r < G * G; r++) {
    let top = -Infinity;
    for (let c = 0; c < K; c++) top = Math.max(top, z[r * K + c]!);
    let sum = 0;
    for (let c = 0; c < K; c++) sum += detExp(z[r * K + c]! - top);
    for (let c = 0; c < K; c++) probs[r * K + c] = detExp(z[r * K + c]! - top) / sum;
  }
  return { step, probs, ...evaluate(k, p, params) };
}

/** Loss and accuracy on the whole dataset. */
function evaluate(k: Kernels, p: Plan, params: Params): { loss: number; accuracy: number | null } {
  const d = p.dataset;
  const idx = Array.from({ length: d.samples }, (_, i) => i);
  const z = forward(k, p, params, d.x, d.samples, false).h.at(-1)!;
  const { loss, correct } = lossOf(d, z, idx, d.samples, null);
  return { loss, accuracy: d.kind === 'classification' ? correct / d.samples : null };
}

/**
 * Trains step by step: yields after every step (with the record, when one was made) and returns
 * the full history. Validation happens at the call, not at the first `next()`.
 * @throws EngineInputError for any invalid or over-budget configuration
 */
export function trainSteps(config: TrainConfig): Generator<TrainProgress, TrainResult, void> {
  return run(plan(config));
}

/** Trains to the end at once; see {@link trainSteps}. */
export function train(config: TrainConfig): TrainResult {
  const steps = trainSteps(config);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** The initial network, its first mini-batch, loss and gradients: for gradient checks. */
export interface InitialGradients {
  readonly widths: readonly number[];
  readonly params: Params;
  readonly x: Float32Array;
  /** Dataset rows of the batch, in batch order. */
  readonly indices: readonly number[];
  readonly dataset: Dataset;
  readonly loss: number;
  readonly grads: Params;
}

/**
 * Builds the network exactly as {@link trainSteps} does and returns the first batch's loss and
 * gradients, before any update.
 * @throws EngineInputError for a bad configuration
 */
export function initialGradients(config: TrainConfig): InitialGradients {
  const p = plan(config);
  const k = createKernels();
  const params = initParams(p);
  const idx = batches(p).next().value as number[];
  const x = gather(p.dataset.x, idx, p.batch, p.dataset.inputs);
  const f = forward(k, p, params, x, p.batch, true);
  const top = new Float32Array(p.batch * p.dataset.outputs);
  const { loss } = lossOf(p.dataset, f.h.at(-1)!, idx, p.batch, top);
  const grads = backward(k, p, params, f, top, p.batch);
  return { widths: p.widths, params, x, indices: idx, dataset: p.dataset, loss, grads };
}

/** Endless mini-batches: each epoch a fresh Fisher–Yates shuffle, cut into consecutive slices. */
function* batches(p: Plan): Generator<number[], never, void> {
  const rng = p.rng.fork(3);
  const N = p.dataset.samples;
  const order = Array.from({ length: N }, (_, i) => i);
  let at = N;
  for (;;) {
    const out: number[] = [];
    while (out.length < p.batch) {
      if (at === N) {
        for (let i = N - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        at = 0;
      }
      out.push(order[at++]!);
    }
    yield out;
  }
}

function* run(p: Plan): Generator<TrainProgress, TrainResult, void> {
  const k = createKernels();
  const params = initParams(p);
  const L = p.widths.length - 1;
  const n = p.widths;
  const sizes: number[] = [];
  for (let l = 1; l <= L; l++) sizes.push(params.W[l]!.length, params.b[l]!.length);
  const opt = createOptimizer(p.optimizer, sizes);
  const data = p.dataset;
  const next = batches(p);
  const records: TrainRecord[] = [];
  const snapshots: Snapshot[] = [];
  if (p.snapshots.has(0)) snapshots.push(snapshot(k, p, params, 0));
  let firstNonFinite: number | null = null;
  let windowLoss = 0;
  let windowCorrect = 0;
  let windowSteps = 0;
  let step = 0;
  while (step < p.steps) {
    step += 1;
    const idx = next.next().value as number[];
    const x = gather(data.x, idx, p.batch, data.inputs);
    const f = forward(k, p, params, x, p.batch, true);
    const top = new Float32Array(p.batch * data.outputs);
    const { loss, correct } = lossOf(data, f.h[L]!, idx, p.batch, top);
    const g = backward(k, p, params, f, top, p.batch);
    const gradNorm: number[] = [];
    for (let l = 1; l <= L; l++) gradNorm.push(Math.sqrt(norm2(g.W[l]!)));
    const broken = !Number.isFinite(loss) || gradNorm.some((v) => !Number.isFinite(v));
    windowLoss += loss;
    windowCorrect += correct;
    windowSteps += 1;
    const recordNow = broken || step === 1 || step % p.every === 0 || step === p.steps;
    const updateRatio: number[] = [];
    if (!broken) {
      for (let l = 1; l <= L; l++) {
        const w = Math.sqrt(norm2(params.W[l]!));
        const dw = Math.sqrt(opt.update(2 * (l - 1), params.W[l]!, g.W[l]!, step));
        opt.update(2 * (l - 1) + 1, params.b[l]!, g.b[l]!, step);
        updateRatio.push(w > 0 ? dw / w : dw > 0 ? Infinity : 0);
      }
    } else {
      for (let l = 1; l <= L; l++) updateRatio.push(NaN);
    }
    let record: TrainRecord | undefined;
    if (recordNow) {
      const unitSpread: number[] = [];
      for (let l = 1; l < L; l++) {
        unitSpread.push(summarize(f.h[l]!, p.batch, n[l]!, { detail: 'moments' }).unitSpread);
      }
      record = {
        step,
        loss: windowLoss / windowSteps,
        accuracy: data.kind === 'classification' ? windowCorrect / (windowSteps * p.batch) : null,
        nonFinite: broken,
        gradNorm,
        updateRatio,
        unitSpread,
      };
      records.push(record);
      windowLoss = 0;
      windowCorrect = 0;
      windowSteps = 0;
    }
    if (broken) {
      firstNonFinite = step;
      yield { phase: 'train', step, of: p.steps, ...(record ? { record } : {}) };
      break;
    }
    if (p.snapshots.has(step)) snapshots.push(snapshot(k, p, params, step));
    yield { phase: 'train', step, of: p.steps, ...(record ? { record } : {}) };
  }
  return {
    records,
    firstNonFinite,
    stepsRun: step,
    snapshots,
    grid: p.grid,
    gridExtent: p.gridExtent,
    dataset: data,
    final: evaluate(k, p, params),
  };
}
