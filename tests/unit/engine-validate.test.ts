import { describe, expect, it } from 'vitest';
import {
  EngineInputError,
  MAX_ELEMENTS,
  checkMemory,
  finiteNumber,
  formatReceived,
  inRange,
  nonNegative,
  oneOf,
  positiveInt,
} from '../../src/engine/validate';

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

describe('EngineInputError', () => {
  it('names the parameter, the received value and what is allowed', () => {
    const error = new EngineInputError('width', 0, 'a positive integer');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EngineInputError');
    expect(error.param).toBe('width');
    expect(error.received).toBe(0);
    expect(error.allowed).toBe('a positive integer');
    expect(error.message).toBe('width must be a positive integer; received 0');
  });

  it('formats received values readably', () => {
    expect(formatReceived(Number.NaN)).toBe('NaN');
    expect(formatReceived(-Infinity)).toBe('-Infinity');
    expect(formatReceived('foo')).toBe("'foo'");
    expect(formatReceived(undefined)).toBe('undefined');
    expect(formatReceived(null)).toBe('null');
    expect(formatReceived([2, 'x'])).toBe("[2, 'x']");
    expect(formatReceived({ a: 1 })).toBe('{"a":1}');
    expect(formatReceived(() => 1)).toBe('a function');
  });
});

describe('helpers', () => {
  it('positiveInt accepts integers ≥ 1 (≤ max) and rejects the rest', () => {
    expect(positiveInt('width', 3)).toBe(3);
    expect(positiveInt('width', 10, 10)).toBe(10);
    expect(thrown(() => positiveInt('width', 0)).message).toBe(
      'width must be a positive integer; received 0',
    );
    expect(thrown(() => positiveInt('width', Number.NaN)).message).toBe(
      'width must be a positive integer; received NaN',
    );
    expect(thrown(() => positiveInt('width', 'foo')).message).toBe(
      "width must be a positive integer; received 'foo'",
    );
    expect(thrown(() => positiveInt('width', 1.5)).received).toBe(1.5);
    expect(thrown(() => positiveInt('depth', 11, 10)).message).toBe(
      'depth must be an integer from 1 to 10; received 11',
    );
  });

  it('finiteNumber rejects NaN, ±Infinity and non-numbers', () => {
    expect(finiteNumber('std', -2.5)).toBe(-2.5);
    for (const bad of [Number.NaN, Infinity, -Infinity, '1', undefined]) {
      expect(thrown(() => finiteNumber('std', bad)).allowed).toBe('a finite number');
    }
    expect(thrown(() => finiteNumber('std', Infinity)).message).toBe(
      'std must be a finite number; received Infinity',
    );
  });

  it('nonNegative accepts 0 and rejects negatives and non-finite values', () => {
    expect(nonNegative('std', 0)).toBe(0);
    expect(thrown(() => nonNegative('std', -1)).message).toBe(
      'std must be a finite number ≥ 0; received -1',
    );
    expect(thrown(() => nonNegative('std', Infinity)).param).toBe('std');
  });

  it('inRange is inclusive at both ends', () => {
    expect(inRange('sparsity', 0, 0, 1)).toBe(0);
    expect(inRange('sparsity', 1, 0, 1)).toBe(1);
    expect(thrown(() => inRange('sparsity', 1.01, 0, 1)).message).toBe(
      'sparsity must be a number in [0, 1]; received 1.01',
    );
    expect(thrown(() => inRange('sparsity', Number.NaN, 0, 1)).received).toBeNaN();
  });

  it('oneOf lists the accepted values', () => {
    expect(oneOf('mode', 'fan_in', ['fan_in', 'fan_out'])).toBe('fan_in');
    expect(thrown(() => oneOf('mode', 'fan', ['fan_in', 'fan_out'])).message).toBe(
      "mode must be one of 'fan_in', 'fan_out'; received 'fan'",
    );
    expect(thrown(() => oneOf('mode', 3, ['fan_in'])).received).toBe(3);
  });

  it('checkMemory enforces the 2**27-entry (512 MiB) budget', () => {
    expect(MAX_ELEMENTS).toBe(2 ** 27);
    expect(checkMemory('shape', MAX_ELEMENTS)).toBe(MAX_ELEMENTS);
    const error = thrown(() => checkMemory('shape', MAX_ELEMENTS + 1));
    expect(error.param).toBe('shape');
    expect(error.message).toContain('512 MiB');
    expect(error.message).toContain(String(MAX_ELEMENTS));
  });
});

describe('EngineInputError lead', () => {
  it('puts an optional summary in front of the standard message', () => {
    const error = new EngineInputError('nonlinearity', 'foo', "one of 'relu'", 'Unsupported');
    expect(error.message).toBe("Unsupported: nonlinearity must be one of 'relu'; received 'foo'");
    expect(error.allowed).toBe("one of 'relu'");
  });
});
