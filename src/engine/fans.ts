/**
 * Fan-in/fan-out and nonlinearity gains, exactly as PyTorch's `torch.nn.init` computes them.
 *
 * @module
 */
import { EngineInputError, checkMemory, formatReceived } from './validate';

/** Number of inputs and outputs feeding one weight, as used by Xavier/Kaiming scaling. */
export interface Fans {
  /** Inputs per output unit: `shape[1] · receptive field`. */
  fanIn: number;
  /** Outputs per input unit: `shape[0] · receptive field`. */
  fanOut: number;
}

/**
 * Checks a tensor shape's dimensions (each a positive integer), at any size: what a law needs,
 * since a law is a formula. Drawing a tensor checks the memory budget too ({@link shapeSize}).
 * @returns the number of elements (product of the dimensions; 1 for a scalar shape `[]`)
 */
export function shapeDims(param: string, shape: readonly number[]): number {
  if (!Array.isArray(shape)) throw new EngineInputError(param, shape, 'an array of dimensions');
  let size = 1;
  shape.forEach((dim, i) => {
    if (!Number.isInteger(dim) || dim < 1) {
      throw new EngineInputError(`${param}[${i}]`, dim, 'a positive integer');
    }
    size *= dim;
  });
  return size;
}

/**
 * Checks a tensor shape: every dimension a positive integer, and the element count within the
 * memory budget.
 * @param param - parameter name for error messages (e.g. `'shape'`)
 * @returns the number of elements (product of the dimensions; 1 for a scalar shape `[]`)
 * @throws EngineInputError for a non-array, a bad dimension or an over-budget size
 */
export function shapeSize(param: string, shape: readonly number[]): number {
  return checkMemory(param, shapeDims(param, shape));
}

/**
 * Fan-in and fan-out of a weight in PyTorch layout: `(out, in)` for linear layers and
 * `(out, in / groups, ...kernel)` for convolutions. The receptive field is the product of the
 * kernel dimensions `shape[2:]`; `fanIn = shape[1] · rf`, `fanOut = shape[0] · rf`.
 *
 * @example computeFans([64, 3, 7, 7]) // { fanIn: 147, fanOut: 3136 }
 * @throws EngineInputError for fewer than 2 dimensions (as PyTorch does) or a bad shape
 */
export function computeFans(shape: readonly number[]): Fans {
  shapeSize('shape', shape);
  return fansOf(shape);
}

/** {@link computeFans} at any size (the dimensions checked, not the memory budget): for laws. */
export function fansOf(shape: readonly number[]): Fans {
  shapeDims('shape', shape);
  if (shape.length < 2) {
    throw new EngineInputError(
      'shape',
      shape,
      'at least 2-dimensional',
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions',
    );
  }
  let receptiveField = 1;
  for (let i = 2; i < shape.length; i++) receptiveField *= shape[i] as number;
  return {
    fanIn: (shape[1] as number) * receptiveField,
    fanOut: (shape[0] as number) * receptiveField,
  };
}

/** Nonlinearity names accepted by {@link calculateGain}, as in `torch.nn.init.calculate_gain`. */
export const NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;

/** One of the {@link NONLINEARITIES}. */
export type Nonlinearity = (typeof NONLINEARITIES)[number];

/**
 * The recommended gain for a nonlinearity: the factor by which Xavier/Kaiming scale the standard
 * deviation so that activations keep their variance through the layer (PyTorch's values).
 *
 * | nonlinearity | gain |
 * | --- | --- |
 * | linear, conv*, conv_transpose*, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 |
 * | leaky_relu | √(2 / (1 + slope²)), slope = `param` (default 0.01) |
 * | selu | 3/4 |
 *
 * @param nonlinearity - one of {@link NONLINEARITIES}
 * @param param - negative slope for `leaky_relu` (ignored otherwise); must be a finite number
 * @throws EngineInputError for an unsupported nonlinearity or an invalid slope
 */
export function calculateGain(nonlinearity: string, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      // PyTorch accepts an int or float slope (not bool) and rejects anything else.
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) {
        throw new EngineInputError('negative_slope', slope, 'a valid number (finite)');
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new EngineInputError(
        'nonlinearity',
        nonlinearity,
        `one of ${NONLINEARITIES.map((n) => `'${n}'`).join(', ')}`,
        `Unsupported nonlinearity ${formatReceived(nonlinearity)}`,
      );
  }
}

/**
 * The square of {@link calculateGain} in closed form (relu 2, tanh 25/9, leaky_relu
 * 2 / (1 + slope²), selu 9/16, else 1), so that a predicted variance gain²/fan is as exact as the
 * rule (`calculateGain('relu') ** 2` is 2.0000000000000004).
 *
 * @throws EngineInputError as {@link calculateGain} does
 */
export function calculateGainSquared(nonlinearity: string, param?: number): number {
  const gain = calculateGain(nonlinearity, param);
  switch (nonlinearity) {
    case 'tanh':
      return 25 / 9;
    case 'relu':
      return 2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return 2 / (1 + slope * slope);
    }
    case 'selu':
      return 9 / 16;
    default:
      return gain * gain;
  }
}
