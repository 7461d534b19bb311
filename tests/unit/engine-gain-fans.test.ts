import { describe, expect, it } from 'vitest';
import { NONLINEARITIES, calculateGain, computeFans, fansOf } from '../../src/engine/fans';
import { fillInit, initLaw } from '../../src/engine/init-recipes';
import { EngineInputError, MAX_ELEMENTS } from '../../src/engine/validate';

/** Runs `fn`, expecting an EngineInputError, and returns it. */
function thrown(fn: () => unknown): EngineInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return error as EngineInputError;
  }
  throw new Error('expected an EngineInputError');
}

describe('computeFans', () => {
  it('uses (out, in) for linear weights', () => {
    expect(computeFans([20, 10])).toEqual({ fanIn: 10, fanOut: 20 });
  });

  it('multiplies by the receptive field for conv weights (out, in/groups, ...kernel)', () => {
    expect(computeFans([64, 3, 7, 7])).toEqual({ fanIn: 147, fanOut: 3136 });
    expect(computeFans([16, 4, 5])).toEqual({ fanIn: 20, fanOut: 80 }); // conv1d
    expect(computeFans([8, 2, 3, 3, 3])).toEqual({ fanIn: 54, fanOut: 216 }); // conv3d
    // Grouped conv, 32 outputs, 8 inputs per group, 3×3 kernel: PyTorch ignores groups.
    expect(computeFans([32, 8, 3, 3])).toEqual({ fanIn: 72, fanOut: 288 });
  });

  it('refuses fewer than 2 dimensions with PyTorch wording', () => {
    const error = thrown(() => computeFans([5]));
    expect(error.message).toContain(
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions',
    );
    expect(error.param).toBe('shape');
    expect(error.message).toContain('received [5]');
    expect(thrown(() => computeFans([])).received).toEqual([]);
  });

  it('rejects bad dimensions and over-budget shapes', () => {
    expect(thrown(() => computeFans([3, 0])).message).toBe(
      'shape[1] must be a positive integer; received 0',
    );
    expect(thrown(() => computeFans([3, 2.5])).param).toBe('shape[1]');
    expect(thrown(() => computeFans([Number.NaN, 2])).param).toBe('shape[0]');
    expect(thrown(() => computeFans([MAX_ELEMENTS, 2])).message).toContain('512 MiB');
  });

  it('describes laws at any size; only drawing checks the memory budget', () => {
    // nn.LSTM(8192, 8192)'s weight_ih_l0 holds 2²⁸ values: its law is still a formula.
    const shape = [4 * 8192, 8192];
    expect(fansOf(shape)).toEqual({ fanIn: 8192, fanOut: 32768 });
    const law = initLaw(shape, { name: 'torch_default' });
    expect(law.kind).toBe('uniform');
    if (law.kind === 'uniform') expect(law.high).toBeCloseTo(1 / Math.sqrt(8192), 15);
    expect(thrown(() => initLaw([3, 0], { name: 'torch_default' })).param).toBe('shape[1]');
    expect(
      thrown(() => fillInit(new Float32Array(1), shape, { name: 'torch_default' }, undefined))
        .message,
    ).toContain('512 MiB');
  });
});

describe('calculateGain', () => {
  it('returns PyTorch’s documented gains', () => {
    // Exact equality: the values are the same double expressions PyTorch evaluates.
    for (const name of [
      'linear',
      'conv1d',
      'conv2d',
      'conv3d',
      'conv_transpose1d',
      'conv_transpose2d',
      'conv_transpose3d',
      'sigmoid',
    ]) {
      expect(calculateGain(name)).toBe(1);
    }
    expect(calculateGain('tanh')).toBe(5 / 3);
    expect(calculateGain('relu')).toBe(Math.sqrt(2));
    expect(calculateGain('selu')).toBe(0.75);
    expect(calculateGain('leaky_relu')).toBe(Math.sqrt(2 / (1 + 0.01 ** 2)));
    expect(calculateGain('leaky_relu', 0.2)).toBe(Math.sqrt(2 / 1.04));
    expect(calculateGain('leaky_relu', 0)).toBe(Math.sqrt(2));
    // kaiming_uniform's a = √5 gives gain √(1/3): the nn.Linear default.
    expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(NONLINEARITIES).toHaveLength(12);
  });

  it('rejects an unsupported nonlinearity, listing the accepted names', () => {
    const error = thrown(() => calculateGain('gelu'));
    expect(error.param).toBe('nonlinearity');
    expect(error.received).toBe('gelu');
    expect(error.message).toContain("Unsupported nonlinearity 'gelu'");
    expect(error.message).toContain("'leaky_relu'");
    expect(error.message).toContain("received 'gelu'");
  });

  it('rejects a slope that is not a valid number', () => {
    for (const slope of [
      Number.NaN,
      Infinity,
      '0.1' as unknown as number,
      true as unknown as number,
    ]) {
      const error = thrown(() => calculateGain('leaky_relu', slope));
      expect(error.param).toBe('negative_slope');
      expect(error.message).toContain('valid number');
    }
  });
});
