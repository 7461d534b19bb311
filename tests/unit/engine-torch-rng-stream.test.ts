/**
 * The torch stream against PyTorch 1.13.1 (Debian python3-torch, CPU; fixtures written by
 * scripts/fixtures/torch-rng.py): raw MT19937 outputs, uniform_/rand in both CPU builds, the
 * scalar normal_/randn path (< 16 values) with its cached deviate, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng';
import { torchRandom32, torchSeed } from '../../src/engine/torch/mt19937';
import { fma32 } from '../../src/engine/torch/float32';
import { type BitsCase, bitMismatches, opArgs, torchFixture } from './helpers/torch-fixtures';

interface RawCase {
  seed: number;
  low31: number[];
  random64mod2p63: string[];
}

describe('torch stream: MT19937 as torch.manual_seed seeds it', () => {
  const raw = torchFixture<{ cases: RawCase[] }>('rng-raw.json');

  it.each(raw.cases.map((c) => [c.seed, c] as const))(
    'seed %s: randint(0, 2^31) = random() mod 2^31 over 1300 draws',
    (_, c) => {
      const g = torchSeed(c.seed);
      const got = c.low31.map(() => torchRandom32(g) & 0x7fffffff);
      expect(got).toEqual(c.low31);
    },
  );

  it.each(raw.cases.map((c) => [c.seed, c] as const))(
    'seed %s: int64 random_() = random64() mod 2^63 (hi << 32 | lo)',
    (_, c) => {
      const rng = createRng(c.seed, { stream: 'torch' });
      const got = c.random64mod2p63.map(() => {
        const hi = rng.nextUint32() & 0x7fffffff;
        const lo = rng.nextUint32();
        return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
      });
      expect(got).toEqual(c.random64mod2p63);
    },
  );

  it("seeds are taken mod 2^32, negative ones as two's complement (PyTorch: −1 ≡ 2^64 − 1)", () => {
    const a = createRng(2 ** 32 + 7, { stream: 'torch' });
    const b = createRng(7, { stream: 'torch' });
    const c = createRng(-1, { stream: 'torch' });
    const d = createRng(2 ** 32 - 1, { stream: 'torch' });
    for (let i = 0; i < 5; i++) {
      expect(a.nextUint32()).toBe(b.nextUint32());
      expect(c.nextUint32()).toBe(d.nextUint32());
    }
  });
});

describe('torch stream: uniform_ and rand on float32', () => {
  for (const [file, kernel] of [
    ['rng-uniform.json', 'avx2'],
    ['rng-uniform-default.json', 'default'],
  ] as const) {
    const { cases } = torchFixture<{ cases: BitsCase[] }>(file);
    it.each(cases.map((c) => [c.op, c.n, c.seed, c] as const))(
      `${kernel} build: %s on %i values, seed %s`,
      (op, n, _, c) => {
        const rng = createRng(c.seed, { stream: 'torch', normalKernel: kernel });
        const [lo, hi] = opArgs(op, [0, 1]);
        expect(bitMismatches(rng.uniformArray(new Float32Array(n), lo, hi), c.bits)).toEqual([]);
      },
    );
  }

  it('fma32 rounds once: a double sum on a float32 midpoint is resolved by its remainder', () => {
    const a = 1 + 2 ** -23;
    const b = 1 - 2 ** -23; // a·b = 1 − 2⁻⁴⁶ exactly
    const c = 2 ** 24 + 2; // float32 spacing 2 here
    // exact 2²⁴ + 3 − 2⁻⁴⁶: just below the midpoint 2²⁴ + 3 → 2²⁴ + 2 (double rounding: 2²⁴ + 4)
    expect(Math.fround(a * b + c)).toBe(2 ** 24 + 4);
    expect(fma32(a, b, c)).toBe(2 ** 24 + 2);
    // exact 2²⁴ + 1 + 2⁻⁴⁶: just above the midpoint 2²⁴ + 1 → 2²⁴ + 2 (double rounding: 2²⁴)
    expect(Math.fround(-a * b + c)).toBe(2 ** 24);
    expect(fma32(-a, b, c)).toBe(2 ** 24 + 2);
    expect(fma32(1, 1, 2 ** -24)).toBe(1); // an exact tie keeps ties-to-even
  });
});

describe('torch stream: the scalar normal_ path (< 16 values)', () => {
  const small = torchFixture<{ cases: BitsCase[]; sequences: { seed: number; bits: number[] }[] }>(
    'rng-normal-small.json',
  );
  it.each(small.cases.map((c) => [c.op, c.n, c.seed, c] as const))(
    '%s on %i values, seed %s',
    (op, n, _, c) => {
      const rng = createRng(c.seed, { stream: 'torch' });
      const [mean, std] = opArgs(op, [0, 1]);
      expect(bitMismatches(rng.normalArray(new Float32Array(n), mean, std), c.bits)).toEqual([]);
    },
  );

  it.each(small.sequences.map((c) => [c.seed, c] as const))(
    'seed %s: the cached deviate carries across calls, skips rand and the ≥ 16 path',
    (_, c) => {
      // randn(1), randn(1), randn(3), rand(2), randn(1), randn(16), randn(1), empty(5).normal_(-1, 0.25)
      const rng = createRng(c.seed, { stream: 'torch' });
      const parts = [1, 1, 3, -2, 1, 16, 1].map((n) =>
        n < 0 ? rng.uniformArray(new Float32Array(-n)) : rng.normalArray(new Float32Array(n)),
      );
      parts.push(rng.normalArray(new Float32Array(5), -1, 0.25));
      const all = Float32Array.from(parts.flatMap((p) => Array.from(p)));
      // Entries 8..23 are randn(16), which the fixture's AVX2 build draws with its vectorized kernel.
      expect(bitMismatches(all, c.bits)).toEqual([]);
    },
  );

  it('300 × randn(15) in a row (9,000 values, seeds 0 and 7) are bit-exact', () => {
    const long = torchFixture<{ cases: { seed: number; bits: number[] }[] }>(
      'rng-normal-scalar-long.json',
    );
    for (const c of long.cases) {
      const rng = createRng(c.seed, { stream: 'torch' });
      const all = new Float32Array(c.bits.length);
      for (let k = 0; k < all.length; k += 15) rng.normalArray(all.subarray(k, k + 15));
      expect(bitMismatches(all, c.bits)).toEqual([]);
    }
  });
});
