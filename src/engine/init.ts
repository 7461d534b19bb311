/**
 * Weight initializers with PyTorch's exact recipes (torch.nn.init) and JAX/Keras variance
 * scaling: the declarative {@link initTensor}, the in-place torch-named functions (`normal_`,
 * `kaiming_uniform_`, …) and Keras/JAX-named presets. All of them share one implementation,
 * `fillInit` in `init-recipes.ts`.
 *
 * Shapes use PyTorch's layout: `(out, in)` for linear weights, `(out, in/groups, ...kernel)` for
 * convolutions; data is row-major.
 *
 * @module
 */
import { shapeSize } from './fans';
import type {
  InitContext,
  InitName,
  InitSpec,
  VarianceScalingDistribution,
  VarianceScalingMode,
} from './init-spec';
import { fillInit } from './init-recipes';
import type { Rng } from './rng';
import { EngineInputError } from './validate';

export { INIT_NAMES } from './init-recipes';

export type {
  FanMode,
  VarianceScalingMode,
  VarianceScalingDistribution,
  InitSpec,
  KaimingSpec,
  InitName,
  InitContext,
  InitLaw,
} from './init-spec';

/**
 * Samples a new tensor of `shape` from `init`.
 *
 * @param shape - dimensions in PyTorch layout, each a positive integer, at most MAX_ELEMENTS in total
 * @param init - what to draw; see {@link InitSpec}
 * @param rng - the seeded generator to draw from (advanced; unused by deterministic inits)
 * @param context - `fanIn` for `torch_default` biases
 * @returns the values, row-major
 * @throws EngineInputError naming the parameter, the value received and what is allowed
 */
export function initTensor(
  shape: readonly number[],
  init: InitSpec,
  rng: Rng,
  context?: InitContext,
): Float32Array {
  const data = new Float32Array(shapeSize('shape', shape));
  return fillInit(data, shape, init, rng, context);
}

/** A tensor to initialize in place: row-major `data` of `shape`'s size (PyTorch layout). */
export interface Tensor {
  data: Float32Array;
  shape: readonly number[];
}

/** The fields of the {@link InitSpec} named `N`, without `name`: a torch function's options. */
export type InitOptions<N extends InitName> = Omit<Extract<InitSpec, { name: N }>, 'name'>;

/** Fills `tensor` in place from `spec`: the shared body of the torch-named functions. */
function apply(tensor: Tensor, spec: InitSpec, rng?: Rng): Tensor {
  if (typeof tensor !== 'object' || tensor === null) {
    throw new EngineInputError('tensor', tensor, 'an object { data: Float32Array, shape }');
  }
  fillInit(tensor.data, tensor.shape, spec, rng);
  return tensor;
}

// The torch-named functions below mirror torch.nn.init: same names, PyTorch's parameters (with
// its defaults) as an options object, then the generator. Each fills `tensor.data` in place and
// returns `tensor`; bad input throws EngineInputError and leaves the data untouched.

/** `uniform_(tensor, { a = 0, b = 1 }, rng)`: U(a, b). */
export const uniform_ = (t: Tensor, o: InitOptions<'uniform'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'uniform' }, rng);

/** `normal_(tensor, { mean = 0, std = 1 }, rng)`: N(mean, std²). */
export const normal_ = (t: Tensor, o: InitOptions<'normal'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'normal' }, rng);

/** `trunc_normal_(tensor, { mean = 0, std = 1, a = −2, b = 2 }, rng)`: N(mean, std²) cut to [a, b]. */
export const trunc_normal_ = (t: Tensor, o: InitOptions<'trunc_normal'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'trunc_normal' }, rng);

/** `constant_(tensor, { val })`: every entry `val`. */
export const constant_ = (t: Tensor, o: { val: number }): Tensor =>
  apply(t, { name: 'constant', value: o.val });

/** `ones_(tensor)`: every entry 1. */
export const ones_ = (t: Tensor): Tensor => apply(t, { name: 'ones' });

/** `zeros_(tensor)`: every entry 0. */
export const zeros_ = (t: Tensor): Tensor => apply(t, { name: 'zeros' });

/** `eye_(tensor)`: identity pattern of a 2-D tensor. */
export const eye_ = (t: Tensor): Tensor => apply(t, { name: 'eye' });

/** `dirac_(tensor, { groups = 1 })`: Dirac delta of a 3/4/5-D conv weight. */
export const dirac_ = (t: Tensor, o: InitOptions<'dirac'> = {}): Tensor =>
  apply(t, { ...o, name: 'dirac' });

/** `xavier_uniform_(tensor, { gain = 1 }, rng)`: U(±gain·√(6 / (fanIn + fanOut))). */
export const xavier_uniform_ = (t: Tensor, o: InitOptions<'xavier_uniform'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'xavier_uniform' }, rng);

/** `xavier_normal_(tensor, { gain = 1 }, rng)`: N(0, gain²·2 / (fanIn + fanOut)). */
export const xavier_normal_ = (t: Tensor, o: InitOptions<'xavier_normal'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'xavier_normal' }, rng);

/** `kaiming_uniform_(tensor, { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' }, rng)`. */
export const kaiming_uniform_ = (t: Tensor, o: InitOptions<'kaiming_uniform'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'kaiming_uniform' }, rng);

/** `kaiming_normal_(tensor, { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' }, rng)`. */
export const kaiming_normal_ = (t: Tensor, o: InitOptions<'kaiming_normal'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'kaiming_normal' }, rng);

/** `orthogonal_(tensor, { gain = 1 }, rng)`: (semi-)orthogonal rows or columns, times gain. */
export const orthogonal_ = (t: Tensor, o: InitOptions<'orthogonal'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'orthogonal' }, rng);

/** `sparse_(tensor, { sparsity, std = 0.01 }, rng)`: N(0, std²) with ⌈sparsity·rows⌉ zeros per column. */
export const sparse_ = (t: Tensor, o: InitOptions<'sparse'>, rng: Rng): Tensor =>
  apply(t, { ...o, name: 'sparse' }, rng);

/** A variance-scaling spec with every field set, as the Keras/JAX presets return. */
export type VarianceScalingSpec = Required<Extract<InitSpec, { name: 'variance_scaling' }>>;

const vs = (
  scale: number,
  mode: VarianceScalingMode,
  distribution: VarianceScalingDistribution,
): VarianceScalingSpec => ({ name: 'variance_scaling', scale, mode, distribution });

/** Keras/JAX `glorot_uniform` (Xavier): variance_scaling(1, 'fan_avg', 'uniform'). */
export const glorot_uniform = (): VarianceScalingSpec => vs(1, 'fan_avg', 'uniform');
/** Keras/JAX `glorot_normal`: variance_scaling(1, 'fan_avg', 'truncated_normal'). */
export const glorot_normal = (): VarianceScalingSpec => vs(1, 'fan_avg', 'truncated_normal');
/** Keras/JAX `he_normal` (Kaiming): variance_scaling(2, 'fan_in', 'truncated_normal'). */
export const he_normal = (): VarianceScalingSpec => vs(2, 'fan_in', 'truncated_normal');
/** Keras/JAX `he_uniform`: variance_scaling(2, 'fan_in', 'uniform'). */
export const he_uniform = (): VarianceScalingSpec => vs(2, 'fan_in', 'uniform');
/** Keras/JAX `lecun_uniform`: variance_scaling(1, 'fan_in', 'uniform'). */
export const lecun_uniform = (): VarianceScalingSpec => vs(1, 'fan_in', 'uniform');
/** Keras/JAX `lecun_normal` (Flax's default): variance_scaling(1, 'fan_in', 'truncated_normal'). */
export const lecun_normal = (): VarianceScalingSpec => vs(1, 'fan_in', 'truncated_normal');
