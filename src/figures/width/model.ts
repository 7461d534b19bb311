/**
 * Width: the standard deviation of one pre-activation y = Σⱼ wⱼ·xⱼ as the number of inputs n grows.
 * With a fixed weight scale (every weight N(0, 1)) the n terms add in variance, so
 * std(y) = √n·std(w)·std(x): 64 at n = 4096. A rule that scales Var(w) with 1/n keeps it flat.
 *
 * One layer per width, simulated by the engine. Only the fan-in n enters std(y), so each layer
 * draws `UNITS` of its output units (a square n × n layer's other rows are more samples of the same
 * distribution); Xavier, which also reads fan-out, is drawn as it is for a square layer (fan_avg = n).
 *
 * @module
 */
import type { InitSpec } from '../../engine/init';
import type { PropagateConfig } from '../../engine/propagate';
import { stackScript } from '../../pytorch/stack-script';
import { propagateSharedSteps } from '../../worker/split';
import { STREAM_PARAM, streamOptions } from '../stream';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';
import { initEntry, initLabel, sigmaW2Of } from '../../engine/init-catalogue';
import { INIT_OPTIONS } from '../variance-by-depth/inits';

/** Layer widths (fan-in), doubling from 16 to 4096. */
export const WIDTHS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096] as const;
/** Output units drawn per layer: with the batch, the entries the standard deviation is read from. */
export const UNITS = 64;
/** Seed of the first width; width i uses SEED + i, so the widths are independent draws. */
const SEED = 1;

export const schema = {
  inits: {
    kind: 'multi',
    label: 'Initializations',
    default: ['unscaled', 'xavier_normal'],
    // Orthogonal needs a QR of every n × n matrix; it is flat like the other scaled rules.
    options: INIT_OPTIONS.filter((o) => o.value !== 'orthogonal'),
    hint: 'Tick several to compare them.',
  },
  inputStd: {
    kind: 'number',
    label: 'Input std',
    min: 0.1,
    max: 10,
    step: 0.01,
    scale: 'log',
    default: 1,
    hint: 'Standard deviation of the N(0, std²) inputs.',
  },
  batch: {
    kind: 'number',
    label: 'Batch (samples)',
    min: 1,
    max: 64,
    step: 1,
    integer: true,
    default: 16,
    hint: `Samples per width; each gives ${UNITS} pre-activations.`,
  },
  stream: STREAM_PARAM,
} as const;

export type WidthParams = ParamsOf<typeof schema>;

export interface WidthPoint {
  readonly init: string;
  readonly width: number;
  /** Realised standard deviation over batch × units pre-activations. */
  readonly measured: number;
  /** √(n·Var(w))·std(x). */
  readonly theory: number;
}

export interface WidthData {
  readonly points: WidthPoint[];
}

/** The init as a square n × n layer would draw it, for a layer with fewer output rows. */
export function squareLayerInit(init: string): InitSpec {
  const entry = initEntry(init);
  if (!entry.readsFanOut) return entry.spec();
  // A rule that reads fan-out (Xavier) gives a square layer an n·Var(w) that does not depend on
  // n: the catalogue's σ_w², drawn with fan_in alone.
  return {
    name: 'variance_scaling',
    scale: sigmaW2Of(init, 1),
    mode: 'fan_in',
    distribution: entry.distribution === 'uniform' ? 'uniform' : 'untruncated_normal',
  };
}

/** The run behind one point: one layer of fan-in `WIDTHS[i]`; compute and the PyTorch script share it. */
export function widthRun(p: WidthParams, init: string, i: number): PropagateConfig {
  const width = WIDTHS[i]!;
  return {
    depth: 1,
    width: Math.min(width, UNITS),
    batch: p.batch,
    activation: 'linear',
    weightInit: squareLayerInit(init),
    input: { std: p.inputStd, width },
    seed: SEED + i,
    summaries: 'moments',
    ...streamOptions(p.stream),
  };
}

function* compute(p: WidthParams): Generator<unknown, WidthData> {
  const points: WidthPoint[] = [];
  for (const init of p.inits) {
    for (const [i, width] of WIDTHS.entries()) {
      const result = yield* propagateSharedSteps(widthRun(p, init, i));
      const pre = result.layers[0]!.pre;
      points.push({
        init,
        width,
        measured: Math.sqrt(pre.variance),
        theory: Math.sqrt(sigmaW2Of(init, width)) * p.inputStd,
      });
    }
  }
  return { points };
}

export const model: FigureModel<typeof schema, WidthData> = {
  id: 'width',
  title: 'Pre-activation spread by layer width',
  prefix: 'wid',
  schema,
  primary: ['inits', 'inputStd'],
  pytorch: (p) =>
    stackScript({
      title: 'Pre-activation spread by layer width',
      settings: `one linear layer of fan-in n = ${WIDTHS.join(', ')} (${UNITS} outputs), batch ${p.batch}, inputs N(0, ${p.inputStd}²), seed ${SEED} + the width's index`,
      runs: p.inits.flatMap((init) =>
        WIDTHS.map((n, i) => ({
          label: `${initLabel(init)}, n = ${n}`,
          config: widthRun(p, init, i),
        })),
      ),
      stats: [{ label: 'std of the pre-activations', of: 'pre', stat: 'std' }],
    }),
  presets: [
    {
      id: 'unscaled-vs-lecun',
      label: 'N(0, 1) vs Var(w) = 1/n',
      params: { inits: ['unscaled', 'lecun_normal'], inputStd: 1 },
    },
    {
      id: 'scaled-rules',
      label: 'Every scaled rule',
      params: {
        inits: [
          'xavier_normal',
          'xavier_uniform',
          'kaiming_normal',
          'torch_default',
          'lecun_normal',
        ],
        inputStd: 1,
      },
    },
    {
      id: 'small',
      label: 'Small N(0, 0.01²) still grows',
      params: { inits: ['unscaled', 'small', 'kaiming_normal'], inputStd: 1 },
    },
  ],
  compute,
  summary(d, p) {
    const parts = p.inits.map((init) => {
      const curve = d.points.filter((pt) => pt.init === init);
      const first = curve[0];
      const last = curve.at(-1);
      if (!first || !last) return '';
      const grows = last.theory / first.theory > 1.5;
      return (
        `${initLabel(init)} ${grows ? 'grows' : 'stays flat'}: ${formatNumber(first.measured)} at ` +
        `width ${first.width}, ${formatNumber(last.measured)} at width ${last.width} ` +
        `(theory ${formatNumber(last.theory)})`
      );
    });
    return (
      `Standard deviation of one pre-activation for inputs of std ${formatNumber(p.inputStd)}. ` +
      `${parts.join('; ')}.`
    );
  },
  table(d, p) {
    return {
      columns: ['init', 'width', 'measured_std', 'theory_std', 'input_std'],
      rows: d.points.map((pt) => [pt.init, pt.width, pt.measured, pt.theory, p.inputStd]),
    };
  },
};
