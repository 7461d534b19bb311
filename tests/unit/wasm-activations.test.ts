/**
 * The WebAssembly SIMD activation kernels (scripts/wasm/activations-wat.mjs), assembled here with
 * wabt, against the engine's float64 activations rounded to float32: accuracy over a dense grid
 * and at special values, tails that neither read nor write past n, in-place calls, and the
 * optional derivative.
 *
 * Checked to fail when a kernel is wrong (each change made in activations-wat.mjs, then reverted):
 * an exp coefficient 1.6666665459e-1 → 1.67e-1 fails every exp-based function (tanh φ off by
 * 5.0e-6, exp by 2.0e-5 relative); erfc's 1.00002368 → 1.0001 fails gelu (1.0e-5); the log1p
 * series cut after 2/9 fails softplus (1.2e-6); tanh's branch point 0.625 → 1.5 fails tanh;
 * x ≥ 0 instead of x > 0 at elu's kink fails elu(0.5)′(0) and selu′(0); relu without its NaN
 * case fails relu; a fourth lane stored in the tail fails every tail test; φ′ computed from x
 * re-read after storing φ fails in-place for every exp-based function.
 */
import wabtInit from 'wabt';
import { describe, expect, test } from 'vitest';
import { activationWat } from '../../scripts/wasm/activations-wat.mjs';
import { ACTIVATIONS, activation } from '../../src/engine/activations';
import { createRng } from '../../src/engine/rng';

type Kernel = (x: number, y: number, d: number, n: number, alpha: number) => void;

/** One kernel call with its float64 reference. */
interface Case {
  readonly label: string;
  readonly kernel: string;
  readonly alpha: number;
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  /**
   * 'exact': bit for bit (NaN for NaN); 'abs': |error| ≤ max(1e-6, 2 ulp of the value);
   * 'rel': |error| ≤ 2e-7·|value|, or one subnormal ulp (2⁻¹⁴⁹) below 2⁻¹²⁶ where float32 has
   * fewer bits.
   */
  readonly bound: 'exact' | 'abs' | 'rel';
}

const EXACT = new Set(['linear', 'relu']);
const CASES: Case[] = [
  ...ACTIVATIONS.map((name): Case => {
    const a = activation(name);
    return {
      label: a.param === undefined ? name : `${name}(${a.param})`,
      kernel: name,
      alpha: a.param ?? 0,
      f: a.f,
      df: a.df,
      bound: EXACT.has(name) ? 'exact' : 'abs',
    };
  }),
  // A slope that float32 holds exactly makes leaky_relu exact; elu with another α.
  { ...pick('leaky_relu', 0.25), bound: 'exact' },
  { ...pick('elu', 0.5), bound: 'abs' },
  { label: 'exp', kernel: 'exp', alpha: 0, f: Math.exp, df: Math.exp, bound: 'rel' },
];

/** A case for an activation with a non-default parameter. */
function pick(name: string, param: number): Omit<Case, 'bound'> {
  const a = activation(name, param);
  return { label: `${name}(${param})`, kernel: name, alpha: param, f: a.f, df: a.df };
}

/** 200 001 points on [−20, 20], then the special values. */
const SPECIALS = [0, -0, 1e-8, -1e-8, 88, -88, 89, -89, 200, -200, Infinity, -Infinity, NaN];
const INPUTS = Float32Array.from(
  [...Array(200_001).keys()].map((i) => -20 + (40 * i) / 200_000).concat(SPECIALS),
);
const N = INPUTS.length; // 200 014: not a multiple of 4, so the grid run has a tail too

// Memory layout (byte addresses): [0, 64 KiB) stays free, so a derivative written to address 0
// would show; then x, y, d and a spare array, each followed by room for sentinels.
const SLOT = Math.ceil((4 * N + 256) / 16) * 16;
const X = 65_536;
const Y = X + SLOT;
const D = Y + SLOT;
const SPARE = D + SLOT;
const PAGES = Math.ceil((SPARE + SLOT) / 65_536);

const wabt = await wabtInit();
const parsed = wabt.parseWat(
  'activations.wat',
  `(module (memory (export "memory") ${PAGES}) ${activationWat()})`,
  { simd: true, relaxed_simd: true },
);
const binary = (() => {
  try {
    parsed.validate();
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
})();
const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), {});
const memory = instance.exports['memory'] as WebAssembly.Memory;
const heap = new Float32Array(memory.buffer);
const bits = new Uint32Array(memory.buffer);

function kernel(name: string): Kernel {
  const fn = instance.exports[`act_${name}`];
  if (typeof fn !== 'function') throw new Error(`no export act_${name}`);
  return fn as Kernel;
}

/** The float32 values at byte address `at`. */
const view = (at: number, n: number): Float32Array => heap.slice(at >> 2, (at >> 2) + n);
/** Their bit patterns, for comparisons that see the sign of zero and NaN payloads. */
const bitsAt = (at: number, n: number): number[] =>
  Array.from(bits.subarray(at >> 2, (at >> 2) + n));

/** 'equal', or the first input where two bit arrays differ, with both values as floats. */
function firstDiff(got: number[], want: number[]): string {
  const i = got.findIndex((g, k) => g !== want[k]);
  if (i < 0 && got.length === want.length) return 'equal';
  const f = (u: number | undefined) => new Float32Array(Uint32Array.of(u ?? 0).buffer)[0];
  return `x = ${INPUTS[i]} (index ${i}): ${f(got[i])} vs ${f(want[i])}`;
}

/** Spacing of float32 numbers at |v| (2⁻¹⁴⁹ among subnormals). */
function ulp(v: number): number {
  const e = (new Uint32Array(Float32Array.of(v).buffer)[0]! >>> 23) & 0xff;
  return 2 ** (Math.max(e, 1) - 150);
}

/** How far `got` is from `want` in units of the allowed error (≤ 1 passes), and the error. */
function excess(got: number, want: number, bound: Case['bound']): [ratio: number, err: number] {
  if (Number.isNaN(want) || !Number.isFinite(want) || bound === 'exact') {
    return Object.is(got, want) ? [0, 0] : [Infinity, NaN];
  }
  const err = Math.abs(got - want);
  if (bound === 'rel') {
    return [err / (Math.abs(want) < 2 ** -126 ? 2 ** -149 : 2e-7 * Math.abs(want)), err / want];
  }
  return [err / Math.max(1e-6, 2 * ulp(want)), err];
}

/** Worst point of one output against its reference. */
function worst(got: Float32Array, f: (x: number) => number, bound: Case['bound']) {
  let w = { ratio: 0, maxErr: 0, x: NaN, got: NaN, want: NaN };
  for (let i = 0; i < N; i++) {
    const x = INPUTS[i]!;
    const want = Math.fround(f(x));
    const [ratio, err] = excess(got[i]!, want, bound);
    if (Math.abs(err) > w.maxErr) w = { ...w, maxErr: Math.abs(err) };
    if (ratio > w.ratio) w = { ...w, ratio, x, got: got[i]!, want };
  }
  return w;
}

/** Runs `c` on INPUTS into y and d; returns both. */
function run(c: Case): { y: Float32Array; d: Float32Array } {
  heap.set(INPUTS, X >> 2);
  kernel(c.kernel)(X, Y, D, N, c.alpha);
  return { y: view(Y, N), d: view(D, N) };
}

describe('wasm activation kernels', () => {
  test('export one act_<name> per built-in activation, plus act_exp', () => {
    const names = Object.keys(instance.exports).filter((k) => k.startsWith('act_'));
    expect(names.sort()).toEqual([...ACTIVATIONS, 'exp'].map((n) => `act_${n}`).sort());
  });

  // φ and φ′ on 200 001 points of [−20, 20] and ±0, ±1e-8, ±88, ±89, ±200, ±∞, NaN, against the
  // engine's float64 functions rounded to float32: NaN and ±∞ exactly as the engine gives them;
  // otherwise exact, within max(1e-6, 2 ulp of the value) (gelu(20) ≈ 20 has ulp 1.9e-6), or for
  // exp within 2e-7 relative.
  test.each(CASES.map((c) => [c.label, c]))('%s: φ and φ′ within the stated bound', (_, c) => {
    const { y, d } = run(c);
    for (const [which, got, ref] of [
      ['φ', y, c.f],
      ['φ′', d, c.df],
    ] as const) {
      const w = worst(got, ref, c.bound);
      expect(
        w.ratio,
        `${c.label} ${which}: x = ${w.x} gives ${w.got}, want ${w.want} (max error ${w.maxErr})`,
      ).toBeLessThanOrEqual(1);
    }
  });

  describe('tails, in place, and no derivative', () => {
    const rng = createRng(2024);
    // 64 inputs (a whole number of vectors): seeded values on [−30, 30] and special values.
    const LONG = Float32Array.from({ length: 64 }, (_, i) =>
      i % 9 === 4 ? SPECIALS[i % SPECIALS.length]! : 60 * rng.uniform() - 30,
    );
    const SENTINEL = 0x7fa5_a5a5; // a NaN whose payload no kernel produces
    const LEN = [0, 1, 2, 3, 5, 7, 13];

    test.each(CASES.map((c) => [c.label, c]))('%s: tails, bit for bit, inside n', (_, c) => {
      const fn = kernel(c.kernel);
      heap.set(LONG, X >> 2);
      fn(X, Y, D, LONG.length, c.alpha);
      // Elements 8 … 8 + n of the long run went through the main (whole-vector) loop.
      const longY = bitsAt(Y, LONG.length);
      const longD = bitsAt(D, LONG.length);
      const part = (a: number[], n: number) => a.slice(8, 8 + n);
      const sentinels = Array<number>(16).fill(SENTINEL);

      for (const n of LEN) {
        // The same inputs alone: the same bits, and the sentinels past n untouched.
        heap.set(LONG.subarray(8, 8 + n), X >> 2);
        bits.fill(SENTINEL, Y >> 2, (Y >> 2) + n + 16);
        bits.fill(SENTINEL, D >> 2, (D >> 2) + n + 16);
        fn(X, Y, D, n, c.alpha);
        expect(bitsAt(Y, n), `φ, n = ${n}`).toEqual(part(longY, n));
        expect(bitsAt(D, n), `φ′, n = ${n}`).toEqual(part(longD, n));
        expect(bitsAt(Y + 4 * n, 16), `past y, n = ${n}`).toEqual(sentinels);
        expect(bitsAt(D + 4 * n, 16), `past d, n = ${n}`).toEqual(sentinels);
        expect(view(X, n)).toEqual(LONG.subarray(8, 8 + n)); // x untouched

        // Nothing read past n either: arrays that end where memory ends (a read or write past n
        // would trap), first in place, then the derivative there.
        const end = memory.buffer.byteLength - 4 * n;
        heap.set(LONG.subarray(8, 8 + n), end >> 2);
        fn(end, end, D, n, c.alpha);
        expect(bitsAt(end, n), `in place at the end, n = ${n}`).toEqual(part(longY, n));
        expect(bitsAt(D, n)).toEqual(part(longD, n));
        heap.set(LONG.subarray(8, 8 + n), X >> 2);
        fn(X, Y, end, n, c.alpha);
        expect(bitsAt(end, n), `φ′ at the end, n = ${n}`).toEqual(part(longD, n));
      }
    });

    test.each(CASES.map((c) => [c.label, c]))('%s: in place = out of place', (_, c) => {
      run(c);
      const y = bitsAt(Y, N);
      const d = bitsAt(D, N);
      heap.set(INPUTS, X >> 2);
      kernel(c.kernel)(X, X, SPARE, N, c.alpha);
      // (compared through the first difference: a diff of 200 014 numbers takes minutes)
      expect(firstDiff(bitsAt(X, N), y), 'φ').toBe('equal');
      expect(firstDiff(bitsAt(SPARE, N), d), 'φ′').toBe('equal');
    });

    test.each(CASES.map((c) => [c.label, c]))('%s: d = 0 writes no derivative', (_, c) => {
      const n = 1003; // 4012 bytes: a derivative written to address 0 would land in the free 64 KiB
      heap.set(INPUTS.subarray(0, n), X >> 2);
      kernel(c.kernel)(X, Y, D, n, c.alpha);
      const withD = bitsAt(Y, n);
      bits.fill(SENTINEL, 0, X >> 2);
      bits.fill(SENTINEL, Y >> 2, (Y >> 2) + n);
      kernel(c.kernel)(X, Y, 0, n, c.alpha);
      expect(bitsAt(Y, n)).toEqual(withD);
      expect(bits.subarray(0, X >> 2).every((b) => b === SENTINEL)).toBe(true);
    });
  });
});
