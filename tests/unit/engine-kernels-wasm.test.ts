/**
 * The WebAssembly SIMD kernels against the plain TypeScript ones, on random shapes including every
 * edge a tile or panel can leave (rows not a multiple of 4, columns not a multiple of 8, k = 1),
 * for both variants (relaxed SIMD's fused multiply-add, and plain simd128) where this engine has
 * them. Tolerance: the TS kernels sum in float64, the wasm ones in float32, so each output may
 * differ by a few float32 ulps of Σ|aᵢbᵢ|: we allow 1e-6·Σ|aᵢbᵢ| + 1e-30.
 */
import { describe, expect, it } from 'vitest';
import { activation, defineActivation } from '../../src/engine/activations';
import { setKernelPreference } from '../../src/engine/backend';
import { summarize } from '../../src/engine/stats';
import { createTsKernels, type Kernels } from '../../src/engine/kernels';
import { createWasmKernels, type WasmVariant } from '../../src/engine/kernels-wasm';
import { propagate, type PropagateConfig } from '../../src/engine/propagate';
import { createRng } from '../../src/engine/rng';

const rng = createRng(2024);
const randn = (n: number): Float32Array => {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
};

/** Σ_p |a(i,p)·b(j,p)| for the tolerance of each output of C = A·Bᵀ. */
function absProduct(a: Float32Array, b: Float32Array, m: number, n: number, k: number) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += Math.abs(a[i * k + p]! * b[j * k + p]!);
      out[i * n + j] = s;
    }
  }
  return out;
}

function transposeOf(x: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c]!;
  return t;
}

function expectClose(got: Float32Array, want: Float32Array, scale: Float64Array): void {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!) / (1e-6 * scale[i]! + 1e-30);
    worst = Math.max(worst, err);
  }
  expect(worst).toBeLessThanOrEqual(1);
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 8, 3],
  [3, 7, 5],
  [4, 8, 16],
  [5, 9, 1],
  [7, 15, 33],
  [13, 17, 64],
  [64, 64, 64],
  [65, 130, 31],
  [256, 72, 128],
];

const variants: WasmVariant[] = ['relaxed-simd', 'simd'];

for (const variant of variants) {
  const wasm = createWasmKernels(variant);
  describe.skipIf(wasm === null)(`wasm kernels (${variant})`, () => {
    const ts: Kernels = createTsKernels();
    const k = wasm!;

    it.each(SHAPES)('matmul %i×%i×%i equals the TS kernel', (m, n, kk) => {
      const a = randn(m * kk);
      const b = randn(n * kk);
      const want = new Float32Array(m * n);
      const got = new Float32Array(m * n).fill(NaN);
      ts.matmul(a, b, want, m, n, kk);
      k.matmul(a, b, got, m, n, kk);
      expectClose(got, want, absProduct(a, b, m, n, kk));
    });

    it.each(SHAPES)(
      'matmulGradInput batch %i, out %i, in %i equals the TS kernel',
      (batch, out, inp) => {
        const dy = randn(batch * out);
        const w = randn(out * inp);
        const want = new Float32Array(batch * inp);
        const got = new Float32Array(batch * inp).fill(NaN);
        ts.matmulGradInput(dy, w, want, batch, out, inp);
        k.matmulGradInput(dy, w, got, batch, out, inp);
        expectClose(got, want, absProduct(dy, transposeOf(w, out, inp), batch, inp, out));
      },
    );

    it.each(SHAPES)(
      'matmulGradWeight batch %i, out %i, in %i equals the TS kernel',
      (batch, out, inp) => {
        const dy = randn(batch * out);
        const x = randn(batch * inp);
        const want = new Float32Array(out * inp);
        const got = new Float32Array(out * inp).fill(NaN);
        ts.matmulGradWeight(dy, x, want, batch, out, inp);
        k.matmulGradWeight(dy, x, got, batch, out, inp);
        expectClose(
          got,
          want,
          absProduct(transposeOf(dy, batch, out), transposeOf(x, batch, inp), out, inp, batch),
        );
      },
    );

    it('identical rows of B give bit-identical outputs, in a panel and at its ragged edge', () => {
      const m = 6;
      const n = 11;
      const kk = 37;
      const a = randn(m * kk);
      const b = randn(n * kk);
      for (const j of [3, 9, 10]) b.set(b.subarray(0, kk), j * kk);
      const y = new Float32Array(m * n);
      k.matmul(a, b, y, m, n, kk);
      for (let i = 0; i < m; i++) {
        for (const j of [3, 9, 10]) expect(y[i * n + j]).toBe(y[i * n]);
      }
    });

    it('reuses its memory: thousands of calls of one size grow nothing', () => {
      const a = randn(32 * 48);
      const b = randn(40 * 48);
      const y = new Float32Array(32 * 40);
      k.matmul(a, b, y, 32, 40, 48);
      const bytes = k.memoryBytes();
      for (let i = 0; i < 3000; i++) k.matmul(a, b, y, 32, 40, 48);
      expect(k.memoryBytes()).toBe(bytes);
    });

    it("runs a reader's activation by its own code, even when it borrows a built-in name", () => {
      const impostor = defineActivation({ name: 'relu', f: (v) => 2 * v, df: () => 2 });
      const pre = Float32Array.of(-1, 0.5, 3);
      const post = new Float32Array(3);
      const d = new Float32Array(3);
      k.biasActivation(pre, null, post, d, 1, 3, impostor);
      expect([...post]).toEqual([-2, 1, 6]);
      expect([...d]).toEqual([2, 2, 2]);
    });

    it('biasActivation equals the TS kernel (bias, φ, φ′)', () => {
      for (const name of ['relu', 'tanh', 'gelu', 'sigmoid', 'leaky_relu'] as const) {
        const act = activation(name);
        const rows = 9;
        const cols = 13;
        const pre1 = randn(rows * cols);
        const pre2 = pre1.slice();
        const bias = randn(cols);
        const post1 = new Float32Array(rows * cols);
        const post2 = new Float32Array(rows * cols);
        const d1 = new Float32Array(rows * cols);
        const d2 = new Float32Array(rows * cols);
        ts.biasActivation(pre1, bias, post1, d1, rows, cols, act);
        k.biasActivation(pre2, bias, post2, d2, rows, cols, act);
        expect(pre2).toEqual(pre1);
        for (let i = 0; i < rows * cols; i++) {
          expect(Math.abs(post2[i]! - post1[i]!)).toBeLessThanOrEqual(
            2e-6 * Math.max(1, Math.abs(post1[i]!)),
          );
          expect(Math.abs(d2[i]! - d1[i]!)).toBeLessThanOrEqual(
            2e-6 * Math.max(1, Math.abs(d1[i]!)),
          );
        }
      }
    });
  });
}

describe.skipIf(createWasmKernels() === null)('layer moments in wasm', () => {
  const summaryOf = (
    x: Float32Array,
    rows: number,
    cols: number,
    saturation: 'tanh' | 'sigmoid' | 'none',
    preference: 'wasm' | 'ts',
  ) => {
    setKernelPreference(preference);
    try {
      return summarize(x, rows, cols, { detail: 'moments', saturation });
    } finally {
      setKernelPreference('wasm');
    }
  };

  it.each([
    [1, 1],
    [3, 5],
    [7, 13],
    [16, 64],
    [33, 31],
  ])(
    'equal the TypeScript summary at %i×%i, with NaN, ±∞, zeros and saturated values',
    (rows, cols) => {
      const x = randn(rows * cols);
      for (let i = 0; i < x.length; i += 7) x[i] = 0;
      for (let i = 3; i < x.length; i += 11) x[i] = 0.99;
      if (x.length > 5) {
        x[1] = NaN;
        x[x.length - 1] = Infinity;
        x[2] = -Infinity;
      }
      for (const saturation of ['tanh', 'sigmoid', 'none'] as const) {
        const ts = summaryOf(x, rows, cols, saturation, 'ts');
        const wasm = summaryOf(x, rows, cols, saturation, 'wasm');
        for (const key of [
          'count',
          'nonFinite',
          'min',
          'max',
          'fractionZero',
          'fractionSaturated',
        ] as const) {
          expect(wasm[key]).toBe(ts[key]);
        }
        for (const key of ['mean', 'variance', 'meanSquare', 'unitSpread'] as const) {
          const want = ts[key];
          const got = wasm[key];
          if (Number.isNaN(want)) expect(got).toBeNaN();
          else
            expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
        }
      }
    },
  );

  it('give exactly zero variance and spread for constant data, and NaN when nothing is finite', () => {
    const c = new Float32Array(4 * 9).fill(0.3);
    const s = summaryOf(c, 4, 9, 'none', 'wasm');
    expect(s.variance).toBe(0);
    expect(s.unitSpread).toBe(0);
    expect(s.mean).toBe(Math.fround(0.3));
    const bad = new Float32Array(6).fill(NaN);
    const b = summaryOf(bad, 2, 3, 'none', 'wasm');
    expect(b.mean).toBeNaN();
    expect(b.unitSpread).toBeNaN();
    expect(b.nonFinite).toBe(6);
  });
});

describe.skipIf(createWasmKernels() === null)('propagate on the fused wasm layer', () => {
  const run = (preference: 'wasm' | 'ts', config: PropagateConfig) => {
    setKernelPreference(preference);
    try {
      return propagate(config);
    } finally {
      setKernelPreference('wasm');
    }
  };

  it.each([
    ['tanh', 13, 7, false],
    ['relu', 24, 16, true],
    ['gelu', 9, 5, true],
  ] as const)(
    '%s, width %i, batch %i (residual %s): the same layers as TypeScript',
    (act, width, batch, residual) => {
      const config: PropagateConfig = {
        depth: 6,
        width,
        batch,
        activation: act,
        weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
        biasInit: { name: 'normal', std: 0.1 },
        seed: 9,
        backward: true,
        summaries: 'moments',
        ...(residual ? { residual: { branch: 2, alpha: 1 } } : {}),
      };
      const ts = run('ts', config);
      const wasm = run('wasm', config);
      expect(wasm.layers).toHaveLength(ts.layers.length);
      const close = (a: number, b: number) =>
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-5 * Math.max(1e-30, Math.abs(b)));
      close(wasm.loss!, ts.loss!);
      ts.layers.forEach((layer, i) => {
        const other = wasm.layers[i]!;
        const parts = ['pre', 'post', 'gradPre', 'gradPost', 'gradWeight', 'gradBias'] as const;
        for (const part of parts) {
          close(other[part]!.meanSquare, layer[part]!.meanSquare);
          close(other[part]!.mean, layer[part]!.mean);
          close(other[part]!.unitSpread, layer[part]!.unitSpread);
          expect(other[part]!.nonFinite).toBe(layer[part]!.nonFinite);
          expect(other[part]!.count).toBe(layer[part]!.count);
        }
        close(other.gradWeightRatio!, layer.gradWeightRatio!);
        expect(other.post.fractionSaturated).toBe(layer.post.fractionSaturated);
      });
    },
  );
});
