/**
 * PyTorch 1.13's default (non-vectorized) float32 `normal_` for tensors of 16 values or more, bit
 * for bit from the kernel's uniforms: fixtures from scripts/fixtures/torch-normal.py run with
 * ATEN_CPU_CAPABILITY=default. The kernel calls glibc's logf/cosf/sinf, replayed by glibc-float.
 */
import { describe, expect, it } from 'vitest';
import { normalFill16Default } from '../../src/engine/torch/normal-default';
import { loadNormalFixture, mismatches } from './helpers/torch-normal-fixture';

const fx = loadNormalFixture('normal-default.json');

describe('normalFill16Default against torch 1.13 (default kernel)', () => {
  it('the fixture was written by the default kernel', () => {
    expect(fx.capability).toBe('NO AVX');
  });

  for (const c of fx.cases) {
    for (const o of c.outputs) {
      it(`seed ${c.seed}, n = ${c.n}, mean ${o.mean}, std ${o.std}: every float32 bit`, () => {
        const out = new Float32Array(c.n);
        normalFill16Default(c.uniforms, out, o.mean, o.std);
        const bad = mismatches(out, o.bits);
        expect(
          bad.length,
          `${bad.length} of ${c.n} differ; first at ${bad.slice(0, 8).join(', ')}`,
        ).toBe(0);
      });
    }
  }

  it('refuses sizes below 16 and uniforms of the wrong length', () => {
    expect(() => normalFill16Default(new Float32Array(8), new Float32Array(8), 0, 1)).toThrow(
      /at least 16/,
    );
    expect(() => normalFill16Default(new Float32Array(32), new Float32Array(31), 0, 1)).toThrow(
      /47 uniforms/,
    );
  });
});
