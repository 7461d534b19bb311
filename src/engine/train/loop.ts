/**
 * A seeded training loop for any network on a synthetic task: what an initialization does to the
 * first hundreds of steps.
 *
 * Random streams, all forked from `createRng(seed)` so that runs differing only in the
 * initialization see the same data and the same batches: fork(1) builds the task, fork(2) draws
 * the parameters (see `model.ts` for the order), fork(3) shuffles the data at every epoch
 * (Fisher–Yates) and batches are consecutive slices of the shuffled order.
 *
 * On PyTorch's stream (`stream: 'torch'`) each fork n is `torch.Generator().manual_seed(
 * torchForkSeed(seed, 0, n))` (the parent draws nothing), the parameters are drawn as PyTorch
 * builds `nn.Linear` layers and then re-initializes them, and each epoch's order is a fresh
 * `torch.randperm(samples, generator=g3)`:
 *
 * ```python
 * torch.manual_seed(torchForkSeed(seed, 0, 1)); data = task()      # the task's draws
 * torch.manual_seed(torchForkSeed(seed, 0, 2)); model = nn.Sequential(nn.Linear(…), …)
 * for layer in linears: weight_init_(layer.weight); bias_init_(layer.bias)
 * g3 = torch.Generator().manual_seed(torchForkSeed(seed, 0, 3))  # epoch: torch.randperm(N, generator=g3)
 * ```
 *
 * A step is non-finite when its loss or any gradient norm is ±∞ or NaN; the run records it and
 * stops there (every later step would be NaN too), so `firstNonFinite` is the step that broke.
 *
 * @module
 */
import { createKernels } from '../backend';
import { batches, gather } from './batches';
import type { Kernels } from '../kernels';
import type { NetworkPlan } from '../network/build';
import { sumSquares, weightRatio } from '../network/norms';
import {
  backwardNetwork,
  forwardNetwork,
  leaves,
  type ForwardObserver,
  runContext,
  type Parameters,
} from '../network/run';
import { createOptimizer } from '../optim';
import { resolveLrScale } from './multipliers';
import { createRng, type Rng } from '../rng';
import { detExp } from '../special';
import { summarize } from '../stats';
import { makeTask, type Dataset } from '../tasks';
import { EngineInputError, MAX_ELEMENTS, checkMemory } from '../validate';
import {
  checkOptions,
  denseLayers,
  type Snapshot,
  type TrainConfig,
  type TrainOptions,
  type TrainProgress,
  type TrainRecord,
  type TrainResult,
} from './config';
import {
  buildModel,
  drawModel,
  drawOrder,
  inputShape,
  predictionsPerSample,
  taskLoss,
  tensors,
} from './model';

/** A checked run: options, data, network and generator. */
export interface Run {
  readonly o: TrainOptions;
  readonly data: Dataset;
  readonly plan: NetworkPlan;
  readonly rng: Rng;
  readonly dense: boolean;
  /** One learning-rate factor per parameter array, or undefined (none given). */
  readonly lrScale: number[] | undefined;
}

/**
 * Reads the network between steps (internal; the coordinate check's hook): called with step 0
 * once the parameters are drawn, then after each step's update (not after a step that broke).
 * `forward` runs the current network on `rows` inputs `x` without training state, calling
 * `observe` with each layer's output; `data` is the run's dataset.
 */
export type StepObserver = (
  step: number,
  forward: (x: Float32Array, rows: number, observe: ForwardObserver) => void,
  data: Dataset,
) => void;

/** Checks a configuration and builds its data and network (draws nothing). */
export function prepare(config: TrainConfig): Run {
  const o = checkOptions(config, (t) => (t.name === 'spirals' ? t.classes * t.samples : t.samples));
  const rng = createRng(
    o.seed,
    o.stream === 'torch' ? { stream: 'torch', normalKernel: o.normalKernel } : {},
  );
  const dense = config.layers === undefined;
  const t = o.task;
  if (dense && (t.name === 'delay' || t.name === 'next_token')) {
    const preset = t.name === 'delay' ? 'the rnn or lstm' : 'the transformer';
    throw new EngineInputError(
      'layers',
      undefined,
      `a network description for the '${t.name}' task (e.g. ${preset} preset's layers)`,
    );
  }
  const outputs = t.name === 'spirals' ? t.classes : t.name === 'teacher' ? t.outputs : 0;
  // The dense stack is checked (and its budget counted) before the data is made.
  const layers = dense ? denseLayers(config, outputs) : config.layers!;
  if (dense) {
    const inputs = t.name === 'spirals' ? 2 : t.name === 'teacher' ? t.inputs : 0;
    const samples = t.name === 'spirals' ? t.classes * t.samples : t.samples;
    const w = config.width!;
    const widths = [inputs, ...new Array<number>(config.depth!).fill(w), outputs];
    let total = samples * (inputs + outputs);
    for (let l = 1; l < widths.length; l++) {
      checkMemory('width', widths[l]! * widths[l - 1]!);
      total += 4 * (widths[l]! * widths[l - 1]! + widths[l]!) + 4 * o.batch * widths[l]!;
    }
    if (total > MAX_ELEMENTS) checkMemory(config.depth! > 1 ? 'depth' : 'width', total);
  }
  const data = makeTask(t, rng.fork(1));
  const gridRows = data.kind === 'classification' && o.snapshots.length > 0 ? o.grid * o.grid : 0;
  const plan = buildModel(layers, data, Math.max(o.batch, data.samples, gridRows), o.seed);
  const lrScale = resolveLrScale(leaves(plan), config.lrMultipliers);
  return { o, data, plan, rng, dense, lrScale };
}

/** The network's output for `rows` inputs, without keeping anything for a backward pass. */
function outputs(k: Kernels, r: Run, params: Parameters, x: Float32Array, rows: number) {
  return forwardNetwork(r.plan, params, x, runContext(k, rows, false)).y;
}

/** Loss and accuracy on the whole dataset. */
function evaluate(
  k: Kernels,
  r: Run,
  params: Parameters,
): { loss: number; accuracy: number | null } {
  const d = r.data;
  const idx = Array.from({ length: d.samples }, (_, i) => i);
  const { loss, correct } = taskLoss(
    d,
    outputs(k, r, params, d.x, d.samples),
    idx,
    d.samples,
    null,
  );
  const n = d.samples * predictionsPerSample(d);
  return { loss, accuracy: d.kind === 'classification' ? correct / n : null };
}

/** The decision grid (2-D inputs only) and the whole-dataset loss, for the current parameters. */
function snapshot(k: Kernels, r: Run, params: Parameters, step: number): Snapshot {
  const G = r.o.grid;
  const e = r.o.gridExtent;
  const K = r.data.outputs;
  const probs = new Float32Array(G * G * K);
  if (r.data.inputs === 2 && inputShape(r.data).length === 1) {
    const pts = new Float32Array(2 * G * G);
    for (let j = 0; j < G; j++) {
      for (let i = 0; i < G; i++) {
        pts[2 * (j * G + i)] = G === 1 ? 0 : -e + (2 * e * i) / (G - 1);
        pts[2 * (j * G + i) + 1] = G === 1 ? 0 : -e + (2 * e * j) / (G - 1);
      }
    }
    const z = outputs(k, r, params, pts, G * G);
    for (let q = 0; q < G * G; q++) {
      let top = -Infinity;
      for (let c = 0; c < K; c++) top = Math.max(top, z[q * K + c]!);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += detExp(z[q * K + c]! - top);
      for (let c = 0; c < K; c++) probs[q * K + c] = detExp(z[q * K + c]! - top) / sum;
    }
  }
  return { step, probs, ...evaluate(k, r, params) };
}

/** One mini-batch through the network and back: loss, correct count, gradients and the tape. */
export function step(k: Kernels, r: Run, params: Parameters, idx: number[]) {
  const B = r.o.batch;
  const cols = r.data.x.length / r.data.samples;
  const x = gather(r.data.x, idx, B, cols);
  const ctx = runContext(k, B, true);
  const f = forwardNetwork(r.plan, params, x, ctx);
  const top = new Float32Array(f.y.length);
  const { loss, correct } = taskLoss(r.data, f.y, idx, B, top);
  const { grads } = backwardNetwork(r.plan, params, f.tape, top, ctx);
  return { x, loss, correct, grads, tape: f.tape };
}

/**
 * Trains step by step: yields after every step (with the record, when one was made) and returns
 * the full history. Validation happens at the call, not at the first `next()`.
 * @throws EngineInputError for any invalid or over-budget configuration
 */
export function trainSteps(config: TrainConfig): Generator<TrainProgress, TrainResult, void> {
  return loop(prepare(config));
}

/**
 * {@link train} with a {@link StepObserver} reading the network before the first step and after
 * every step (internal: the coordinate check runs on it, so there is one training loop).
 * @throws EngineInputError for any invalid or over-budget configuration
 */
export function trainObserved(config: TrainConfig, observer: StepObserver): TrainResult {
  const steps = loop(prepare(config), observer);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** Trains to the end at once; see {@link trainSteps}. */
export function train(config: TrainConfig): TrainResult {
  const steps = trainSteps(config);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

function* loop(r: Run, observer?: StepObserver): Generator<TrainProgress, TrainResult, void> {
  const k = createKernels();
  const params = drawModel(r.plan, r.rng.fork(2), drawOrder(r));
  const all = leaves(r.plan);
  const weighted = all.filter((l) => l.params.some((p) => p.main === true));
  const mainIndex = weighted.map((l) => l.params.findIndex((p) => p.main === true));
  const activations = all.filter((l) => l.type === 'activation');
  const flat = tensors(params);
  const opt = createOptimizer(
    r.o.optimizer,
    flat.map((t) => t.length),
    r.lrScale,
  );
  const look = (t: number): void =>
    observer?.(
      t,
      (x, rows, observe) => {
        forwardNetwork(r.plan, params, x, runContext(k, rows, false), observe);
      },
      r.data,
    );
  // Index of each leaf's first tensor in the optimizer's list.
  const base = new Map<string, number>();
  let at = 0;
  for (const l of all) {
    base.set(l.path, at);
    at += params.get(l.path)!.length;
  }
  const data = r.data;
  const P = predictionsPerSample(data);
  const next = batches(r);
  const records: TrainRecord[] = [];
  const snapshots: Snapshot[] = [];
  if (r.o.snapshots.includes(0) && data.kind === 'classification')
    snapshots.push(snapshot(k, r, params, 0));
  let firstNonFinite: number | null = null;
  look(0);
  let windowLoss = 0;
  let windowCorrect = 0;
  let windowSteps = 0;
  let t = 0;
  while (t < r.o.steps) {
    t += 1;
    const idx = next.next().value as number[];
    const s = step(k, r, params, idx);
    const gradNorm = weighted.map((l, i) =>
      Math.sqrt(sumSquares(s.grads.get(l.path)![mainIndex[i]!]!)),
    );
    const broken =
      !Number.isFinite(s.loss) ||
      gradNorm.some((v) => !Number.isFinite(v)) ||
      tensors(s.grads).some((g) => !Number.isFinite(sumSquares(g)));
    windowLoss += s.loss;
    windowCorrect += s.correct;
    windowSteps += 1;
    const recordNow = broken || t === 1 || t % r.o.every === 0 || t === r.o.steps;
    const updateRatio: number[] = weighted.map(() => NaN);
    if (!broken) {
      for (const l of all) {
        const ps = params.get(l.path)!;
        const gs = s.grads.get(l.path)!;
        const w = weighted.indexOf(l);
        ps.forEach((p, j) => {
          const isMain = w >= 0 && j === mainIndex[w];
          const before = isMain ? sumSquares(p) : 0;
          const dw = Math.sqrt(opt.update(base.get(l.path)! + j, p, gs[j]!, t));
          if (isMain) updateRatio[w] = weightRatio(dw, before);
        });
      }
    }
    let record: TrainRecord | undefined;
    if (recordNow) {
      const unitSpread = activations.map((l) => {
        const y = s.tape.entries.get(l.path)!.y;
        return summarize(y, r.o.batch, y.length / r.o.batch, { detail: 'moments' }).unitSpread;
      });
      record = {
        step: t,
        loss: windowLoss / windowSteps,
        accuracy:
          data.kind === 'classification' ? windowCorrect / (windowSteps * r.o.batch * P) : null,
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
      firstNonFinite = t;
      yield { phase: 'train', step: t, of: r.o.steps, ...(record ? { record } : {}) };
      break;
    }
    look(t);
    if (r.o.snapshots.includes(t) && data.kind === 'classification')
      snapshots.push(snapshot(k, r, params, t));
    yield { phase: 'train', step: t, of: r.o.steps, ...(record ? { record } : {}) };
  }
  return {
    records,
    firstNonFinite,
    stepsRun: t,
    snapshots,
    grid: r.o.grid,
    gridExtent: r.o.gridExtent,
    dataset: data,
    final: evaluate(k, r, params),
    weightPaths: weighted.map((l) => l.path),
    activationPaths: activations.map((l) => l.path),
  };
}
