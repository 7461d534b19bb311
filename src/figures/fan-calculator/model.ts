/**
 * Fan calculator: a layer's weight shape in PyTorch's layout, its fan-in and fan-out, and the scale
 * each common scheme gives its weights (uniform bound and standard deviation), side by side.
 * Each scheme's scale is the engine catalogue's predicted variance (the recipes' own arithmetic on
 * PyTorch's fans and gains), so it matches PyTorch exactly.
 *
 * @module
 */
import { computeFans } from '../../engine/fans';
import { initEntry, type InitId } from '../../engine/init-catalogue';
import { EngineInputError } from '../../engine/validate';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';

export const schema = {
  layer: {
    kind: 'choice',
    label: 'Layer',
    default: 'linear',
    options: [
      { value: 'linear', label: 'nn.Linear' },
      { value: 'conv1d', label: 'nn.Conv1d' },
      { value: 'conv2d', label: 'nn.Conv2d' },
      { value: 'conv3d', label: 'nn.Conv3d' },
      { value: 'conv_transpose2d', label: 'nn.ConvTranspose2d' },
    ],
  },
  inputs: {
    kind: 'number',
    label: 'Inputs (in_features / in_channels)',
    min: 1,
    max: 8192,
    step: 1,
    integer: true,
    control: 'box',
    default: 256,
  },
  outputs: {
    kind: 'number',
    label: 'Outputs (out_features / out_channels)',
    min: 1,
    max: 8192,
    step: 1,
    integer: true,
    control: 'box',
    default: 128,
  },
  kernel: {
    kind: 'number',
    label: 'Kernel size (each side)',
    min: 1,
    max: 11,
    step: 1,
    integer: true,
    default: 3,
    hint: 'Ignored for nn.Linear.',
  },
  groups: {
    kind: 'number',
    label: 'Groups',
    min: 1,
    max: 64,
    step: 1,
    integer: true,
    default: 1,
    hint: 'Must divide both inputs and outputs. Ignored for nn.Linear.',
  },
} as const;

export type FanParams = ParamsOf<typeof schema>;

export interface SchemeScale {
  /** The catalogue id. */
  readonly id: InitId;
  /** The catalogue's label. */
  readonly scheme: string;
  /** How PyTorch (or JAX) spells it. */
  readonly call: string;
  readonly distribution: 'uniform' | 'normal' | 'truncated normal';
  /** Half-width of the uniform range, or null for normal draws. */
  readonly bound: number | null;
  readonly std: number;
}

export interface FanData {
  readonly shape: number[];
  readonly fanIn: number;
  readonly fanOut: number;
  readonly schemes: SchemeScale[];
}

/** The weight shape PyTorch allocates for the layer. ConvTranspose stores (in, out/groups, *k). */
export function weightShape(p: FanParams): number[] {
  if (p.layer === 'linear') return [p.outputs, p.inputs];
  for (const [name, value] of [
    ['inputs', p.inputs],
    ['outputs', p.outputs],
  ] as const) {
    if (value % p.groups !== 0) {
      throw new EngineInputError(
        'groups',
        p.groups,
        `a divisor of ${name} (${value})`,
        `${name} (${value}) must be divisible by groups (${p.groups})`,
      );
    }
  }
  const dims = p.layer === 'conv1d' ? 1 : p.layer === 'conv3d' ? 3 : 2;
  const kernel = Array.from({ length: dims }, () => p.kernel);
  return p.layer === 'conv_transpose2d'
    ? [p.inputs, p.outputs / p.groups, ...kernel]
    : [p.outputs, p.inputs / p.groups, ...kernel];
}

/** The schemes compared, in order (labels, calls and variances from the engine's catalogue). */
export const SCHEMES = [
  'torch_default',
  'kaiming_uniform',
  'kaiming_normal',
  'kaiming_normal_fan_out',
  'lecun_normal',
  'xavier_uniform',
  'xavier_normal',
] as const satisfies readonly InitId[];

function* compute(p: FanParams): Generator<unknown, FanData, undefined> {
  const shape = weightShape(p);
  const { fanIn, fanOut } = computeFans(shape);
  const schemes = SCHEMES.map((id): SchemeScale => {
    const entry = initEntry(id);
    const variance = entry.variance(shape);
    const uniform = entry.distribution === 'uniform';
    return {
      id,
      scheme: entry.label,
      call: entry.call,
      distribution: uniform
        ? 'uniform'
        : entry.distribution === 'normal'
          ? 'normal'
          : 'truncated normal',
      // U(±a) has variance a²/3.
      bound: uniform ? Math.sqrt(3 * variance) : null,
      std: Math.sqrt(variance),
    };
  });
  return { shape, fanIn, fanOut, schemes };
}

export const model: FigureModel<typeof schema, FanData> = {
  id: 'fan-calculator',
  title: 'Fan calculator',
  prefix: 'fan',
  schema,
  primary: ['layer', 'inputs', 'outputs', 'kernel'],
  presets: [
    {
      id: 'linear-256-128',
      label: 'nn.Linear(256, 128)',
      params: { layer: 'linear', inputs: 256, outputs: 128 },
    },
    {
      id: 'resnet-stem',
      label: 'ResNet stem: Conv2d(3, 64, 7)',
      params: { layer: 'conv2d', inputs: 3, outputs: 64, kernel: 7, groups: 1 },
    },
    {
      id: 'depthwise',
      label: 'Depthwise Conv2d(64, 64, 3, groups=64)',
      params: { layer: 'conv2d', inputs: 64, outputs: 64, kernel: 3, groups: 64 },
    },
    {
      id: 'wide',
      label: 'nn.Linear(4096, 4096)',
      params: { layer: 'linear', inputs: 4096, outputs: 4096 },
    },
  ],
  compute,
  summary(d) {
    const byId = new Map(d.schemes.map((s) => [s.id, s]));
    const torch = byId.get('torch_default')!;
    const he = byId.get('kaiming_normal')!;
    return (
      `Weight shape (${d.shape.join(', ')}): fan_in ${d.fanIn}, fan_out ${d.fanOut}. ` +
      `PyTorch's default draws U(±${formatNumber(torch.bound!)}), std ${formatNumber(torch.std)}; ` +
      `He normal uses std ${formatNumber(he.std)}, ${formatNumber(he.std / torch.std)} times larger.`
    );
  },
  table(d) {
    return {
      columns: ['scheme', 'call', 'distribution', 'bound', 'std', 'variance', 'fan_in', 'fan_out'],
      rows: d.schemes.map((s) => [
        s.scheme,
        s.call,
        s.distribution,
        s.bound,
        s.std,
        s.std ** 2,
        d.fanIn,
        d.fanOut,
      ]),
    };
  },
};
