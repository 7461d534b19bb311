/**
 * Training curves: the same network, task, batches and seed, trained from several initializations.
 * The engine's `trainSteps` runs each init in turn; the figure keeps its loss and accuracy, the
 * first non-finite step, per-layer gradient norms and update-to-weight ratios, the largest spread
 * across units, and the decision grid of the spirals task at a chosen point of training.
 *
 * @module
 */
import type { InitSpec } from '../../engine/init';
import { trainSteps, type TrainConfig } from '../../engine/train';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel, type FigureProgress } from '../types';
import { initEntry, initLabel, initOptions } from '../../engine/init-catalogue';
import { trainScript } from '../../pytorch/train-script';
import { STREAM_PARAM, streamOptions, streamText } from '../stream';

export const BATCH = 64;
/** Decision grid points per side, over [−GRID_EXTENT, GRID_EXTENT]². */
export const GRID = 20;
export const GRID_EXTENT = 1.25;
/** Records per run (the engine records every ⌈steps/RECORDS⌉ steps). */
const RECORDS = 50;
/** Every POINT_STRIDE-th data point is drawn over the decision grid. */
const POINT_STRIDE = 4;

export const INIT_OPTIONS = initOptions([
  'xavier_normal',
  'kaiming_normal',
  'torch_default',
  'lecun_normal',
  'unscaled',
  'small',
  'zeros',
]);

const BOUNDARY_AT = { start: 0, quarter: 0.25, half: 0.5, end: 1 } as const;

export const schema = {
  inits: {
    kind: 'multi',
    label: 'Initializations',
    options: INIT_OPTIONS,
    default: ['xavier_normal', 'kaiming_normal'],
    hint: 'Each is trained on the same data, with the same batches and seed.',
  },
  task: {
    kind: 'choice',
    label: 'Task',
    default: 'spirals',
    options: [
      { value: 'spirals', label: 'Two spirals (classification)' },
      { value: 'teacher', label: 'Teacher network (regression)' },
    ],
  },
  activation: {
    kind: 'choice',
    label: 'Activation',
    default: 'relu',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'tanh', label: 'tanh' },
      { value: 'leaky_relu', label: 'leaky ReLU (0.01)' },
      { value: 'gelu', label: 'GELU' },
    ],
  },
  depth: {
    kind: 'number',
    label: 'Hidden layers',
    min: 1,
    max: 30,
    step: 1,
    integer: true,
    default: 6,
  },
  width: { kind: 'number', label: 'Width', min: 8, max: 64, step: 8, integer: true, default: 32 },
  optimizer: {
    kind: 'choice',
    label: 'Optimizer',
    default: 'sgd',
    options: [
      { value: 'sgd', label: 'SGD, momentum 0.9' },
      { value: 'adam', label: 'Adam' },
    ],
  },
  lr: {
    kind: 'number',
    label: 'Learning rate',
    min: 1e-4,
    max: 1,
    step: 1e-4,
    scale: 'log',
    default: 0.02,
    hint: 'SGD: about 0.01–0.05; Adam: about 0.001–0.005.',
  },
  steps: {
    kind: 'number',
    label: 'Steps',
    min: 50,
    max: 1000,
    step: 50,
    integer: true,
    default: 200,
  },
  head: {
    kind: 'choice',
    label: 'Output layer',
    default: 'same',
    options: [
      { value: 'same', label: 'Same init as the hidden layers' },
      { value: 'small', label: 'Scaled down 100×' },
      { value: 'zero', label: 'Zero' },
    ],
  },
  boundary: {
    kind: 'choice',
    label: 'Decision boundary after',
    default: 'end',
    options: [
      { value: 'start', label: 'Step 0 (the initialization)' },
      { value: 'quarter', label: 'A quarter of the steps' },
      { value: 'half', label: 'Half of the steps' },
      { value: 'end', label: 'The last step' },
    ],
  },
  seed: {
    kind: 'number',
    label: 'Seed',
    min: 1,
    max: 9999,
    step: 1,
    integer: true,
    default: 1,
    control: 'box',
  },
  stream: STREAM_PARAM,
} as const;

export type TrainingParams = ParamsOf<typeof schema>;

/** One record of one run, flattened for the view. */
export interface Point {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly nonFinite: boolean;
  /** Per weight layer (hidden layers, then the output layer). */
  readonly gradNorm: number[];
  readonly updateRatio: number[];
  /** Largest spread across units over the hidden layers. */
  readonly maxSpread: number;
}

export interface Run {
  readonly init: string;
  readonly points: Point[];
  readonly firstNonFinite: number | null;
  readonly stepsRun: number;
  readonly final: { readonly loss: number; readonly accuracy: number | null };
  /** Largest spread across units over every record and hidden layer. */
  readonly maxSpread: number;
  /** The decision grid: P(class 1) at GRID × GRID points (row j = y), or null. */
  readonly boundary: { readonly step: number; readonly p1: number[] } | null;
}

export interface TrainingData {
  readonly kind: 'classification' | 'regression';
  /** Loss of a network that ignores its input: ln K (classification) or ½·E‖t‖² (regression). */
  readonly chanceLoss: number;
  readonly layers: number;
  readonly runs: Run[];
  /** A subsample of the spirals, for drawing over the decision grid. */
  readonly samples: { readonly x: number; readonly y: number; readonly label: number }[];
}

export function initSpecOf(init: string): InitSpec {
  return initEntry(init).spec();
}

function headSpec(head: string): InitSpec | undefined {
  if (head === 'zero') return { name: 'zeros' };
  // Var(w) = 10⁻⁴/fanIn: a hundredth of LeCun's standard deviation.
  if (head === 'small') {
    return { name: 'variance_scaling', scale: 1e-4, mode: 'fan_in', distribution: 'normal' };
  }
  return undefined;
}

/** The engine configuration of one init's run. */
export function trainConfig(p: TrainingParams, init: string): TrainConfig {
  const snapshot = Math.round(BOUNDARY_AT[p.boundary as keyof typeof BOUNDARY_AT] * p.steps);
  const head = headSpec(p.head);
  return {
    task: p.task === 'teacher' ? { name: 'teacher' } : { name: 'spirals' },
    depth: p.depth,
    width: p.width,
    activation: p.activation,
    weightInit: initSpecOf(init),
    ...(head ? { outputInit: head } : {}),
    optimizer: p.optimizer === 'adam' ? { name: 'adam', lr: p.lr } : { name: 'sgd', lr: p.lr },
    batch: BATCH,
    steps: p.steps,
    every: Math.ceil(p.steps / RECORDS),
    snapshots: [snapshot],
    grid: GRID,
    gridExtent: GRID_EXTENT,
    seed: p.seed,
    ...streamOptions(p.stream),
  };
}

/** The network and training in words (the summary's and the script's). */
function settingsText(p: TrainingParams): string {
  return `${p.depth} hidden layers × ${p.width} ${p.activation}, ${p.optimizer === 'adam' ? 'Adam' : 'SGD'} at learning rate ${formatNumber(p.lr)}`;
}

/** "Copy as PyTorch": the same runs, from {@link trainConfig}. */
function pytorch(p: TrainingParams): string {
  const task = p.task === 'teacher' ? 'a teacher network' : 'two spirals';
  return trainScript({
    title: 'Training curves under each initialization',
    settings: `${p.steps} steps on ${task}, ${settingsText(p)}, batch ${BATCH}, seed ${p.seed}, output layer: ${p.head}; random stream: ${streamText(p.stream)}`,
    runs: p.inits.map((init) => ({ label: labelOf(init), config: trainConfig(p, init) })),
  });
}

function* compute(p: TrainingParams): Generator<unknown, TrainingData> {
  const runs: Run[] = [];
  let kind: TrainingData['kind'] = 'classification';
  let chanceLoss = Math.log(2);
  let samples: TrainingData['samples'] = [];
  const total = p.inits.length * p.steps;
  for (const [i, init] of p.inits.entries()) {
    const steps = trainSteps(trainConfig(p, init));
    let loss = NaN;
    let next = steps.next();
    while (next.done !== true) {
      const { step, record } = next.value;
      if (record) loss = record.loss;
      const lossText = Number.isNaN(loss) ? '' : `, loss ${formatNumber(loss)}`;
      const progress: FigureProgress = {
        fraction: (i * p.steps + step) / total,
        text: `${labelOf(init)} (${i + 1} of ${p.inits.length}): step ${step} of ${p.steps}${lossText}`,
      };
      yield progress;
      next = steps.next();
    }
    const r = next.value;
    const d = r.dataset;
    kind = d.kind;
    if (d.kind === 'classification') {
      chanceLoss = Math.log(d.outputs);
      samples = [];
      for (let i = 0; i < d.samples; i += POINT_STRIDE) {
        samples.push({ x: d.x[2 * i]!, y: d.x[2 * i + 1]!, label: d.labels[i]! });
      }
    } else {
      let sq = 0;
      for (const t of d.targets) sq += t * t;
      chanceLoss = (0.5 * sq) / d.samples;
    }
    const points = r.records.map((rec) => ({
      step: rec.step,
      loss: rec.loss,
      accuracy: rec.accuracy,
      nonFinite: rec.nonFinite,
      gradNorm: rec.gradNorm,
      updateRatio: rec.updateRatio,
      maxSpread: Math.max(0, ...rec.unitSpread.map((s) => (Number.isNaN(s) ? Infinity : s))),
    }));
    const snap = r.snapshots[0];
    runs.push({
      init,
      points,
      firstNonFinite: r.firstNonFinite,
      stepsRun: r.stepsRun,
      final: r.final,
      maxSpread: Math.max(0, ...points.map((q) => q.maxSpread)),
      boundary:
        snap && d.kind === 'classification'
          ? {
              step: snap.step,
              p1: Array.from({ length: GRID * GRID }, (_, i) => snap.probs[i * d.outputs + 1]!),
            }
          : null,
    });
  }
  return { kind, chanceLoss, layers: p.depth + 1, runs, samples };
}

/** The init's name as a reader knows it. */
export const labelOf = initLabel;

function runText(r: Run, kind: TrainingData['kind']): string {
  const name = labelOf(r.init);
  if (r.firstNonFinite !== null) {
    return `${name}: the loss became non-finite (NaN or ∞) at step ${r.firstNonFinite}, and training stopped`;
  }
  const acc =
    kind === 'classification' && r.final.accuracy !== null
      ? ` (${Math.round(100 * r.final.accuracy)}% correct)`
      : '';
  const tied =
    r.maxSpread === 0 ? '; its units stayed identical (spread across units exactly 0)' : '';
  return `${name}: loss ${formatNumber(r.points[0]?.loss ?? NaN)} → ${formatNumber(r.final.loss)}${acc}${tied}`;
}

export const model: FigureModel<typeof schema, TrainingData> = {
  id: 'training-curves',
  title: 'Training curves under each initialization',
  prefix: 'tc',
  schema,
  primary: ['optimizer', 'lr', 'steps', 'head'],
  long: true,
  presets: [
    {
      id: 'nan',
      label: 'Unscaled N(0, 1): NaN',
      params: { inits: ['unscaled', 'kaiming_normal'], depth: 8, optimizer: 'sgd', lr: 0.02 },
    },
    {
      id: 'zeros',
      label: 'All zeros: flat',
      params: { inits: ['zeros', 'kaiming_normal'], activation: 'tanh', depth: 6 },
    },
    {
      id: 'deep-xavier-he',
      label: 'Xavier vs He, 30 layers',
      params: {
        inits: ['xavier_normal', 'kaiming_normal'],
        activation: 'relu',
        depth: 30,
        width: 32,
        optimizer: 'sgd',
        lr: 0.01,
        steps: 300,
      },
    },
    {
      id: 'torch-he',
      label: 'PyTorch default vs He, 10 layers',
      params: {
        inits: ['torch_default', 'kaiming_normal'],
        activation: 'relu',
        depth: 10,
        width: 32,
        optimizer: 'sgd',
        lr: 0.02,
        steps: 200,
      },
    },
  ],
  compute,
  pytorch,
  summary(d, p) {
    const task = d.kind === 'classification' ? 'two spirals' : 'a teacher network';
    const runs = d.runs.map((r) => runText(r, d.kind)).join('; ');
    return `${p.steps} steps on ${task}, ${settingsText(p)}, drawn from ${streamText(p.stream)}. ${runs}.`;
  },
  table(d) {
    const rows: (string | number | null)[][] = [];
    for (const r of d.runs) {
      for (const q of r.points) {
        rows.push([
          r.init,
          q.step,
          q.loss,
          q.accuracy,
          q.nonFinite ? 1 : 0,
          q.gradNorm[0] ?? null,
          q.gradNorm.at(-1) ?? null,
          q.updateRatio[0] ?? null,
          q.updateRatio.at(-1) ?? null,
          q.maxSpread,
        ]);
      }
    }
    return {
      columns: [
        'init',
        'step',
        'loss',
        'accuracy',
        'non_finite',
        'grad_norm_layer_1',
        'grad_norm_output',
        'update_ratio_layer_1',
        'update_ratio_output',
        'max_unit_spread',
      ],
      rows,
    };
  },
};
