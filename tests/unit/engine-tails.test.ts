import { describe, expect, it } from 'vitest';
import { gaussianTail } from '../../src/engine/tails';

const square = (f: (x: number) => number) => (x: number) => f(x) ** 2;

describe('gaussianTail: does E[g(√q·z)] exist within the quadrature’s reach?', () => {
  it('exp(x²): E[φ] and E[φ²] are infinite at q = 1 (the quadrature alone says 1e30 and 1e92)', () => {
    const f = (x: number) => Math.exp(x * x);
    expect(gaussianTail(f, 1)).toBe('infinite');
    expect(gaussianTail(square(f), 1)).toBe('infinite');
    // E[exp(x²)] needs q < 1/2: at q = 0.01 both exist.
    expect(gaussianTail(square(f), 0.01)).toBe('finite');
    // At q = 2.4 exp(2x²) overflows right past |z| = 12; divergence at q = 1.2 settles it.
    expect(gaussianTail(square(f), 2.4)).toBe('infinite');
  });

  it('exp(x²/4): E[φ] is finite at q = 1, E[φ²] is not (its integrand is constant)', () => {
    const f = (x: number) => Math.exp((x * x) / 4);
    expect(gaussianTail(f, 1)).toBe('finite');
    expect(gaussianTail(square(f), 1)).toBe('infinite');
    expect(gaussianTail(square(f), 0.5)).toBe('finite');
  });

  it('exp(0.1·x²): finite at q = 1; E[φ²] diverges from q = 2.5 = 1/(4·0.1) on', () => {
    const f = (x: number) => Math.exp(0.1 * x * x);
    expect(gaussianTail(f, 1)).toBe('finite');
    expect(gaussianTail(square(f), 1)).toBe('finite');
    expect(gaussianTail(square(f), 2)).toBe('finite');
    expect(gaussianTail(square(f), 2.5)).toBe('infinite');
    expect(gaussianTail(square(f), 3)).toBe('infinite');
  });

  it('exp(x), x¹⁰ and the usual activations have finite moments', () => {
    for (const f of [
      Math.exp,
      (x: number) => x ** 10,
      Math.tanh,
      (x: number) => Math.max(0, x),
      (x: number) => x / (1 + Math.exp(-x)),
      () => 0,
    ]) {
      for (const q of [0.01, 1, 2.5]) {
        expect(gaussianTail(f, q)).toBe('finite');
        expect(gaussianTail(square(f), q)).toBe('finite');
      }
    }
  });

  it('a finite integral with mass beyond |z| = 12 is out of reach, not infinite', () => {
    // E[exp(0.24·x²)²] = 1/√(1 − 0.96) = 5 exists, but the integrand e^(−0.02 z²) is far from 0 at z = 12.
    expect(
      gaussianTail(
        square((x) => Math.exp(0.24 * x * x)),
        1,
      ),
    ).toBe('unresolved');
    // exp(x) at q = 256: the integrand e^(16z − z²/2) peaks at z = 16, past the truncation.
    expect(gaussianTail(Math.exp, 256)).toBe('unresolved');
  });
});
