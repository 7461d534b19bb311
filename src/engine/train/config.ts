/**
 * What a training run takes and returns, and the checks of its configuration.
 *
 * A network is either the classic dense stack (`depth` hidden layers of `width` units with
 * `activation`, then a linear output layer) or any description as data (`layers`, as
 * `propagateNetwork` takes them), whose output must fit the task.
 *
 * @module
 */
import { activation as lookup } from '../activations';
import type { InitSpec } from '../init';
import { initTensor } from '../init';
import type { LayerSpec } from '../network/types';
import { checkOptimizer, type OptimizerSpec, type ResolvedOptimizer } from '../optim';
import { createRng } from '../rng';
import type { LrMultipliers } from './multipliers';
import { checkTask, type Dataset, type ResolvedTask, type TaskSpec } from '../tasks';
import { EngineInputError, finiteNumber, inRange, oneOf, positiveInt } from '../validate';

/** Everything {@link trainSteps} needs. */
export interface TrainConfig {
  readonly task: TaskSpec;
  /** Any network as data; or give the dense stack's fields below. */
  readonly layers?: readonly LayerSpec[];
  /** Hidden layers (1 … 200) of the dense stack. */
  readonly depth?: number;
  /** Units per hidden layer. */
  readonly width?: number;
  /** Hidden activation (see `ACTIVATIONS`). */
  readonly activation?: string;
  readonly activationParam?: number;
  /** Initializer of the hidden weights. */
  readonly weightInit?: InitSpec;
  /** Initializer of the output layer's weights; default `weightInit`. */
  readonly outputInit?: InitSpec;
  /** Initializer of every bias; default zeros. */
  readonly biasInit?: InitSpec;
  readonly optimizer: OptimizerSpec;
  /**
   * Learning-rate factors by layer path or "path.parameter" (e.g. μP's, see `mupLayers`); each
   * tensor steps with optimizer.lr × its factor (default 1). Layer paths as in `weightPaths`; the
   * dense stack's are "0", "2", … (linear layers) like a description's.
   */
  readonly lrMultipliers?: LrMultipliers;
  /** Mini-batch size (at most the number of samples). */
  readonly batch: number;
  /** Optimizer steps (1 … 100 000). */
  readonly steps: number;
  /** Record metrics at step 1 and every `every` steps (and at the last); default ⌈steps/100⌉. */
  readonly every?: number;
  /** Steps (0 = before training) after which to evaluate the decision grid (2-D classification). */
  readonly snapshots?: readonly number[];
  /** Grid points per side of the decision grid over [−gridExtent, gridExtent]²; default 24. */
  readonly grid?: number;
  /** Half-width of the decision grid; default 1.25 (the spirals lie in the unit disc). */
  readonly gridExtent?: number;
  readonly seed: number;
  /**
   * The random stream: 'initbook' (default, the engine's own) or 'torch', PyTorch's CPU stream.
   * On 'torch' the run's sub-streams (data, parameters, shuffles) are torch generators seeded by
   * `torchForkSeed(seed, 0, n)`, the parameters are drawn as `nn.Linear`'s constructor draws them
   * and then re-initialized (`drawParameters(…, 'torch')`), and each epoch's order is
   * `torch.randperm(samples, generator=g)`: a script can replay the run exactly (see `loop.ts`).
   */
  readonly stream?: 'initbook' | 'torch';
  /** With `stream: 'torch'`: the PyTorch CPU build to reproduce, 'avx2' (default) or 'default'. */
  readonly normalKernel?: 'avx2' | 'default';
}

/** Metrics recorded at one step. Per-layer arrays have one entry per weighted layer (output last). */
export interface TrainRecord {
  /** 1-based step: metrics of this step's batch and update. */
  readonly step: number;
  /** Mean batch loss over the steps since the previous record (this step's alone at step 1). */
  readonly loss: number;
  /** Share of correct predictions over the same steps; null for regression. */
  readonly accuracy: number | null;
  /** Whether this step's loss or gradients were non-finite. */
  readonly nonFinite: boolean;
  /** ‖∂L/∂W‖_F of this step, for each layer's main weight. */
  readonly gradNorm: number[];
  /** ‖ΔW‖_F / ‖W‖_F of this step's update (Infinity when W was 0 and moved; NaN when broken). */
  readonly updateRatio: number[];
  /** Spread across units of each activation layer's output on this batch (stats' unitSpread). */
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
  /** Paths of the layers behind `gradNorm` and `updateRatio` ("0", "2", … in the description). */
  readonly weightPaths: string[];
  /** Paths of the activation layers behind `unitSpread`. */
  readonly activationPaths: string[];
}

/** The checked run options (the network is built in `model.ts`). */
export interface TrainOptions {
  readonly task: ResolvedTask;
  readonly optimizer: ResolvedOptimizer;
  readonly batch: number;
  readonly steps: number;
  readonly every: number;
  readonly snapshots: readonly number[];
  readonly grid: number;
  readonly gridExtent: number;
  readonly seed: number;
  readonly stream: 'initbook' | 'torch';
  readonly normalKernel: 'avx2' | 'default';
}

/** Dry-runs an initializer on a tiny tensor to name bad specs before any work. */
export function checkInit(param: string, spec: InitSpec): InitSpec {
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

/** The dense stack as a network description: [linear, activation] × depth, then a linear output. */
export function denseLayers(config: TrainConfig, outputs: number): LayerSpec[] {
  const depth = positiveInt('depth', config.depth, 200);
  const width = positiveInt('width', config.width, 4096);
  if (typeof config.activation !== 'string') {
    throw new EngineInputError('activation', config.activation, 'an activation name');
  }
  lookup(config.activation, config.activationParam);
  if (config.weightInit === undefined) {
    throw new EngineInputError(
      'weightInit',
      undefined,
      'an InitSpec such as { name: "kaiming_normal" }',
    );
  }
  const weightInit = checkInit('weightInit', config.weightInit);
  const outputInit = checkInit(
    'outputInit',
    config.outputInit === undefined ? weightInit : config.outputInit,
  );
  const biasInit = checkInit(
    'biasInit',
    config.biasInit === undefined ? { name: 'zeros' } : config.biasInit,
  );
  const act: LayerSpec = {
    type: 'activation',
    name: config.activation,
    ...(config.activationParam === undefined ? {} : { param: config.activationParam }),
  };
  const layers: LayerSpec[] = [];
  for (let l = 0; l < depth; l++)
    layers.push({ type: 'linear', out: width, weightInit, biasInit }, act);
  layers.push({ type: 'linear', out: outputs, weightInit: outputInit, biasInit });
  return layers;
}

/** Checks everything but the network. */
export function checkOptions(
  config: TrainConfig,
  samples: (t: ResolvedTask) => number,
): TrainOptions {
  if (typeof config !== 'object' || config === null) {
    throw new EngineInputError('config', config, 'a TrainConfig object');
  }
  const seed = finiteNumber('seed', config.seed);
  const stream = oneOf('stream', config.stream ?? 'initbook', ['initbook', 'torch']);
  if (stream === 'initbook' && config.normalKernel !== undefined) {
    throw new EngineInputError(
      'normalKernel',
      config.normalKernel,
      "unset unless stream is 'torch'",
    );
  }
  const normalKernel = oneOf('normalKernel', config.normalKernel ?? 'avx2', ['avx2', 'default']);
  if (stream === 'torch' && !Number.isSafeInteger(seed)) {
    throw new EngineInputError('seed', seed, "a safe integer on the 'torch' stream");
  }
  const task = checkTask(config.task);
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
  const batch = positiveInt('batch', config.batch, samples(task));
  return {
    task,
    optimizer,
    batch,
    steps,
    every,
    snapshots: snaps,
    grid,
    gridExtent,
    seed,
    stream,
    normalKernel,
  };
}
