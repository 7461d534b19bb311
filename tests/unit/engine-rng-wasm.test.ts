/**
 * The wasm normal sampler is a port of the TypeScript generator: for every seed and length it must
 * give the same float32 values bit for bit, leave the generator in the same state (the next draws,
 * including a cached twin deviate, agree), and honour mean and std the same way.
 */
import { describe, expect, it } from 'vitest';
import { setKernelPreference } from '../../src/engine/backend';
import { createWasmKernels } from '../../src/engine/kernels-wasm';
import { createRng } from '../../src/engine/rng';

describe.skipIf(createWasmKernels() === null)('wasm normal sampler', () => {
  const fill = (seed: number, n: number, mean: number, std: number, preference: 'wasm' | 'ts') => {
    setKernelPreference(preference);
    try {
      const rng = createRng(seed);
      rng.normal(); // leave a cached twin, so the fill starts from it
      const out = rng.normalArray(new Float32Array(n), mean, std);
      return { out, after: [rng.normal(), rng.normal(), rng.normal(), rng.uniform()] };
    } finally {
      setKernelPreference('wasm');
    }
  };

  it.each([
    [1, 256, 0, 1],
    [2, 257, 0.5, 2],
    [-7, 1000, 0, 0.0625],
    [2 ** 40 + 3, 4099, -1, 1e-3],
    [123456, 65536, 0, Math.sqrt(2 / 512)],
  ])('seed %s, %i values, mean %s, std %s: bit-identical to TypeScript', (seed, n, mean, std) => {
    const ts = fill(seed, n, mean, std, 'ts');
    const wasm = fill(seed, n, mean, std, 'wasm');
    const a = new Uint32Array(ts.out.buffer);
    const b = new Uint32Array(wasm.out.buffer);
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
    expect(differ).toBe(0);
    expect(wasm.after).toEqual(ts.after);
  });

  it('is in use for long arrays (the control: a wrong sampler would fail the test above)', () => {
    const k = createWasmKernels()!;
    const rng = createRng(5) as unknown as Parameters<typeof k.normalFill>[0];
    const before = { ...rng };
    k.normalFill(rng, new Float32Array(300), 0, 1);
    expect(rng.s0).not.toBe(before.s0);
  });
});
