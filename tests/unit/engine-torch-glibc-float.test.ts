/**
 * glibc's float32 logf/sinf/cosf replayed in JavaScript, against values of this machine's glibc
 * (tests/fixtures/torch/glibc-float.json, from scripts/fixtures/torch-normal.py), and the float64
 * fma they rely on.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { torchCosf, torchLogf, torchSinf } from '../../src/engine/torch/glibc-float';

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
      countMismatches(lx, f32('logf'), (x) => torchLogf(x)),
      'logf mismatches',
    ).toBe(0);
    expect(
      countMismatches(tx, f32('sinf'), (x) => torchSinf(x)),
      'sinf mismatches',
    ).toBe(0);
    expect(
      countMismatches(tx, f32('cosf'), (x) => torchCosf(x)),
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
    expect(torchLogf(1)).toBe(0);
    expect(torchSinf(0)).toBe(0);
    expect(torchCosf(0)).toBe(1);
    expect(() => torchLogf(0)).toThrow();
    expect(() => torchSinf(200)).toThrow();
  });
});
