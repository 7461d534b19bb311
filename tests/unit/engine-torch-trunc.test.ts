/**
 * trunc_normal_ on PyTorch's stream against torch 1.13 (tests/fixtures/torch/rng-trunc-normal*.json
 * from scripts/fixtures/torch-rng.py, both CPU builds): the uniforms are PyTorch's exactly; the
 * float32 erfinv is evaluated in double and rounded once (PyTorch rounds inside its own rational
 * approximation and Newton steps), so each value agrees within 8 float32 steps of |x| (relative
 * 5e-7 each) or 1e-6·std near zero, and lies within [a, b].
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, initTensor } from '../../src/engine';

interface Case {
  seed: number;
  n: number;
  mean: number;
  std: number;
  a: number;
  b: number;
  bits: number[];
}
const load = (f: string) =>
  (JSON.parse(fs.readFileSync(`tests/fixtures/torch/${f}`, 'utf8')) as { cases: Case[] }).cases;
const fromBits = (bits: number[]) => new Float32Array(new Uint32Array(bits).buffer);

describe.each([
  ['avx2', 'rng-trunc-normal.json'],
  ['default', 'rng-trunc-normal-default.json'],
] as const)('trunc_normal_ on the %s build', (kernel, file) => {
  const cases = load(file);
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const got = initTensor(
      [c.n],
      { name: 'trunc_normal', mean: c.mean, std: c.std, a: c.a, b: c.b },
      createRng(c.seed, { stream: 'torch', normalKernel: kernel }),
    );
    const want = fromBits(c.bits.slice(0, c.n));
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      const tol = 8 * 6e-8 * Math.abs(want[i]!) + 1e-6 * c.std;
      worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / tol);
      expect(got[i]!).toBeGreaterThanOrEqual(c.a);
      expect(got[i]!).toBeLessThanOrEqual(c.b);
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
});
