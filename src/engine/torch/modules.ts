/**
 * PyTorch's modules as their constructors build them: every parameter's name, shape and default
 * initializer, in the order the constructor draws from the generator (which is not always the
 * order `named_parameters()` lists them in), for torch 1.13's CPU build. What the module inspector
 * decodes, and what a replay of `torch.manual_seed(s); Module(…)` must draw.
 *
 * Facts used, from torch 1.13's `torch/nn/modules` (read, not copied):
 * - linear.py `Linear.reset_parameters`: kaiming_uniform_(weight, a=√5), i.e. U(±1/√fan_in), then
 *   the bias U(±1/√fan_in); `Bilinear.reset_parameters`: both U(±1/√in1).
 * - conv.py `_ConvNd.reset_parameters`: the same rule on the weight (out, in/groups, *k); a
 *   transposed conv's weight is (in, out/groups, *k), so its fan_in is out/groups·∏k.
 * - sparse.py `Embedding.reset_parameters`: normal_(weight), then the padding row zeroed.
 * - rnn.py `RNNBase.reset_parameters`: every parameter U(±1/√hidden), in registration order
 *   (layer, direction, then w_ih, w_hh, b_ih, b_hh).
 * - activation.py `MultiheadAttention`: out_proj (a Linear) is built, drawing its weight and bias,
 *   before `_reset_parameters` draws xavier_uniform_(in_proj_weight) and zeroes both biases.
 * - normalization.py, batchnorm.py: weights ones, biases zeros (no draws).
 * - transformer.py `TransformerEncoderLayer.__init__`: self_attn, linear1, linear2, norm1, norm2.
 * Checked against torch 1.13 itself by scripts/fixtures/torch-modules.py, which replays each
 * constructor's draws in this order and compares bit for bit.
 *
 * @module
 */
import { initTensor } from '../init';
import type { InitContext, InitSpec } from '../init-spec';
import { createRng } from '../rng';
import type { TorchCapability } from './uniform';
import { EngineInputError, positiveInt } from '../validate';

/** A module and its constructor arguments (PyTorch's names and defaults). */
export type TorchModuleSpec =
  | {
      readonly module: 'Linear';
      readonly in: number;
      readonly out: number;
      readonly bias?: boolean;
    }
  | {
      readonly module: 'Bilinear';
      readonly in1: number;
      readonly in2: number;
      readonly out: number;
      readonly bias?: boolean;
    }
  | {
      readonly module: `Conv${1 | 2 | 3}d` | `ConvTranspose${1 | 2 | 3}d`;
      readonly in: number;
      readonly out: number;
      readonly kernel: number;
      readonly groups?: number;
      readonly bias?: boolean;
    }
  | {
      readonly module: 'Embedding';
      readonly num: number;
      readonly dim: number;
      readonly paddingIdx?: number;
    }
  | {
      readonly module: 'RNN' | 'LSTM' | 'GRU';
      readonly input: number;
      readonly hidden: number;
      readonly layers?: number;
      readonly bias?: boolean;
      readonly bidirectional?: boolean;
    }
  | {
      readonly module: 'MultiheadAttention';
      readonly embed: number;
      readonly heads: number;
      readonly bias?: boolean;
    }
  | { readonly module: 'LayerNorm'; readonly shape: number; readonly affine?: boolean }
  | {
      readonly module: 'BatchNorm1d' | 'BatchNorm2d' | 'BatchNorm3d';
      readonly features: number;
      readonly affine?: boolean;
    }
  | {
      readonly module: 'GroupNorm';
      readonly groups: number;
      readonly channels: number;
      readonly affine?: boolean;
    }
  | {
      readonly module: 'TransformerEncoderLayer';
      readonly dModel: number;
      readonly heads: number;
      readonly ff?: number;
    };

/** One parameter as the constructor leaves it. */
export interface TorchParameter {
  /** As `named_parameters()` spells it. */
  readonly name: string;
  readonly shape: readonly number[];
  /** What the constructor draws (or sets). */
  readonly init: InitSpec;
  readonly context?: InitContext;
  /** Set after the draw (the stream is unchanged): zeros, or the padding row of an embedding. */
  readonly after?: { readonly zero: 'all' } | { readonly zeroRow: number };
}

/** A module's parameters: in draw order, and the names in `named_parameters()` order. */
export interface TorchModule {
  readonly parameters: readonly TorchParameter[];
  readonly named: readonly string[];
  /** Parameters in total. */
  readonly count: number;
}

const KAIMING_A5: InitSpec = { name: 'torch_default' };
const uniform = (bound: number): InitSpec => ({ name: 'uniform', a: -bound, b: bound });
const ones: InitSpec = { name: 'ones' };
const zeros: InitSpec = { name: 'zeros' };

function linear(prefix: string, inp: number, out: number, bias: boolean): TorchParameter[] {
  return [
    { name: `${prefix}weight`, shape: [out, inp], init: KAIMING_A5 },
    ...(bias
      ? [{ name: `${prefix}bias`, shape: [out], init: KAIMING_A5, context: { fanIn: inp } }]
      : []),
  ];
}

function affinePair(prefix: string, n: number, affine: boolean): TorchParameter[] {
  return affine
    ? [
        { name: `${prefix}weight`, shape: [n], init: ones },
        { name: `${prefix}bias`, shape: [n], init: zeros },
      ]
    : [];
}

function attention(prefix: string, d: number, heads: number, bias: boolean): TorchParameter[] {
  if (d % heads !== 0) throw new EngineInputError('heads', heads, `a divisor of embed = ${d}`);
  const out = linear(`${prefix}out_proj.`, d, d, bias);
  return [
    out[0]!,
    ...(bias ? [{ ...out[1]!, after: { zero: 'all' as const } }] : []),
    { name: `${prefix}in_proj_weight`, shape: [3 * d, d], init: { name: 'xavier_uniform' } },
    ...(bias ? [{ name: `${prefix}in_proj_bias`, shape: [3 * d], init: zeros }] : []),
  ];
}

const namedAttention = (prefix: string, bias: boolean): string[] => [
  `${prefix}in_proj_weight`,
  ...(bias ? [`${prefix}in_proj_bias`] : []),
  `${prefix}out_proj.weight`,
  ...(bias ? [`${prefix}out_proj.bias`] : []),
];

const int = (param: string, v: unknown) => positiveInt(param, v, 1 << 24);
const bool = (param: string, v: unknown, fallback: boolean): boolean => {
  const b = v ?? fallback;
  if (typeof b !== 'boolean') throw new EngineInputError(param, v, 'true or false');
  return b;
};

/**
 * A module's parameters as its constructor builds them.
 * @throws EngineInputError for an unknown module or a bad argument
 */
export function torchModule(spec: TorchModuleSpec): TorchModule {
  const params = moduleParameters(spec);
  const named =
    spec.module === 'MultiheadAttention'
      ? namedAttention('', bool('bias', spec.bias, true))
      : spec.module === 'TransformerEncoderLayer'
        ? [...namedAttention('self_attn.', true), ...params.slice(4).map((p) => p.name)]
        : params.map((p) => p.name);
  const count = params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  return { parameters: params, named, count };
}

function moduleParameters(spec: TorchModuleSpec): TorchParameter[] {
  if (typeof spec !== 'object' || spec === null) {
    throw new EngineInputError(
      'module',
      spec,
      "a module such as { module: 'Linear', in: 512, out: 256 }",
    );
  }
  switch (spec.module) {
    case 'Linear':
      return linear('', int('in', spec.in), int('out', spec.out), bool('bias', spec.bias, true));
    case 'Bilinear': {
      const bound = 1 / Math.sqrt(int('in1', spec.in1));
      const out = int('out', spec.out);
      return [
        { name: 'weight', shape: [out, spec.in1, int('in2', spec.in2)], init: uniform(bound) },
        ...(bool('bias', spec.bias, true)
          ? [{ name: 'bias', shape: [out], init: uniform(bound) }]
          : []),
      ];
    }
    case 'Embedding': {
      const num = int('num', spec.num);
      const p = spec.paddingIdx;
      if (p !== undefined && (!Number.isInteger(p) || p < -num || p >= num)) {
        throw new EngineInputError('paddingIdx', p, `an integer from −${num} to ${num - 1}`);
      }
      const row = p === undefined ? undefined : p < 0 ? p + num : p;
      return [
        {
          name: 'weight',
          shape: [num, int('dim', spec.dim)],
          init: { name: 'normal', mean: 0, std: 1 },
          ...(row === undefined ? {} : { after: { zeroRow: row } }),
        },
      ];
    }
    case 'RNN':
    case 'LSTM':
    case 'GRU':
      return recurrent(spec);
    case 'MultiheadAttention':
      return attention(
        '',
        int('embed', spec.embed),
        int('heads', spec.heads),
        bool('bias', spec.bias, true),
      );
    case 'LayerNorm':
      return affinePair('', int('shape', spec.shape), bool('affine', spec.affine, true));
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d':
      return affinePair('', int('features', spec.features), bool('affine', spec.affine, true));
    case 'GroupNorm': {
      const c = int('channels', spec.channels);
      if (c % int('groups', spec.groups) !== 0) {
        throw new EngineInputError('groups', spec.groups, `a divisor of channels = ${c}`);
      }
      return affinePair('', c, bool('affine', spec.affine, true));
    }
    case 'TransformerEncoderLayer': {
      const d = int('dModel', spec.dModel);
      const ff = int('ff', spec.ff ?? 2048);
      return [
        ...attention('self_attn.', d, int('heads', spec.heads), true),
        ...linear('linear1.', d, ff, true),
        ...linear('linear2.', ff, d, true),
        ...affinePair('norm1.', d, true),
        ...affinePair('norm2.', d, true),
      ];
    }
    default:
      return conv(spec);
  }
}

function conv(spec: Extract<TorchModuleSpec, { kernel: number }>): TorchParameter[] {
  const m = /^Conv(Transpose)?([123])d$/.exec(String(spec.module));
  if (m === null) {
    throw new EngineInputError(
      'module',
      (spec as { module: unknown }).module,
      "one of 'Linear', 'Bilinear', 'Conv1d/2d/3d', 'ConvTranspose1d/2d/3d', 'Embedding', 'RNN', 'LSTM', 'GRU', 'MultiheadAttention', 'LayerNorm', 'BatchNorm1d/2d/3d', 'GroupNorm', 'TransformerEncoderLayer'",
    );
  }
  const inp = int('in', spec.in);
  const out = int('out', spec.out);
  const k = int('kernel', spec.kernel);
  const g = int('groups', spec.groups ?? 1);
  if (inp % g !== 0 || out % g !== 0) {
    throw new EngineInputError('groups', g, `a divisor of in = ${inp} and out = ${out}`);
  }
  const kernel = new Array<number>(Number(m[2])).fill(k);
  const transposed = m[1] !== undefined;
  const shape = transposed ? [inp, out / g, ...kernel] : [out, inp / g, ...kernel];
  const fanIn = shape[1]! * k ** kernel.length;
  return [
    { name: 'weight', shape, init: KAIMING_A5 },
    ...(bool('bias', spec.bias, true)
      ? [{ name: 'bias', shape: [out], init: KAIMING_A5, context: { fanIn } }]
      : []),
  ];
}

function recurrent(
  spec: Extract<TorchModuleSpec, { module: 'RNN' | 'LSTM' | 'GRU' }>,
): TorchParameter[] {
  const input = int('input', spec.input);
  const h = int('hidden', spec.hidden);
  const layers = int('layers', spec.layers ?? 1);
  const bias = bool('bias', spec.bias, true);
  const dirs = bool('bidirectional', spec.bidirectional, false) ? 2 : 1;
  const gates = spec.module === 'LSTM' ? 4 : spec.module === 'GRU' ? 3 : 1;
  const init = uniform(1 / Math.sqrt(h));
  const out: TorchParameter[] = [];
  for (let l = 0; l < layers; l++) {
    for (let d = 0; d < dirs; d++) {
      const s = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const inSize = l === 0 ? input : h * dirs;
      out.push(
        { name: `weight_ih${s}`, shape: [gates * h, inSize], init },
        { name: `weight_hh${s}`, shape: [gates * h, h], init },
      );
      if (bias) {
        out.push(
          { name: `bias_ih${s}`, shape: [gates * h], init },
          { name: `bias_hh${s}`, shape: [gates * h], init },
        );
      }
    }
  }
  return out;
}

/**
 * The values `torch.manual_seed(seed); Module(…)` gives every parameter on PyTorch's CPU stream,
 * by name: each constructor draw replayed in order on `createRng(seed, { stream: 'torch' })`.
 * @param kernel - PyTorch's CPU build: 'avx2' (x86 with AVX2, the default) or 'default'
 */
export function drawTorchModule(
  spec: TorchModuleSpec,
  seed: number,
  kernel: TorchCapability = 'avx2',
): Map<string, Float32Array> {
  const rng = createRng(seed, { stream: 'torch', normalKernel: kernel });
  const out = new Map<string, Float32Array>();
  for (const p of torchModule(spec).parameters) {
    const data = initTensor(p.shape, p.init, rng, p.context);
    if (p.after !== undefined && 'zero' in p.after) data.fill(0);
    if (p.after !== undefined && 'zeroRow' in p.after) {
      const w = p.shape[1]!;
      data.fill(0, p.after.zeroRow * w, (p.after.zeroRow + 1) * w);
    }
    out.set(p.name, data);
  }
  return out;
}
