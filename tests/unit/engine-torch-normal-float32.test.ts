/** The float32 helpers under the torch kernels: bit casts, neighbours, and a single-rounding fma. */
import { describe, expect, it } from 'vitest';
import { f32Bits, f32FromBits, fma32, nextF32 } from '../../src/engine/torch/float32';
import { logLane, sinCosLane } from '../../src/engine/torch/avx-mathfun';

describe('float32 helpers', () => {
  it('casts bits both ways', () => {
    expect(f32Bits(1)).toBe(0x3f800000);
    expect(f32Bits(-2)).toBe(0xc0000000);
    expect(f32FromBits(0x3f000000)).toBe(0.5);
    expect(nextF32(1, true)).toBe(1 + 2 ** -23);
    expect(nextF32(1, false)).toBe(1 - 2 ** -24);
    expect(nextF32(-1, true)).toBe(-1 + 2 ** -24);
  });

  it('fma32 rounds once where fround(a·b + c) would round twice', () => {
    // a·b + c = 1 + 3·2⁻²⁴ − 2⁻⁷⁰: the float64 sum is the midpoint 1 + 3·2⁻²⁴, which ties to even
    // (1 + 2⁻²²), but the exact value is below it, so the float32 answer is 1 + 2⁻²³.
    const a = 2 ** -12 * (1 + 2 ** -23);
    const b = 2 ** -12 * (1 - 2 ** -23);
    const c = 1 + 2 ** -23;
    expect(Math.fround(a * b + c)).toBe(1 + 2 ** -22);
    expect(fma32(a, b, c)).toBe(1 + 2 ** -23);
    // The mirror case: a·b = 2⁻²⁴ + 2⁻⁵⁴ (2³⁰ + 1 = 80581 · 13325), so a·b + 1 is just above the
    // midpoint 1 + 2⁻²⁴ that the float64 sum lands on: the answer is 1 + 2⁻²³, not the even 1.
    const p = 80581 * 2 ** -27;
    const q = 13325 * 2 ** -27;
    expect(Math.fround(p * q + 1)).toBe(1);
    expect(fma32(p, q, 1)).toBe(1 + 2 ** -23);
    expect(fma32(-a, b, -c)).toBe(-(1 + 2 ** -23));
  });

  it('the Cephes lanes are close to the true functions', () => {
    for (const x of [2 ** -24, 0.1, 0.5, 0.70710677, 0.9, 1]) {
      expect(Math.abs(logLane(Math.fround(x)) - Math.log(Math.fround(x)))).toBeLessThan(
        2e-7 * Math.max(1, Math.abs(Math.log(x))),
      );
    }
    expect(logLane(0)).toBeNaN();
    for (let k = 0; k < 64; k++) {
      const t = Math.fround((k / 64) * 2 * Math.PI);
      const [s, c] = sinCosLane(t);
      expect(Math.abs(s - Math.sin(t))).toBeLessThan(3e-7);
      expect(Math.abs(c - Math.cos(t))).toBeLessThan(3e-7);
    }
  });
});
