/**
 * The draw cache (src/engine/rng.ts) remembers large arrays of normal deviates by the generator
 * state they came from. A remembered draw must give, bit for bit, what `normal()` gives one value
 * at a time, for any mean and std, and leave the generator where drawing afresh leaves it.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { clearDrawCache, createRng, drawCacheStats, type Rng } from '../../src/engine/rng';
import { propagate } from '../../src/engine/propagate';

/** float32(mean + std·z) one deviate at a time: the definition `normalArray` must match. */
function oneByOne(rng: Rng, n: number, mean: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  return out;
}

const bits = (a: Float32Array) => new Uint32Array(a.buffer.slice(0));

beforeEach(() => clearDrawCache());

describe('draw cache', () => {
  test.each([
    [4096, 0, 1, 3.5, 0.01],
    [5001, 2, 0.3, -1, 7],
    [65536, 9, 0.05, 0, 0.0625],
  ])(
    'n = %d, seed %d: a remembered draw equals a fresh one, bit for bit',
    (n, seed, s1, m2, s2) => {
      // A pending twin deviate (odd draw first) is part of the state the cache is keyed by.
      const prime = (rng: Rng) => (seed % 2 === 0 ? rng.normal() : rng.normal() + rng.normal());
      const fresh = createRng(seed);
      prime(fresh);
      const first = fresh.normalArray(new Float32Array(n), 0, s1);
      expect(drawCacheStats()).toMatchObject({ entries: 1, hits: 0 });

      const again = createRng(seed);
      prime(again);
      const second = again.normalArray(new Float32Array(n), m2, s2);
      expect(drawCacheStats().hits).toBe(1);

      const ref = createRng(seed);
      prime(ref);
      expect(bits(first)).toEqual(bits(oneByOne(ref.clone(), n, 0, s1)));
      expect(bits(second)).toEqual(bits(oneByOne(ref, n, m2, s2)));
      // The generator moves on exactly as after drawing one by one, twin deviate included.
      for (const g of [fresh, again]) {
        expect([g.normal(), g.nextUint32(), g.normal()]).toEqual(
          (() => {
            const r = ref.clone();
            return [r.normal(), r.nextUint32(), r.normal()];
          })(),
        );
      }
    },
  );

  test('another state or another length is another draw; small arrays are not kept', () => {
    createRng(1).normalArray(new Float32Array(8192));
    createRng(2).normalArray(new Float32Array(8192));
    createRng(1).normalArray(new Float32Array(8191));
    createRng(1).normalArray(new Float32Array(100));
    expect(drawCacheStats()).toEqual({ entries: 3, deviates: 8192 + 8192 + 8191, hits: 0 });
  });

  test('the cache holds at most 2^22 deviates, dropping the oldest draws first', () => {
    const n = 2 ** 20;
    for (let seed = 0; seed < 6; seed++) createRng(seed).normalArray(new Float32Array(n));
    expect(drawCacheStats()).toEqual({ entries: 4, deviates: 4 * n, hits: 0 });
    createRng(5).normalArray(new Float32Array(n));
    createRng(0).normalArray(new Float32Array(n)); // dropped earlier: drawn again
    expect(drawCacheStats().hits).toBe(1);
  });

  test('a network redrawn at another gain reuses its deviates and matches a cold run', () => {
    const config = (gain: number) =>
      ({
        depth: 6,
        width: 128,
        batch: 64,
        activation: 'tanh',
        weightInit: { name: 'xavier_normal', gain },
        seed: 4,
        summaries: 'moments',
      }) as const;
    propagate(config(1));
    const warm = propagate(config(5 / 3));
    // 6 weight matrices and the inputs.
    expect(drawCacheStats().hits).toBe(7);
    clearDrawCache();
    expect(propagate(config(5 / 3))).toEqual(warm);
  });
});
