/**
 * PyTorch 1.13's AVX2 float32 `normal_` (tensors of 16 values or more), bit for bit from the
 * kernel's uniforms: fixtures from scripts/fixtures/torch-normal.py, run on an AVX2 machine.
 */
import { describe, expect, it } from 'vitest';
import { normalFill16Avx2 } from '../../src/engine/torch/normal-avx2';
import { loadNormalFixture, mismatches } from './helpers/torch-normal-fixture';

const fx = loadNormalFixture('normal-avx2.json');

describe('normalFill16Avx2 against torch 1.13 (AVX2 kernel)', () => {
  it('the fixture was written by the AVX2 kernel', () => {
    expect(fx.capability).toBe('AVX2');
  });

  for (const c of fx.cases) {
    for (const o of c.outputs) {
      it(`seed ${c.seed}, n = ${c.n}, mean ${o.mean}, std ${o.std}: every float32 bit`, () => {
        const out = new Float32Array(c.n);
        normalFill16Avx2(c.uniforms, out, o.mean, o.std);
        const bad = mismatches(out, o.bits);
        expect(
          bad.length,
          `${bad.length} of ${c.n} differ; first at ${bad.slice(0, 8).join(', ')}`,
        ).toBe(0);
      });
    }
  }

  it('without fused multiply-adds (an uncontracted build) about 1% of the values differ', () => {
    let bad = 0;
    let total = 0;
    for (const c of fx.cases) {
      for (const o of c.outputs) {
        const out = new Float32Array(c.n);
        normalFill16Avx2(c.uniforms, out, o.mean, o.std, 'none');
        bad += mismatches(out, o.bits).length;
        total += c.n;
      }
    }
    expect(bad).toBeGreaterThan(0);
    expect(bad / total).toBeLessThan(0.05);
  });

  it('refuses sizes below 16 and uniforms of the wrong length', () => {
    expect(() => normalFill16Avx2(new Float32Array(15), new Float32Array(15), 0, 1)).toThrow(
      /at least 16/,
    );
    expect(() => normalFill16Avx2(new Float32Array(17), new Float32Array(17), 0, 1)).toThrow(
      /33 uniforms/,
    );
  });
});
