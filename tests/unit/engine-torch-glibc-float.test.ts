/**
 * glibc's float32 logf/sinf/cosf replayed in JavaScript, against values of this machine's glibc
 * (tests/fixtures/torch/glibc-float.json, from scripts/fixtures/torch-normal.py), and the float64
 * fma they rely on.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fma64 } from '../../src/engine/torch/fma64';
import { glibcCosf, glibcLogf, glibcSinf } from '../../src/engine/torch/glibc-float';

const fx = JSON.parse(fs.readFileSync('tests/fixtures/torch/glibc-float.json', 'utf8')) as Record<
  string,
  string
>;
function f32(key: string): Float32Array {
  const raw = Buffer.from(fx[key] ?? '', 'base64');
  const out = new Float32Array(raw.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = raw.readFloatLE(4 * i);
  return out;
}

function countMismatches(xs: Float32Array, want: Float32Array, fn: (x: number) => number): number {
  let bad = 0;
  for (let i = 0; i < xs.length; i++) if (!Object.is(fn(xs[i] ?? 0), want[i])) bad++;
  return bad;
}

describe('glibc float32 functions', () => {
  const lx = f32('log_x');
  const tx = f32('trig_x');

  it('logf, sinf and cosf match glibc bit for bit (800 arguments each)', () => {
    expect(lx.length).toBe(800);
    expect(
      countMismatches(lx, f32('logf'), (x) => glibcLogf(x)),
      'logf mismatches',
    ).toBe(0);
    expect(
      countMismatches(tx, f32('sinf'), (x) => glibcSinf(x)),
      'sinf mismatches',
    ).toBe(0);
    expect(
      countMismatches(tx, f32('cosf'), (x) => glibcCosf(x)),
      'cosf mismatches',
    ).toBe(0);
  });

  it('Math.log/sin/cos rounded to float32 would not (so the port is needed)', () => {
    const naive =
      countMismatches(lx, f32('logf'), (x) => Math.fround(Math.log(x))) +
      countMismatches(tx, f32('sinf'), (x) => Math.fround(Math.sin(x))) +
      countMismatches(tx, f32('cosf'), (x) => Math.fround(Math.cos(x)));
    expect(naive).toBeGreaterThan(0);
  });

  it('special arguments', () => {
    expect(glibcLogf(1)).toBe(0);
    expect(glibcSinf(0)).toBe(0);
    expect(glibcCosf(0)).toBe(1);
    expect(() => glibcLogf(0)).toThrow(RangeError);
    expect(() => glibcSinf(200)).toThrow(RangeError);
  });
});

describe('fma64', () => {
  it('keeps the low part of the product', () => {
    // (1 + 2⁻³⁰)(1 − 2⁻³⁰) − 1 = −2⁻⁶⁰ exactly; unfused, the product rounds to 1 and gives 0.
    expect((1 + 2 ** -30) * (1 - 2 ** -30) - 1).toBe(0);
    expect(fma64(1 + 2 ** -30, 1 - 2 ** -30, -1)).toBe(-(2 ** -60));
  });

  it('rounds once where two roundings would tie the wrong way', () => {
    // (1 + 2⁻²⁷)² + 2⁻⁵³ = 1 + 2⁻²⁶ + 2⁻⁵³ + 2⁻⁵⁴: nearest float64 is 1 + 2⁻²⁶ + 2⁻⁵².
    const a = 1 + 2 ** -27;
    expect(a * a + 2 ** -53).toBe(1 + 2 ** -26);
    expect(fma64(a, a, 2 ** -53)).toBe(1 + 2 ** -26 + 2 ** -52);
    expect(fma64(-a, a, -(2 ** -53))).toBe(-(1 + 2 ** -26 + 2 ** -52));
  });

  it('rounds the low parts to odd, so a tie created by their rounding cannot mislead', () => {
    // 5 · (2⁵⁴ + 1)/5 · 2⁻¹⁰⁷ = 2⁻⁵³ + 2⁻¹⁰⁷; plus 1 that is just above the midpoint 1 + 2⁻⁵³.
    const b = 3602879701896397 * 2 ** -107;
    expect(5 * 3602879701896397).toBe(2 ** 54 + 1);
    expect(5 * b + 1).toBe(1);
    expect(fma64(5, b, 1)).toBe(1 + 2 ** -52);
  });

  it('agrees with a·b + c when that is exact', () => {
    expect(fma64(3, 5, 7)).toBe(22);
    expect(fma64(0.5, 0.25, -0.125)).toBe(0);
  });
});
