import { describe, expect, test } from 'vitest';
import {
  ACTIVATIONS,
  SELU_ALPHA,
  SELU_SCALE,
  activation,
  defineActivation,
  normalCdf,
} from '../../src/engine/activations';
import { EngineInputError } from '../../src/engine/validate';

const POINTS = [-7.5, -3, -1.3, -0.4, -1e-3, 2e-3, 0.25, 0.9, 2.2, 6.1];

describe('activations', () => {
  test.each(ACTIVATIONS.map((n) => [n]))('%s: φ′ matches a central difference of φ', (name) => {
    const a = activation(name);
    for (const x of POINTS) {
      const h = 1e-5 * Math.max(1, Math.abs(x));
      const fd = (a.f(x + h) - a.f(x - h)) / (2 * h);
      // Central differences are O(h²) accurate; 1e-6 relative is far above that error.
      expect(Math.abs(a.df(x) - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  test.each(ACTIVATIONS.map((n) => [n]))('%s: NaN in gives NaN out, as in PyTorch', (name) => {
    // relu in particular: max(NaN, 0) must not hide an overflow as a zero.
    const a = activation(name);
    expect(a.f(NaN)).toBeNaN();
    const out = new Float32Array(1);
    a.apply(Float32Array.of(NaN), out, 1);
    expect(out[0]).toBeNaN();
  });

  test.each(ACTIVATIONS.map((n) => [n]))('%s: array loops equal the scalar versions', (name) => {
    const a = activation(name);
    const src = Float32Array.from(POINTS);
    const post = new Float32Array(src.length);
    const der = new Float32Array(src.length);
    a.apply(src, post, src.length);
    a.applyDerivative(src, der, src.length);
    src.forEach((x, i) => {
      expect(post[i]).toBe(Math.fround(a.f(x)));
      expect(der[i]).toBe(Math.fround(a.df(x)));
    });
    const inPlace = Float32Array.from(POINTS);
    a.apply(inPlace, inPlace, inPlace.length);
    expect(inPlace).toEqual(post);
  });

  test('reference values (closed forms and published tables)', () => {
    expect(activation('selu').f(-1)).toBeCloseTo(SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1), 15);
    expect(activation('selu').f(-1)).toBeCloseTo(-1.1113307378125625, 14);
    expect(activation('gelu').f(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(activation('gelu').f(-3)).toBeCloseTo(-3 * 0.0013498980316301, 15); // Φ(−3) from tables
    expect(activation('silu').f(1)).toBeCloseTo(0.7310585786300049, 15);
    expect(activation('softplus').f(1)).toBeCloseTo(1.3132616875182228, 15);
    expect(activation('elu', 0.5).f(-2)).toBeCloseTo(0.5 * (Math.exp(-2) - 1), 15);
    expect(normalCdf(-10)).toBeCloseTo(7.61985302416047e-24, 36);
  });

  test('extreme inputs stay finite and exact', () => {
    for (const name of ['sigmoid', 'softplus', 'silu', 'gelu', 'tanh', 'elu', 'selu'] as const) {
      const a = activation(name);
      for (const x of [-800, 800]) {
        expect(Number.isFinite(a.f(x))).toBe(true);
        expect(Number.isFinite(a.df(x))).toBe(true);
      }
    }
    expect(activation('softplus').f(800)).toBe(800);
    expect(activation('softplus').f(-800)).toBe(0);
    expect(activation('sigmoid').f(-800)).toBe(0);
  });

  test('kinks, defaults and one-sided derivatives follow PyTorch', () => {
    expect(activation('relu').df(0)).toBe(0);
    expect(activation('leaky_relu').param).toBe(0.01);
    expect(activation('leaky_relu').df(0)).toBe(0.01);
    expect(activation('leaky_relu', 0.2).f(-1)).toBe(-0.2);
    expect(activation('elu').param).toBe(1);
    for (const name of ['relu', 'leaky_relu', 'elu', 'selu']) {
      expect(activation(name).kinks).toEqual([0]);
    }
    expect(activation('tanh').kinks).toEqual([]);
    const torch = ACTIVATIONS.filter((n) => activation(n).torchGain);
    expect(torch).toEqual(['linear', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'selu']);
    expect(activation('tanh').saturation).toBe('tanh');
    expect(activation('sigmoid').saturation).toBe('sigmoid');
    expect(activation('relu').saturation).toBe('none');
  });

  test('custom activations get array loops from their scalars', () => {
    const cube = defineActivation({ name: 'cube', f: (x) => x ** 3, df: (x) => 3 * x * x });
    const out = new Float32Array(2);
    cube.apply(Float32Array.of(2, -1), out, 2);
    expect([...out]).toEqual([8, -1]);
    expect(cube.kinks).toEqual([]);
    expect(cube.torchGain).toBe(false);
  });

  test('bad names and parameters throw EngineInputError naming the parameter', () => {
    expect(() => activation('swish')).toThrow(EngineInputError);
    expect(() => activation('swish')).toThrow(
      /activation must be one of 'linear'.*received 'swish'/,
    );
    try {
      activation('leaky_relu', Number.NaN);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EngineInputError);
      expect((e as EngineInputError).param).toBe('activationParam');
      expect((e as EngineInputError).received).toBeNaN();
    }
  });
});
