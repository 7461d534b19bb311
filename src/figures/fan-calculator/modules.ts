/**
 * The module inspector's settings as a PyTorch constructor: the engine's module description and
 * the Python call that builds the same module, with PyTorch's argument names. Impossible sizes
 * are refused here with the constructor's own argument names, before the engine sees them.
 *
 * @module
 */
import type { TorchModuleSpec } from '../../engine/torch/modules';
import { EngineInputError } from '../../engine/validate';

/** The settings the constructor reads (the figure's parameters, less the seed and build). */
export interface ModuleSettings {
  readonly layer: string;
  readonly inputs: number;
  readonly outputs: number;
  readonly in2: number;
  readonly kernel: number;
  readonly groups: number;
  readonly heads: number;
  readonly layers: number;
  readonly bidirectional: boolean;
  readonly bias: boolean;
  readonly padded: boolean;
  readonly paddingIdx: number;
}

/** The modules offered, by the figure's value (the first five are the fan calculator's). */
export const MODULE_OPTIONS = [
  { value: 'linear', label: 'nn.Linear' },
  { value: 'conv1d', label: 'nn.Conv1d' },
  { value: 'conv2d', label: 'nn.Conv2d' },
  { value: 'conv3d', label: 'nn.Conv3d' },
  { value: 'conv_transpose2d', label: 'nn.ConvTranspose2d' },
  { value: 'conv_transpose1d', label: 'nn.ConvTranspose1d' },
  { value: 'conv_transpose3d', label: 'nn.ConvTranspose3d' },
  { value: 'bilinear', label: 'nn.Bilinear' },
  { value: 'embedding', label: 'nn.Embedding' },
  { value: 'rnn', label: 'nn.RNN' },
  { value: 'lstm', label: 'nn.LSTM' },
  { value: 'gru', label: 'nn.GRU' },
  { value: 'mha', label: 'nn.MultiheadAttention' },
  { value: 'transformer', label: 'nn.TransformerEncoderLayer' },
  { value: 'layernorm', label: 'nn.LayerNorm' },
  { value: 'batchnorm1d', label: 'nn.BatchNorm1d' },
  { value: 'batchnorm2d', label: 'nn.BatchNorm2d' },
  { value: 'batchnorm3d', label: 'nn.BatchNorm3d' },
  { value: 'groupnorm', label: 'nn.GroupNorm' },
] as const;

const CONV = {
  conv1d: 'Conv1d',
  conv2d: 'Conv2d',
  conv3d: 'Conv3d',
  conv_transpose1d: 'ConvTranspose1d',
  conv_transpose2d: 'ConvTranspose2d',
  conv_transpose3d: 'ConvTranspose3d',
} as const;
const RECURRENT = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' } as const;
const BATCHNORM = {
  batchnorm1d: 'BatchNorm1d',
  batchnorm2d: 'BatchNorm2d',
  batchnorm3d: 'BatchNorm3d',
} as const;

const has = <T extends object>(table: T, key: string): key is Extract<keyof T, string> =>
  Object.hasOwn(table, key);

function divisible(param: string, value: number, what: string, total: number): void {
  if (total % value !== 0) {
    throw new EngineInputError(
      param,
      value,
      `a divisor of ${what} (${total})`,
      `${what} (${total}) is not divisible by ${param} (${value})`,
    );
  }
}

/** A module and its Python call. */
export interface BuiltModule {
  readonly spec: TorchModuleSpec;
  /** e.g. `nn.Conv2d(64, 128, 3)`: positional sizes, keywords only where they differ from PyTorch's defaults. */
  readonly call: string;
}

const args = (positional: readonly number[], keywords: readonly (string | false)[]): string =>
  [...positional.map(String), ...keywords.filter((k): k is string => k !== false)].join(', ');

/**
 * The module the settings describe.
 * @throws EngineInputError for sizes PyTorch would refuse (groups, heads, padding_idx)
 */
export function buildModule(s: ModuleSettings): BuiltModule {
  const noBias = !s.bias && 'bias=False';
  const { layer, inputs: n, outputs: m } = s;
  if (layer === 'linear') {
    return {
      spec: { module: 'Linear', in: n, out: m, bias: s.bias },
      call: `nn.Linear(${args([n, m], [noBias])})`,
    };
  }
  if (layer === 'bilinear') {
    return {
      spec: { module: 'Bilinear', in1: n, in2: s.in2, out: m, bias: s.bias },
      call: `nn.Bilinear(${args([n, s.in2, m], [noBias])})`,
    };
  }
  if (has(CONV, layer)) {
    divisible('groups', s.groups, 'in_channels', n);
    divisible('groups', s.groups, 'out_channels', m);
    const module = CONV[layer];
    return {
      spec: { module, in: n, out: m, kernel: s.kernel, groups: s.groups, bias: s.bias },
      call: `nn.${module}(${args([n, m, s.kernel], [s.groups !== 1 && `groups=${s.groups}`, noBias])})`,
    };
  }
  if (layer === 'embedding') {
    if (s.padded && (s.paddingIdx < -n || s.paddingIdx >= n)) {
      throw new EngineInputError(
        'padding_idx',
        s.paddingIdx,
        `from −${n} to ${n - 1}`,
        'padding_idx must be within num_embeddings',
      );
    }
    return {
      spec: {
        module: 'Embedding',
        num: n,
        dim: m,
        ...(s.padded ? { paddingIdx: s.paddingIdx } : {}),
      },
      call: `nn.Embedding(${args([n, m], [s.padded && `padding_idx=${s.paddingIdx}`])})`,
    };
  }
  if (has(RECURRENT, layer)) {
    const module = RECURRENT[layer];
    return {
      spec: {
        module,
        input: n,
        hidden: m,
        layers: s.layers,
        bias: s.bias,
        bidirectional: s.bidirectional,
      },
      call: `nn.${module}(${args(
        [n, m],
        [
          s.layers !== 1 && `num_layers=${s.layers}`,
          noBias,
          s.bidirectional && 'bidirectional=True',
        ],
      )})`,
    };
  }
  if (layer === 'mha' || layer === 'transformer') {
    divisible('num_heads', s.heads, 'embed_dim', n);
    return layer === 'mha'
      ? {
          spec: { module: 'MultiheadAttention', embed: n, heads: s.heads, bias: s.bias },
          call: `nn.MultiheadAttention(${args([n, s.heads], [noBias])})`,
        }
      : {
          spec: { module: 'TransformerEncoderLayer', dModel: n, heads: s.heads, ff: m },
          call: `nn.TransformerEncoderLayer(${args([n, s.heads], [m !== 2048 && `dim_feedforward=${m}`])})`,
        };
  }
  if (layer === 'layernorm') {
    return {
      spec: { module: 'LayerNorm', shape: n, affine: s.bias },
      call: `nn.LayerNorm(${args([n], [!s.bias && 'elementwise_affine=False'])})`,
    };
  }
  if (has(BATCHNORM, layer)) {
    const module = BATCHNORM[layer];
    return {
      spec: { module, features: n, affine: s.bias },
      call: `nn.${module}(${args([n], [!s.bias && 'affine=False'])})`,
    };
  }
  if (layer === 'groupnorm') {
    divisible('num_groups', s.groups, 'num_channels', n);
    return {
      spec: { module: 'GroupNorm', groups: s.groups, channels: n, affine: s.bias },
      call: `nn.GroupNorm(${args([s.groups, n], [!s.bias && 'affine=False'])})`,
    };
  }
  throw new EngineInputError('layer', layer, MODULE_OPTIONS.map((o) => o.label).join(', '));
}
