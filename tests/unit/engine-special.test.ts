import { erf as mathjsErf } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng';
import { detExp, erf, erfc, erfinv } from '../../src/engine/special';

/** Relative error, with an absolute floor for values near zero. */
const relErr = (got: number, want: number): number =>
  Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

// Reference values computed with mpmath at 30 significant digits, rounded to double.
const ERF_TABLE: [x: number, erf: number, erfc: number][] = [
  [0.1, 0.1124629160182849, 0.887537083981715],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [1, 0.8427007929497149, 0.15729920705028513],
  [1.5, 0.9661051464753108, 0.033894853524689274],
  [2.5, 0.999593047982555, 0.0004069520174449589],
  [4, 0.9999999845827421, 1.541725790028002e-8],
  [5.5, 0.9999999999999927, 7.357847917974398e-15],
];
const ERFINV_TABLE: [y: number, x: number][] = [
  [0.1, 0.08885599049425769],
  [0.5, 0.4769362762044699],
  [0.9, 1.1630871536766743],
  [0.99, 1.8213863677184494],
  [0.999999, 3.458910737275499],
  [1 - 2 ** -40, 5.05125408524939],
  [1 - 2 ** -52, 5.805018683193453],
];

describe('detExp', () => {
  it('matches Math.exp to within 1 ulp (relative error ≤ 2.3e-16)', () => {
    const rng = createRng(10);
    for (let i = 0; i < 20_000; i++) {
      const x = rng.uniform() * 1417 - 708; // normal (not subnormal, not overflowing) results
      expect(relErr(detExp(x), Math.exp(x))).toBeLessThanOrEqual(2.3e-16);
    }
    for (const [x, want] of [
      [-700, 9.85967654375977e-305],
      [-1, 0.36787944117144233],
      [1, 2.718281828459045],
      [700, 1.0142320547350045e304],
    ] as const) {
      expect(relErr(detExp(x), want)).toBeLessThanOrEqual(2.3e-16);
    }
  });

  it('handles special values', () => {
    expect(detExp(0)).toBe(1);
    expect(detExp(-Infinity)).toBe(0);
    expect(detExp(Infinity)).toBe(Infinity);
    expect(detExp(710)).toBe(Infinity);
    expect(detExp(-746)).toBe(0);
    expect(detExp(Number.NaN)).toBeNaN();
    expect(detExp(-1075 * Math.LN2 + 1)).toBeGreaterThan(0); // subnormal result
  });
});

describe('erf and erfc', () => {
  it('match mpmath reference values (relative error ≤ 4e-16, i.e. < 2 ulp)', () => {
    for (const [x, e, c] of ERF_TABLE) {
      expect(relErr(erf(x), e)).toBeLessThanOrEqual(4e-16);
      expect(relErr(erf(-x), -e)).toBeLessThanOrEqual(4e-16);
      expect(relErr(erfc(x), c)).toBeLessThanOrEqual(4e-16);
      expect(relErr(erfc(-x), 2 - c)).toBeLessThanOrEqual(4e-16);
    }
  });

  it('agree with mathjs (an independent implementation) to 1e-14 absolute', () => {
    const rng = createRng(11);
    for (let i = 0; i < 5000; i++) {
      const x = rng.uniform() * 12 - 6;
      expect(Math.abs(erf(x) - mathjsErf(x))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('handle the extremes', () => {
    expect(erf(0)).toBe(0);
    expect(erf(7)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erf(Number.NaN)).toBeNaN();
    expect(erfc(Number.NaN)).toBeNaN();
  });
});

describe('erfinv', () => {
  it('matches mpmath reference values, deep into the tail (relative error ≤ 4e-16)', () => {
    for (const [y, x] of ERFINV_TABLE) {
      expect(relErr(erfinv(y), x)).toBeLessThanOrEqual(4e-16);
      expect(relErr(erfinv(-y), -x)).toBeLessThanOrEqual(4e-16);
    }
  });

  it('inverts erf: erf(erfinv(y)) = y to 2e-16 absolute on random y', () => {
    const rng = createRng(12);
    for (let i = 0; i < 5000; i++) {
      const y = rng.uniform() * 2 - 1;
      expect(Math.abs(erf(erfinv(y)) - y)).toBeLessThanOrEqual(2.3e-16);
    }
  });

  it('is ±Infinity at ±1 and NaN outside [−1, 1]', () => {
    expect(erfinv(0)).toBe(0);
    expect(erfinv(1)).toBe(Infinity);
    expect(erfinv(-1)).toBe(-Infinity);
    expect(erfinv(1.0000001)).toBeNaN();
    expect(erfinv(Number.NaN)).toBeNaN();
  });
});
