/**
 * The one implementation of every initializer: parameter checks (PyTorch's rules and defaults)
 * and the recipe that turns an {@link InitSpec} into samples. Public entry points live in
 * `init.ts`.
 *
 * @module
 */
import {
  NONLINEARITIES,
  calculateGain,
  calculateGainSquared,
  fansOf,
  shapeDims,
  shapeSize,
} from './fans';
import {
  fillDirac,
  fillEye,
  fillOrthogonal,
  fillTruncNormal,
  truncatedNormalVariance,
} from './fill';
import type { InitContext, InitLaw, InitName, InitSpec } from './init-spec';
import type { Rng } from './rng';
import { orthogonalGaussian, torchTruncNormal, zeroColumns } from './torch/init-draws';
import {
  EngineInputError,
  finiteNumber,
  formatReceived,
  inRange,
  nonNegative,
  oneOf,
  positiveInt,
} from './validate';

/** Every accepted {@link InitName}. */
export const INIT_NAMES: readonly InitName[] = [
  'uniform',
  'normal',
  'trunc_normal',
  'constant',
  'zeros',
  'ones',
  'eye',
  'dirac',
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
  'orthogonal',
  'sparse',
  'torch_default',
  'variance_scaling',
  'lecun_normal',
];

/** JAX's truncated_normal at ±2 has this standard deviation; dividing by it restores the target. */
const TRUNC_STD = 0.87962566103423978;

/**
 * Checks `init` against `shape` (PyTorch's rules and defaults) and returns the law it draws from.
 * Pure: no generator, nothing allocated beyond the result. Any size: the memory budget is checked
 * when a tensor is drawn (`fillInit`, `initTensor`), not here.
 *
 * @throws EngineInputError naming the parameter, the value received and what is allowed
 */
export function initLaw(shape: readonly number[], init: InitSpec, context?: InitContext): InitLaw {
  const size = shapeDims('shape', shape);
  if (typeof init !== 'object' || init === null) {
    throw new EngineInputError('init', init, 'an InitSpec object such as { name: "normal" }');
  }
  switch (init.name) {
    case 'uniform': {
      const a = finiteNumber('a', init.a ?? 0);
      const b = finiteNumber('b', init.b ?? 1);
      if (b < a) throw new EngineInputError('b', b, `a number ≥ a (${a})`);
      return { kind: 'uniform', low: a, high: b, variance: (b - a) ** 2 / 12 };
    }
    case 'normal': {
      const mean = finiteNumber('mean', init.mean ?? 0);
      const std = nonNegative('std', init.std ?? 1);
      return { kind: 'normal', mean, std, variance: std * std };
    }
    case 'trunc_normal': {
      const mean = finiteNumber('mean', init.mean ?? 0);
      const std = positive('std', init.std ?? 1);
      const a = finiteNumber('a', init.a ?? -2);
      const b = finiteNumber('b', init.b ?? 2);
      if (!(b > a)) throw new EngineInputError('b', b, `a number > a (${a})`);
      const variance = truncatedNormalVariance(mean, std, a, b);
      return { kind: 'truncated', mean, std, low: a, high: b, variance };
    }
    case 'constant':
      return { kind: 'constant', value: finiteNumber('value', init.value) };
    case 'zeros':
      return { kind: 'constant', value: 0 };
    case 'ones':
      return { kind: 'constant', value: 1 };
    case 'eye':
      requireDims(shape, [2], 'eye');
      return { kind: 'eye', rows: shape[0] as number, cols: shape[1] as number };
    case 'dirac': {
      requireDims(shape, [3, 4, 5], 'dirac');
      const groups = positiveInt('groups', init.groups ?? 1);
      if ((shape[0] as number) % groups !== 0) {
        throw new EngineInputError('groups', groups, `a divisor of shape[0] (${shape[0]})`);
      }
      return { kind: 'dirac', groups };
    }
    case 'xavier_uniform':
    case 'xavier_normal': {
      const gain = nonNegative('gain', init.gain ?? 1);
      const { fanIn, fanOut } = fansOf(shape);
      const std = gain * Math.sqrt(2 / (fanIn + fanOut));
      return scaled(init.name === 'xavier_uniform', std, (gain * gain * 2) / (fanIn + fanOut));
    }
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      const { std, variance } = kaiming(
        shape,
        init.a ?? 0,
        init.mode ?? 'fan_in',
        init.nonlinearity,
      );
      return scaled(init.name === 'kaiming_uniform', std, variance);
    }
    case 'orthogonal': {
      const gain = finiteNumber('gain', init.gain ?? 1);
      if (shape.length < 2) {
        throw new EngineInputError(
          'shape',
          shape,
          'at least 2-dimensional',
          'Only tensors with 2 or more dimensions are supported',
        );
      }
      const rows = shape[0] as number;
      const cols = size / rows;
      const work = rows * cols * Math.min(rows, cols);
      if (work > ORTHOGONAL_BUDGET) {
        throw new EngineInputError(
          'shape',
          shape,
          `small enough for a QR decomposition (rows·cols·min(rows, cols) ≤ 2^34; this one needs ${work})`,
        );
      }
      return { kind: 'orthogonal', rows, cols, gain };
    }
    case 'sparse': {
      requireDims(shape, [2], 'sparse');
      const sparsity = inRange('sparsity', init.sparsity, 0, 1);
      const std = nonNegative('std', init.std ?? 0.01);
      const [rows = 0, cols = 0] = shape;
      // Math.ceil of the double product, exactly as PyTorch's math.ceil(sparsity * rows).
      return { kind: 'sparse', std, rows, cols, zeros: Math.ceil(sparsity * rows) };
    }
    case 'torch_default': {
      if (shape.length >= 2) {
        const { std, variance } = kaiming(shape, Math.sqrt(5), 'fan_in', 'leaky_relu');
        return scaled(true, std, variance);
      }
      if (shape.length === 0)
        throw new EngineInputError('shape', shape, 'a 1-D bias or ≥ 2-D weight shape');
      const fanIn = positiveInt('context.fanIn', context?.fanIn);
      const bound = 1 / Math.sqrt(fanIn);
      return { kind: 'uniform', low: -bound, high: bound, variance: 1 / (3 * fanIn) };
    }
    case 'variance_scaling': {
      const { scale = 1, mode = 'fan_in', distribution = 'truncated_normal' } = init;
      return varianceScaling(shape, scale, mode, distribution);
    }
    case 'lecun_normal':
      return varianceScaling(shape, 1, 'fan_in', 'truncated_normal');
    default: {
      const name: unknown = (init as { name?: unknown }).name;
      throw new EngineInputError(
        'name',
        name,
        `one of ${INIT_NAMES.map((n) => `'${n}'`).join(', ')}`,
      );
    }
  }
}

/**
 * Fills `data` (row-major, `shape`'s size) in place from `init`: the single implementation
 * behind {@link initTensor} and the torch-named functions. Validates everything first, so a bad
 * parameter leaves `data` untouched.
 */
export function fillInit(
  data: Float32Array,
  shape: readonly number[],
  init: InitSpec,
  rng: Rng | undefined,
  context?: InitContext,
): Float32Array {
  const size = shapeSize('shape', shape);
  if (!(data instanceof Float32Array) || data.length !== size) {
    throw new EngineInputError(
      'data',
      data?.length,
      `a Float32Array of length ${size} (shape's size)`,
    );
  }
  const law = initLaw(shape, init, context);
  const random = (): Rng => {
    if (rng === undefined) throw new EngineInputError('rng', rng, 'a generator from createRng');
    return rng;
  };
  switch (law.kind) {
    case 'uniform':
      return random().uniformArray(data, law.low, law.high);
    case 'normal':
      return random().normalArray(data, law.mean, law.std);
    case 'truncated':
      return (
        torchTruncNormal(data, law.mean, law.std, law.low, law.high, random()) ??
        fillTruncNormal(data, law.mean, law.std, law.low, law.high, random())
      );
    case 'constant':
      return data.fill(law.value);
    case 'eye':
      return fillEye(data, law.rows, law.cols);
    case 'dirac':
      return fillDirac(data, shape, law.groups);
    case 'orthogonal': {
      const g = random();
      const gaussian = orthogonalGaussian(g, law.rows, law.cols);
      return fillOrthogonal(data, law.rows, law.cols, law.gain, g, gaussian);
    }
    case 'sparse':
      random().normalArray(data, 0, law.std);
      return zeroColumns(data, law.rows, law.cols, law.zeros, random());
  }
}

/** Largest QR workload (multiply-adds ≈ rows·cols·min) orthogonal init accepts: seconds in JS. */
const ORTHOGONAL_BUDGET = 2 ** 34;

/** Checks for a finite number > 0 (a std or scale that must not vanish). */
function positive(param: string, value: unknown): number {
  const x = finiteNumber(param, value);
  if (x <= 0) throw new EngineInputError(param, value, 'a finite number > 0');
  return x;
}

/** Checks that `shape` has one of the dimension counts `dims` that initializer `name` supports. */
function requireDims(shape: readonly number[], dims: readonly number[], name: string): void {
  if (!dims.includes(shape.length)) {
    const allowed =
      dims.length === 1
        ? `${dims[0]}-dimensional`
        : `${dims.join(', ').replace(/, (\d)$/, ' or $1')}-dimensional`;
    throw new EngineInputError(
      'shape',
      shape,
      `${allowed} for ${name} (it has ${shape.length} dimensions: ${formatReceived(shape)})`,
    );
  }
}

/**
 * std = gain / √fan, gain = calculateGain(nonlinearity, a), fan chosen by mode (PyTorch), and the
 * variance gain² / fan in closed form.
 */
function kaiming(
  shape: readonly number[],
  a: unknown,
  mode: unknown,
  nonlinearity: unknown,
): { std: number; variance: number } {
  const slope = finiteNumber('a', a);
  const fanMode = oneOf('mode', mode, ['fan_in', 'fan_out']);
  const nl = oneOf('nonlinearity', nonlinearity ?? 'leaky_relu', NONLINEARITIES);
  const { fanIn, fanOut } = fansOf(shape);
  const fan = fanMode === 'fan_in' ? fanIn : fanOut;
  return {
    std: calculateGain(nl, slope) / Math.sqrt(fan),
    variance: calculateGainSquared(nl, slope) / fan,
  };
}

/** U(±√3·std) or N(0, std²); `variance` is std² as the rule states it (exact, not std·std). */
function scaled(uniform: boolean, std: number, variance: number): InitLaw {
  if (!uniform) return { kind: 'normal', mean: 0, std, variance };
  const bound = Math.sqrt(3) * std;
  return { kind: 'uniform', low: -bound, high: bound, variance };
}

/** JAX's variance_scaling with fans from our PyTorch layout; the variance is scale / n. */
function varianceScaling(
  shape: readonly number[],
  scaleIn: unknown,
  modeIn: unknown,
  distributionIn: unknown,
): InitLaw {
  const scale = positive('scale', scaleIn);
  const mode = oneOf('mode', modeIn, ['fan_in', 'fan_out', 'fan_avg']);
  const distribution = oneOf('distribution', distributionIn, [
    'truncated_normal',
    'untruncated_normal',
    'normal',
    'uniform',
  ]);
  const { fanIn, fanOut } = fansOf(shape);
  const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
  const std = Math.sqrt(scale / n);
  const variance = scale / n;
  if (distribution === 'uniform') return scaled(true, std, variance);
  if (distribution !== 'truncated_normal') return scaled(false, std, variance);
  // N(0, 1) cut at ±2 has std 0.8796…; widening by 1/0.8796… before cutting restores std, so the
  // variance after truncation is scale / n (truncatedNormalVariance agrees to 1e-15).
  const wide = std / TRUNC_STD;
  return { kind: 'truncated', mean: 0, std: wide, low: -2 * wide, high: 2 * wide, variance };
}
