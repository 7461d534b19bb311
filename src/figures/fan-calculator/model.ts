/**
 * Module inspector (figure id `fan-calculator`, URL prefix `fan`, kept from the fan calculator it
 * grew out of, so links that shipped keep working): any module the engine decodes
 * (src/engine/torch/modules.ts), every parameter in `named_parameters()` order with its shape,
 * distribution and scale worked out as PyTorch 1.13 computes them, what the default does to a deep
 * ReLU stack, and the first values `torch.manual_seed(seed); Module(…)` gives each parameter on
 * the chosen CPU build, bit for bit.
 *
 * @module
 */
import { drawTorchModule, torchModule } from '../../engine/torch/modules';
import type { ParamsOf } from '../params';
import { formatNumber, type FigureModel } from '../types';
import { parameterRule, type ParameterRule } from './chain';
import { buildModule, MODULE_OPTIONS } from './modules';
import { FIRST_VALUES, formatG8, pythonSnippet } from './python';
import { schemeScales, type SchemeScale } from './schemes';

const size = (label: string, fallback: number, hint: string) =>
  ({
    kind: 'number',
    label,
    min: 1,
    max: 8192,
    step: 1,
    integer: true,
    control: 'box',
    default: fallback,
    hint,
  }) as const;

export const schema = {
  layer: { kind: 'choice', label: 'Module', default: 'linear', options: MODULE_OPTIONS },
  inputs: size(
    'Input size (in_features, in_channels, input_size, embed_dim, d_model, num_embeddings, num_features)',
    256,
    'The first size argument of the constructor.',
  ),
  outputs: size(
    'Output size (out_features, out_channels, hidden_size, embedding_dim, dim_feedforward)',
    128,
    'Not used by nn.MultiheadAttention and the norms.',
  ),
  kernel: {
    kind: 'number',
    label: 'kernel_size (each side)',
    min: 1,
    max: 11,
    step: 1,
    integer: true,
    default: 3,
    hint: 'Convolutions only.',
  },
  groups: {
    kind: 'number',
    label: 'groups (convolutions), num_groups (nn.GroupNorm)',
    min: 1,
    max: 64,
    step: 1,
    integer: true,
    default: 1,
    hint: 'Must divide the channels.',
  },
  heads: {
    kind: 'number',
    label: 'num_heads, nhead (attention)',
    min: 1,
    max: 64,
    step: 1,
    integer: true,
    default: 8,
    hint: 'Must divide embed_dim / d_model.',
  },
  in2: size('in2_features (nn.Bilinear)', 64, 'nn.Bilinear only.'),
  layers: {
    kind: 'number',
    label: 'num_layers (nn.RNN, nn.LSTM, nn.GRU)',
    min: 1,
    max: 8,
    step: 1,
    integer: true,
    default: 1,
  },
  bidirectional: { kind: 'toggle', label: 'bidirectional (recurrent)', default: false },
  bias: {
    kind: 'toggle',
    label: 'bias (affine, elementwise_affine for the norms)',
    default: true,
    hint: 'nn.TransformerEncoderLayer always has biases in torch 1.13.',
  },
  padded: { kind: 'toggle', label: 'Set padding_idx (nn.Embedding)', default: false },
  paddingIdx: {
    kind: 'number',
    label: 'padding_idx',
    min: -8192,
    max: 8191,
    step: 1,
    integer: true,
    control: 'box',
    default: 0,
    hint: 'Negative counts from the end, as in PyTorch.',
  },
  seed: {
    kind: 'number',
    label: 'torch.manual_seed(seed)',
    min: 0,
    max: 4294967295,
    step: 1,
    integer: true,
    control: 'box',
    default: 0,
  },
  build: {
    kind: 'choice',
    label: 'PyTorch CPU build',
    default: 'avx2',
    options: [
      { value: 'avx2', label: 'x86 with AVX2 (most PCs and servers)' },
      { value: 'default', label: 'default kernels (e.g. ARM, Apple silicon)' },
    ],
  },
} as const;

export type InspectorParams = ParamsOf<typeof schema>;

/** Modules with more parameters than this are described but not drawn (about 70 MB of float32). */
export const MAX_DRAWN = 17_000_000;

export interface ParameterRow extends ParameterRule {
  readonly name: string;
  readonly shape: readonly number[];
  readonly count: number;
  /** The first values drawn (float32 values as numbers); empty when the module is too big to draw. */
  readonly values: readonly number[];
  /** The same as Python's `.8g` prints them. */
  readonly first: readonly string[];
}

export interface DeepRelu {
  /** fan_in · Var(w) · ½: what one layer does to the forward second moment. */
  readonly factor: number;
  readonly after10: number;
  readonly after50: number;
}

export interface InspectorData {
  readonly call: string;
  /** The weight's shape and PyTorch's fans for Linear and the convolutions, else null. */
  readonly shape: readonly number[] | null;
  readonly fanIn: number | null;
  readonly fanOut: number | null;
  /** What each common scheme would give that weight (the fan calculator's comparison), else null. */
  readonly schemes: readonly SchemeScale[] | null;
  readonly count: number;
  /** In `named_parameters()` order. */
  readonly parameters: readonly ParameterRow[];
  readonly relu: DeepRelu | null;
  readonly drawn: boolean;
  readonly seed: number;
  readonly build: 'avx2' | 'default';
  readonly snippet: string;
}

function* compute(p: InspectorParams): Generator<unknown, InspectorData, undefined> {
  const { spec, call } = buildModule(p);
  const module = torchModule(spec);
  const build = p.build === 'default' ? 'default' : 'avx2';
  const drawn = module.count <= MAX_DRAWN;
  yield undefined;
  const values = drawn ? drawTorchModule(spec, p.seed, build) : undefined;
  const byName = new Map(module.parameters.map((q) => [q.name, q]));
  const parameters = module.named.map((name): ParameterRow => {
    const q = byName.get(name)!;
    const weight = byName.get(name.replace(/bias$/, 'weight'))?.shape;
    const first = values?.get(name)?.subarray(0, FIRST_VALUES) ?? [];
    return {
      name,
      shape: q.shape,
      count: q.shape.reduce((a, b) => a * b, 1),
      ...parameterRule(spec.module, q, weight),
      values: Array.from(first),
      first: Array.from(first, formatG8),
    };
  });
  // The default's own weights: every input of an output is one term, so n = fan_in (a transposed
  // conv's PyTorch fan_in counts output channels instead; stride 1 assumed for the count).
  const w = parameters.find((r) => r.name === 'weight');
  let relu: DeepRelu | null = null;
  if (w && w.fanIn !== null && /^(Linear|Conv)/.test(spec.module)) {
    const transposed = spec.module.startsWith('ConvTranspose');
    const terms = transposed ? (w.fanIn / w.shape[1]!) * w.shape[0]! : w.fanIn;
    const factor = (terms * w.std ** 2) / 2;
    relu = { factor, after10: factor ** 10, after50: factor ** 50 };
  }
  const fanned = relu !== null && w !== undefined;
  return {
    call,
    shape: fanned ? w.shape : null,
    fanIn: fanned ? w.fanIn : null,
    fanOut: fanned ? w.fanOut : null,
    schemes: fanned ? schemeScales(w.shape) : null,
    count: module.count,
    parameters,
    relu,
    drawn,
    seed: p.seed,
    build,
    snippet: pythonSnippet(call, p.seed, build),
  };
}

export const model: FigureModel<typeof schema, InspectorData> = {
  id: 'fan-calculator',
  title: 'Module inspector',
  prefix: 'fan',
  schema,
  primary: ['layer', 'inputs', 'outputs', 'seed'],
  pytorch(p) {
    const { call } = buildModule(p);
    const build = p.build === 'default' ? 'default' : 'avx2';
    return `${[
      `# Initbook: Module inspector, in PyTorch: ${call} after torch.manual_seed(${p.seed}).`,
      '# Prints the first values of every parameter as the figure shows them (the same float32 bits),',
      "# then each parameter's shape and standard deviation as drawn.",
      pythonSnippet(call, p.seed, build),
      'for name, p in m.named_parameters():',
      '    print(name, tuple(p.shape), f"std {p.detach().std(unbiased=False).item():.4g}")',
    ].join('\n')}\n`;
  },
  presets: [
    {
      id: 'linear-256-128',
      label: 'nn.Linear(256, 128)',
      params: { layer: 'linear', inputs: 256, outputs: 128 },
    },
    {
      id: 'conv2d-64-128-3',
      label: 'nn.Conv2d(64, 128, 3)',
      params: { layer: 'conv2d', inputs: 64, outputs: 128, kernel: 3, groups: 1 },
    },
    {
      id: 'lstm-256-512',
      label: 'nn.LSTM(256, 512)',
      params: {
        layer: 'lstm',
        inputs: 256,
        outputs: 512,
        layers: 1,
        bidirectional: false,
        bias: true,
      },
    },
    {
      id: 'mha-512-8',
      label: 'nn.MultiheadAttention(512, 8)',
      params: { layer: 'mha', inputs: 512, heads: 8, bias: true },
    },
    {
      id: 'encoder-512-8',
      label: 'nn.TransformerEncoderLayer(512, 8)',
      params: { layer: 'transformer', inputs: 512, outputs: 2048, heads: 8 },
    },
    {
      id: 'depthwise',
      label: 'Depthwise Conv2d(64, 64, 3, groups=64)',
      params: { layer: 'conv2d', inputs: 64, outputs: 64, kernel: 3, groups: 64 },
    },
  ],
  compute,
  summary(d) {
    const drawnOnes = d.parameters.filter((r) => r.bound !== null || r.distribution === 'normal');
    const laws = drawnOnes.map(
      (r) =>
        `${r.name} (${r.shape.join(', ')}) ${r.distribution === 'normal' ? 'N(0, 1)' : `U(±${formatNumber(r.bound!)})`}`,
    );
    const relu = d.relu
      ? ` In a deep ReLU stack each such layer multiplies the forward second moment by ${formatNumber(d.relu.factor)} (${formatNumber(d.relu.after10)} after 10 layers).`
      : '';
    const he = d.schemes?.find((x) => x.id === 'kaiming_normal');
    const torch = d.schemes?.find((x) => x.id === 'torch_default');
    const compare =
      he && torch
        ? ` He normal would use std ${formatNumber(he.std)}, ${formatNumber(he.std / torch.std)} times the default's ${formatNumber(torch.std)}.`
        : '';
    return (
      `${d.call}: ${d.count} parameters in ${d.parameters.length} tensors` +
      (laws.length > 0 ? `; ${laws.join(', ')}.` : ', none drawn at random.') +
      relu +
      compare
    );
  },
  table(d) {
    return {
      columns: [
        'parameter',
        'shape',
        'distribution',
        'bound',
        'std',
        'fan_in',
        'fan_out',
        `first values (seed ${d.seed}, ${d.build})`,
      ],
      rows: d.parameters.map((r) => [
        r.name,
        r.shape.join('×'),
        r.law,
        r.bound,
        r.std,
        r.fanIn,
        r.fanOut,
        r.first.join(' '),
      ]),
    };
  },
};
