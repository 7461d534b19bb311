import { describe, expect, it } from 'vitest';
import { createRng, detLog } from '../../src/engine/rng';
import { EngineInputError } from '../../src/engine/validate';
import { KS_ALPHA, ksTest, mean, normalCdf, uniformCdf, variance } from './helpers/stats';

const take = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('createRng', () => {
  it('reproduces golden outputs for seed 42 (catches any cross-engine or algorithm change)', () => {
    // Cross-checked against an independent Python implementation of splitmix32 + xoshiro128**
    // (and the polar method with Python's math.log).
    const raw = createRng(42);
    expect(take(6, () => raw.nextUint32())).toEqual([
      660444221, 4103611620, 1730111635, 1182469299, 3355235563, 4240322798,
    ]);
    const rng = createRng(42);
    expect(take(4, () => rng.uniform())).toEqual([
      0.15377165310750207, 0.40282300524883097, 0.7812016604435009, 0.3859607503761624,
    ]);
    expect(take(4, () => rng.normal())).toEqual([
      -0.3883308226678528, -1.2565981237735968, 0.19939049558042413, -2.527191626098568,
    ]);
  });

  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    expect(take(1000, () => a.nextUint32())).toEqual(take(1000, () => b.nextUint32()));
    const seeds = [0, 1, -1, 2, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), Number.MAX_SAFE_INTEGER];
    const firsts = seeds.map((seed) => {
      const rng = createRng(seed);
      return take(4, () => rng.nextUint32()).join(',');
    });
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it('rejects seeds that are not safe integers', () => {
    for (const seed of [1.5, Number.NaN, Infinity, 2 ** 53, '3' as unknown as number]) {
      expect(() => createRng(seed)).toThrow(EngineInputError);
    }
    expect(() => createRng(0.5)).toThrow(
      'seed must be a safe integer (|seed| ≤ 2^53 − 1); received 0.5',
    );
  });
});

describe('uniform', () => {
  const n = 1_000_000;
  const rng = createRng(1);
  const xs = Float64Array.from({ length: n }, () => rng.uniform());

  it('lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // sd of the mean = √(1/12/n) ≈ 2.9e-4; tolerance 5 sd.
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(1.5e-3);
    // sd of the sample variance ≈ √((1/80 − 1/144)/n) ≈ 7.5e-5; tolerance 5 sd.
    expect(Math.abs(variance(xs) - 1 / 12)).toBeLessThan(4e-4);
  });

  it('passes a KS test against U(0, 1)', () => {
    expect(ksTest(xs.subarray(0, 100_000), uniformCdf(0, 1)).p).toBeGreaterThan(KS_ALPHA);
  });

  it('fills float32 arrays with U(lo, hi)', () => {
    const out = createRng(2).uniformArray(new Float32Array(100_000), -3, 5);
    expect(out.every((x) => x >= -3 && x <= 5)).toBe(true);
    expect(ksTest(out, uniformCdf(-3, 5)).p).toBeGreaterThan(KS_ALPHA);
  });
});

describe('int', () => {
  it('draws each residue equally often', () => {
    const rng = createRng(3);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]! += 1;
    // Each count ~ Binomial(60000, 1/6): sd ≈ 91; tolerance 5 sd.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(460);
    expect(createRng(3).int(1)).toBe(0);
  });

  it('rejects a bad range', () => {
    for (const n of [0, 1.5, 2 ** 32 + 1, Number.NaN]) {
      expect(() => createRng(3).int(n)).toThrow(EngineInputError);
    }
  });
});

describe('normal', () => {
  const n = 200_000;
  const rng = createRng(4);
  const xs = Float64Array.from({ length: n }, () => rng.normal());

  it('has mean 0 and variance 1', () => {
    // sd of the mean = 1/√n ≈ 2.2e-3; of the variance √(2/n) ≈ 3.2e-3; tolerance 5 sd.
    expect(Math.abs(mean(xs))).toBeLessThan(0.011);
    expect(Math.abs(variance(xs) - 1)).toBeLessThan(0.016);
  });

  it('passes a KS test against N(0, 1), and the KS test can reject N(0, 1.05²)', () => {
    expect(ksTest(xs, normalCdf).p).toBeGreaterThan(KS_ALPHA);
    expect(ksTest(xs, (x) => normalCdf(x / 1.05)).p).toBeLessThan(KS_ALPHA);
  });

  it('normalArray consumes the same stream as repeated normal() calls', () => {
    const a = createRng(5);
    const b = createRng(5);
    a.normal(); // leave a cached twin, so the array must start from it
    b.normal();
    const out = a.normalArray(new Float32Array(7), 2, 3);
    const expected = Float32Array.from(take(7, () => 2 + 3 * b.normal()));
    expect(out).toEqual(expected);
    expect(a.normal()).toBe(b.normal());
  });
});

describe('fork and clone', () => {
  it('clone continues the same sequence, including the cached normal', () => {
    const rng = createRng(6);
    rng.normal();
    const copy = rng.clone();
    expect(take(5, () => copy.normal())).toEqual(take(5, () => rng.normal()));
  });

  it('fork is deterministic, leaves the parent alone and separates streams', () => {
    const parent = createRng(8);
    const twin = createRng(8);
    const f0 = take(4, () => parent.fork(0).nextUint32());
    expect(take(4, () => twin.fork(0).nextUint32())).toEqual(f0);
    expect(parent.nextUint32()).toBe(twin.nextUint32()); // the parent did not advance
    const f1 = parent.fork(1);
    const f0again = parent.fork(0);
    expect(take(4, () => f1.nextUint32())).not.toEqual(take(4, () => f0again.nextUint32()));
    expect(() => parent.fork(0.5)).toThrow('stream must be a safe integer');
  });
});

describe('detLog', () => {
  it('matches Math.log to within 1 ulp over the whole double range', () => {
    // V8's Math.log is itself fdlibm, so in Node they agree to the bit; the stated tolerance is
    // what any correctly rounded log would also meet: relative error ≤ 2.3e-16 (≈ 1 ulp).
    const rng = createRng(9);
    for (let i = 0; i < 20_000; i++) {
      const x = 2 ** (rng.uniform() * 2098 - 1074) * (1 + rng.uniform());
      if (x === 0 || !Number.isFinite(x)) continue;
      const want = Math.log(x);
      const got = detLog(x);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(2.3e-16 * Math.max(Math.abs(want), 1e-300));
    }
    for (const x of [0.5, 0.9999999, 1.0000001, 1 + 2 ** -30, 2, 10, Number.MIN_VALUE]) {
      expect(Math.abs(detLog(x) - Math.log(x))).toBeLessThanOrEqual(
        2.3e-16 * Math.abs(Math.log(x)),
      );
    }
  });

  it('handles special values like Math.log', () => {
    expect(detLog(1)).toBe(0);
    expect(detLog(0)).toBe(-Infinity);
    expect(detLog(-0)).toBe(-Infinity);
    expect(detLog(Infinity)).toBe(Infinity);
    expect(detLog(-1)).toBeNaN();
    expect(detLog(Number.NaN)).toBeNaN();
    expect(detLog(Math.E)).toBe(1);
  });
});
