/**
 * Each parameter's default as PyTorch 1.13 computes it, worked out with the module's numbers: the
 * fans, the gain, the standard deviation and the bound, each step beside the PyTorch function that
 * computes it (cited by file and function, read in torch 1.13's `torch/nn`, not copied).
 *
 * @module
 */
import { fansOf } from '../../engine/fans';
import { initLaw } from '../../engine/init-recipes';
import type { TorchModuleSpec, TorchParameter } from '../../engine/torch/modules';
import { formatG8 } from './python';

/** One step of the working, and where PyTorch does it. */
export interface ChainStep {
  readonly text: string;
  readonly source: string;
}

export interface ParameterRule {
  /** 'uniform', 'normal', or a constant ('ones', 'zeros'). */
  readonly distribution: 'uniform' | 'normal' | 'ones' | 'zeros';
  /** e.g. "U(−0.041666668, 0.041666668)"; "N(0, 1)"; "ones". */
  readonly law: string;
  readonly bound: number | null;
  readonly std: number;
  /** PyTorch's fans where they enter the rule, else null. */
  readonly fanIn: number | null;
  readonly fanOut: number | null;
  readonly steps: readonly ChainStep[];
}

const INIT = 'torch/nn/init.py';
const n8 = (x: number): string => formatG8(x);
const product = (shape: readonly number[]): string => shape.join(' × ');

/** Where the module's constructor calls the initializer. */
function caller(module: TorchModuleSpec['module'], name: string): string {
  if (name.includes('out_proj.'))
    return 'torch/nn/modules/linear.py, Linear.reset_parameters (out_proj is a Linear)';
  if (name.startsWith('linear')) return 'torch/nn/modules/linear.py, Linear.reset_parameters';
  if (name.startsWith('norm'))
    return 'torch/nn/modules/normalization.py, LayerNorm.reset_parameters';
  if (module === 'Linear') return 'torch/nn/modules/linear.py, Linear.reset_parameters';
  if (module === 'Bilinear') return 'torch/nn/modules/linear.py, Bilinear.reset_parameters';
  if (module.startsWith('Conv')) return 'torch/nn/modules/conv.py, _ConvNd.reset_parameters';
  if (module === 'Embedding') return 'torch/nn/modules/sparse.py, Embedding.reset_parameters';
  if (module === 'RNN' || module === 'LSTM' || module === 'GRU')
    return 'torch/nn/modules/rnn.py, RNNBase.reset_parameters';
  if (module === 'MultiheadAttention' || module === 'TransformerEncoderLayer')
    return 'torch/nn/modules/activation.py, MultiheadAttention._reset_parameters';
  if (module.startsWith('BatchNorm'))
    return 'torch/nn/modules/batchnorm.py, _NormBase.reset_parameters';
  if (module === 'GroupNorm')
    return 'torch/nn/modules/normalization.py, GroupNorm.reset_parameters';
  return 'torch/nn/modules/normalization.py, LayerNorm.reset_parameters';
}

function fanStep(
  shape: readonly number[],
  what: string,
): ChainStep & { fanIn: number; fanOut: number } {
  const { fanIn, fanOut } = fansOf(shape);
  const rf = shape.slice(2);
  const tail = rf.length > 0 ? ` × ${product(rf)}` : '';
  return {
    text:
      rf.length > 0
        ? `${what} (${shape.join(', ')}): fan_in = ${shape[1]}${tail} = ${fanIn}, fan_out = ${shape[0]}${tail} = ${fanOut}`
        : `${what} (${shape.join(', ')}): fan_in = ${fanIn}, fan_out = ${fanOut}`,
    source: `${INIT}, _calculate_fan_in_and_fan_out`,
    fanIn,
    fanOut,
  };
}

const uniformLaw = (b: number): string => `U(−${n8(b)}, ${n8(b)})`;

/** The numbers a rule states, from the engine's own law for the parameter (`initLaw`). */
interface LawNumbers {
  readonly distribution: ParameterRule['distribution'];
  readonly law: string;
  readonly bound: number | null;
  readonly std: number;
}

function lawNumbers(p: TorchParameter): LawNumbers {
  const law = initLaw(p.shape, p.init, p.context);
  if (law.kind === 'uniform') {
    const b = law.high;
    return { distribution: 'uniform', law: uniformLaw(b), bound: b, std: Math.sqrt(law.variance) };
  }
  if (law.kind === 'normal') {
    return {
      distribution: 'normal',
      law: `N(${n8(law.mean)}, ${n8(law.std)})`,
      bound: null,
      std: law.std,
    };
  }
  if (law.kind === 'constant' && (law.value === 0 || law.value === 1)) {
    const name = law.value === 0 ? 'zeros' : 'ones';
    return { distribution: name, law: name, bound: null, std: 0 };
  }
  throw new Error(`No rule for ${p.name}'s law ${law.kind}.`);
}

/** What a module's call does, in words, with the numbers of {@link lawNumbers}. */
type Working = (
  p: TorchParameter,
  n: LawNumbers,
  where: string,
  module: TorchModuleSpec['module'],
  weightShape: readonly number[] | undefined,
) => { steps: ChainStep[]; fanIn: number | null; fanOut: number | null };

const stdStep = (b: number): ChainStep => ({
  text: `std = bound/√3 = ${n8(b / Math.sqrt(3))}`,
  source: 'U(−b, b) has variance b²/3',
});

/**
 * The words of each call a module constructor makes, by the engine spec's name. Every number in
 * them comes from the engine (`initLaw` for bounds and stds, `fansOf` for fans); this table
 * adds only which PyTorch function says what.
 */
const WORKING: Partial<Record<TorchParameter['init']['name'], Working>> = {
  torch_default(p, n, where, _module, weightShape) {
    if (p.context?.fanIn !== undefined) {
      const b = n.bound!;
      const fans = weightShape ? [fanStep(weightShape, 'fan_in of the weight')] : [];
      return {
        fanIn: p.context.fanIn,
        fanOut: null,
        steps: [
          ...fans.map(({ text, source }) => ({ text, source })),
          {
            text: `bound = 1/√fan_in = 1/√${p.context.fanIn} = ${n8(b)}; uniform_(bias, −bound, bound)`,
            source: where,
          },
          stdStep(b),
        ],
      };
    }
    const fans = fanStep(p.shape, 'weight');
    const gain = Math.sqrt(1 / 3);
    return {
      fanIn: fans.fanIn,
      fanOut: fans.fanOut,
      steps: [
        { text: 'kaiming_uniform_(weight, a=√5)', source: where },
        { text: fans.text, source: fans.source },
        {
          text: `gain = √(2/(1 + a²)) = √(2/6) = √(1/3) = ${n8(gain)}`,
          source: `${INIT}, calculate_gain ('leaky_relu', a = √5)`,
        },
        {
          text: `std = gain/√fan_in = ${n8(gain)}/√${fans.fanIn} = ${n8(n.std)}`,
          source: `${INIT}, kaiming_uniform_`,
        },
        {
          text: `bound = √3 · std = 1/√${fans.fanIn} = ${n8(n.bound!)}`,
          source: `${INIT}, kaiming_uniform_`,
        },
      ],
    };
  },
  uniform(p, n, where, module) {
    const b = n.bound!;
    const recurrent = module === 'RNN' || module === 'LSTM' || module === 'GRU';
    const of = `1/√${recurrent ? 'hidden_size' : 'in1_features'} = 1/√${Math.round(1 / b ** 2)}`;
    return {
      fanIn: null,
      fanOut: null,
      steps: [
        {
          text: `bound = ${of} = ${n8(b)}; uniform_(${recurrent ? 'every parameter' : p.name}, −bound, bound)`,
          source: where,
        },
        stdStep(b),
      ],
    };
  },
  xavier_uniform(p, n, where) {
    const fans = fanStep(p.shape, 'in_proj_weight');
    return {
      fanIn: fans.fanIn,
      fanOut: fans.fanOut,
      steps: [
        { text: 'xavier_uniform_(in_proj_weight), gain 1', source: where },
        { text: fans.text, source: fans.source },
        {
          text: `std = gain · √(2/(fan_in + fan_out)) = √(2/${fans.fanIn + fans.fanOut}) = ${n8(n.std)}`,
          source: `${INIT}, xavier_uniform_`,
        },
        { text: `bound = √3 · std = ${n8(n.bound!)}`, source: `${INIT}, xavier_uniform_` },
      ],
    };
  },
  normal(p, n, where) {
    const pad = p.after !== undefined && 'zeroRow' in p.after ? p.after.zeroRow : undefined;
    const steps: ChainStep[] = [
      { text: `normal_(weight): mean 0, std ${n8(n.std)}, whatever the size`, source: where },
      {
        text: 'no fans: the std does not depend on num_embeddings or embedding_dim',
        source: `${INIT}, normal_`,
      },
    ];
    if (pad !== undefined) {
      steps.push({
        text: `row ${pad} (padding_idx) set to 0 after the draw`,
        source: 'torch/nn/modules/sparse.py, Embedding._fill_padding_idx_with_zero',
      });
    }
    return { fanIn: null, fanOut: null, steps };
  },
};

/** Constants: no draw. */
function constantWorking(p: TorchParameter, n: LawNumbers, where: string): ChainStep[] {
  const inProj = p.name.endsWith('in_proj_bias');
  return [
    {
      text:
        n.distribution === 'ones'
          ? 'ones_: every entry 1 (no draw)'
          : `zeros_${inProj ? ' (constant_ 0)' : ''}: every entry 0 (no draw)`,
      source: inProj
        ? 'torch/nn/modules/activation.py, MultiheadAttention._reset_parameters'
        : where,
    },
  ];
}

/** out_proj's bias in attention: drawn as a Linear bias, then zeroed. */
function zeroedAfterDraw(p: TorchParameter): ParameterRule {
  const draw = lawNumbers(p);
  return {
    distribution: 'zeros',
    law: 'zeros',
    bound: null,
    std: 0,
    fanIn: null,
    fanOut: null,
    steps: [
      {
        text: `drawn first as out_proj's Linear bias, U(±1/√${p.context?.fanIn}) = U(±${n8(draw.bound!)}): the draw still advances the generator`,
        source: 'torch/nn/modules/linear.py, Linear.reset_parameters',
      },
      {
        text: 'then set to 0',
        source: 'torch/nn/modules/activation.py, MultiheadAttention._reset_parameters (constant_)',
      },
    ],
  };
}

/**
 * The rule for one parameter, with its working.
 * @param weightShape - the shape of the weight a bias belongs to (its fan_in sets the bias's bound)
 */
export function parameterRule(
  module: TorchModuleSpec['module'],
  p: TorchParameter,
  weightShape: readonly number[] | undefined,
): ParameterRule {
  if (p.after !== undefined && 'zero' in p.after) return zeroedAfterDraw(p);
  const where = caller(module, p.name);
  const n = lawNumbers(p);
  if (n.distribution === 'ones' || n.distribution === 'zeros') {
    return { ...n, fanIn: null, fanOut: null, steps: constantWorking(p, n, where) };
  }
  const working = WORKING[p.init.name];
  if (working === undefined) throw new Error(`No working for ${p.name}'s init ${p.init.name}.`);
  return { ...n, ...working(p, n, where, module, weightShape) };
}
