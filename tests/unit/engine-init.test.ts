// Tests in the manner of PyTorch's test/nn/test_init.py: KS tests at fixed seeds against the
// target distribution (not rejected at p > 1e-4, PyTorch's level), exact bounds and structures,
// and every validation error.
import { describe, expect, it } from 'vitest';
import {
  INIT_NAMES,
  constant_,
  dirac_,
  eye_,
  glorot_normal,
  glorot_uniform,
  he_normal,
  he_uniform,
  initTensor,
  kaiming_normal_,
  kaiming_uniform_,
  lecun_normal,
  lecun_uniform,
  normal_,
  ones_,
  orthogonal_,
  sparse_,
  trunc_normal_,
  uniform_,
  xavier_normal_,
  xavier_uniform_,
  zeros_,
  type InitSpec,
  type Tensor,
} from '../../src/engine/init';
import { calculateGain } from '../../src/engine/fans';
import { createRng } from '../../src/engine/rng';
import { EngineInputError, MAX_ELEMENTS } from '../../src/engine/validate';
import {
  KS_ALPHA,
  extent,
  ksTest,
  normalCdf,
  truncNormalCdf,
  uniformCdf,
  variance,
} from './helpers/stats';

const SHAPE = [200, 100]; // 20 000 samples per KS test; fanIn 100, fanOut 200
const CONV = [32, 16, 3, 3]; // fanIn 144, fanOut 288
const sample = (shape: number[], init: InitSpec, seed = 1) =>
  initTensor(shape, init, createRng(seed));
const normalCdfOf = (mean: number, std: number) => (x: number) => normalCdf((x - mean) / std);

/** Runs `fn`, expecting an EngineInputError, and returns it. */
function thrown(fn: () => unknown): EngineInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return error as EngineInputError;
  }
  throw new Error('expected an EngineInputError');
}

describe('random initializers follow their target distributions', () => {
  it('uniform: U(a, b), within bounds', () => {
    for (const [a, b] of [
      [0, 1],
      [-3, 5],
      [2, 2.5],
    ] as const) {
      const w = sample(SHAPE, { name: 'uniform', a, b });
      const [lo, hi] = extent(w);
      expect(lo).toBeGreaterThanOrEqual(a);
      expect(hi).toBeLessThanOrEqual(b);
      expect(ksTest(w, uniformCdf(a, b)).p).toBeGreaterThan(KS_ALPHA);
    }
    expect(ksTest(sample(SHAPE, { name: 'uniform' }), uniformCdf(0, 1)).p).toBeGreaterThan(
      KS_ALPHA,
    );
  });

  it('normal: N(mean, std²)', () => {
    for (const [mean, std] of [
      [0, 1],
      [3, 0.5],
      [-1, 4],
    ] as const) {
      const w = sample(SHAPE, { name: 'normal', mean, std });
      expect(ksTest(w, normalCdfOf(mean, std)).p).toBeGreaterThan(KS_ALPHA);
    }
  });

  it('trunc_normal: truncated CDF, inside [a, b], including a window off the mean', () => {
    for (const [mean, std, a, b] of [
      [0, 1, -2, 2], // the defaults
      [0, 1, 1, 3], // window entirely right of the mean
      [5, 2, 4, 9],
      [0, 0.02, -0.04, 0.04], // ViT-style std with ±2 std bounds
      [0, 1, -10, -6], // far tail: Φ is ~1e-9 there, still representable
    ] as const) {
      const w = sample(SHAPE, { name: 'trunc_normal', mean, std, a, b });
      const [lo, hi] = extent(w);
      // Bounds as float32, the precision the tensor stores them in.
      expect(lo).toBeGreaterThanOrEqual(Math.fround(a));
      expect(hi).toBeLessThanOrEqual(Math.fround(b));
      expect(ksTest(w, truncNormalCdf(mean, std, a, b)).p).toBeGreaterThan(KS_ALPHA);
    }
    const defaults = sample(SHAPE, { name: 'trunc_normal' });
    expect(ksTest(defaults, truncNormalCdf(0, 1, -2, 2)).p).toBeGreaterThan(KS_ALPHA);
    // The KS test has power here: an untruncated N(0, 1) is rejected.
    expect(ksTest(defaults, normalCdf).p).toBeLessThan(KS_ALPHA);
  });

  it('xavier_uniform and xavier_normal: std = gain·√(2 / (fanIn + fanOut))', () => {
    for (const [shape, gain] of [
      [SHAPE, 1],
      [CONV, calculateGain('tanh')],
    ] as const) {
      const [fanIn, fanOut] = shape === SHAPE ? [100, 200] : [144, 288];
      const std = gain * Math.sqrt(2 / (fanIn + fanOut));
      const bound = Math.sqrt(3) * std;
      const u = sample([...shape], { name: 'xavier_uniform', gain });
      const [lo, hi] = extent(u);
      expect(Math.max(-lo, hi)).toBeLessThanOrEqual(Math.fround(bound));
      expect(ksTest(u, uniformCdf(-bound, bound)).p).toBeGreaterThan(KS_ALPHA);
      const n = sample([...shape], { name: 'xavier_normal', gain });
      expect(ksTest(n, normalCdfOf(0, std)).p).toBeGreaterThan(KS_ALPHA);
    }
  });

  it('kaiming_uniform and kaiming_normal: std = gain / √fan, PyTorch defaults', () => {
    const cases: [
      number[],
      number,
      'fan_in' | 'fan_out',
      'relu' | 'leaky_relu' | 'tanh',
      number,
    ][] = [
      [SHAPE, 0, 'fan_in', 'leaky_relu', Math.sqrt(2) / Math.sqrt(100)],
      [SHAPE, 0.2, 'fan_out', 'leaky_relu', Math.sqrt(2 / 1.04) / Math.sqrt(200)],
      [CONV, 0, 'fan_in', 'relu', Math.sqrt(2) / 12],
      [CONV, 0, 'fan_out', 'tanh', 5 / 3 / Math.sqrt(288)],
    ];
    for (const [shape, a, mode, nonlinearity, std] of cases) {
      const bound = Math.sqrt(3) * std;
      const u = sample(shape, { name: 'kaiming_uniform', a, mode, nonlinearity });
      const [lo, hi] = extent(u);
      expect(Math.max(-lo, hi)).toBeLessThanOrEqual(Math.fround(bound));
      expect(ksTest(u, uniformCdf(-bound, bound)).p).toBeGreaterThan(KS_ALPHA);
      const n = sample(shape, { name: 'kaiming_normal', a, mode, nonlinearity });
      expect(ksTest(n, normalCdfOf(0, std)).p).toBeGreaterThan(KS_ALPHA);
    }
    // Defaults (a = 0, fan_in, leaky_relu) give He's √(2 / fanIn).
    const d = sample(SHAPE, { name: 'kaiming_normal' });
    expect(ksTest(d, normalCdfOf(0, Math.sqrt(2 / 100))).p).toBeGreaterThan(KS_ALPHA);
    expect(sample(SHAPE, { name: 'kaiming_uniform' })).toEqual(
      sample(SHAPE, { name: 'kaiming_uniform', a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' }),
    );
  });

  it('torch_default: U(±1/√fanIn) for weights and, given context.fanIn, for biases', () => {
    for (const [shape, fanIn] of [
      [SHAPE, 100],
      [CONV, 144],
    ] as const) {
      const w = sample([...shape], { name: 'torch_default' });
      const bound = 1 / Math.sqrt(fanIn);
      // kaiming_uniform with a = √5 computes √3·√(1/3)/√fanIn, equal to 1/√fanIn up to rounding.
      expect(Math.max(...extent(w).map(Math.abs))).toBeLessThanOrEqual(bound * (1 + 1e-7));
      expect(ksTest(w, uniformCdf(-bound, bound)).p).toBeGreaterThan(KS_ALPHA);
    }
    const bias = initTensor([20_000], { name: 'torch_default' }, createRng(2), { fanIn: 64 });
    expect(Math.max(...extent(bias).map(Math.abs))).toBeLessThanOrEqual(1 / 8);
    expect(ksTest(bias, uniformCdf(-1 / 8, 1 / 8)).p).toBeGreaterThan(KS_ALPHA);
  });
});

describe('variance_scaling (JAX/Keras)', () => {
  it('truncated_normal: cut at ±2 of a widened std, so the variance is scale / n', () => {
    const n = 100; // fan_in of SHAPE
    const std = Math.sqrt(2 / n);
    const wide = std / 0.87962566103423978;
    const w = sample(SHAPE, { name: 'variance_scaling', scale: 2, mode: 'fan_in' });
    const [lo, hi] = extent(w);
    expect(lo).toBeGreaterThanOrEqual(Math.fround(-2 * wide));
    expect(hi).toBeLessThanOrEqual(Math.fround(2 * wide));
    expect(ksTest(w, truncNormalCdf(0, wide, -2 * wide, 2 * wide)).p).toBeGreaterThan(KS_ALPHA);
    // Sample variance vs scale / n = 0.02: its relative sd is about √(2/20000) ≈ 1% (a bit less
    // for the light-tailed truncated law); tolerance 5%.
    expect(Math.abs(variance(w) / (2 / n) - 1)).toBeLessThan(0.05);
  });

  it("untruncated_normal and its alias 'normal', uniform, and each mode's n", () => {
    const fans = { fan_in: 100, fan_out: 200, fan_avg: 150 } as const;
    for (const mode of ['fan_in', 'fan_out', 'fan_avg'] as const) {
      const std = Math.sqrt(0.5 / fans[mode]);
      const g = sample(SHAPE, {
        name: 'variance_scaling',
        scale: 0.5,
        mode,
        distribution: 'normal',
      });
      expect(g).toEqual(
        sample(SHAPE, {
          name: 'variance_scaling',
          scale: 0.5,
          mode,
          distribution: 'untruncated_normal',
        }),
      );
      expect(ksTest(g, normalCdfOf(0, std)).p).toBeGreaterThan(KS_ALPHA);
      const bound = Math.sqrt(3) * std; // = √(3·scale/n)
      const u = sample(SHAPE, {
        name: 'variance_scaling',
        scale: 0.5,
        mode,
        distribution: 'uniform',
      });
      expect(Math.max(...extent(u).map(Math.abs))).toBeLessThanOrEqual(Math.fround(bound));
      expect(ksTest(u, uniformCdf(-bound, bound)).p).toBeGreaterThan(KS_ALPHA);
    }
  });

  it('lecun_normal and the Keras/JAX presets are the documented variance_scaling calls', () => {
    expect(sample(CONV, { name: 'lecun_normal' })).toEqual(
      sample(CONV, {
        name: 'variance_scaling',
        scale: 1,
        mode: 'fan_in',
        distribution: 'truncated_normal',
      }),
    );
    expect(sample(CONV, { name: 'variance_scaling' })).toEqual(sample(CONV, lecun_normal()));
    const vs = (scale: number, mode: string, distribution: string) => ({
      name: 'variance_scaling',
      scale,
      mode,
      distribution,
    });
    expect(glorot_uniform()).toEqual(vs(1, 'fan_avg', 'uniform'));
    expect(glorot_normal()).toEqual(vs(1, 'fan_avg', 'truncated_normal'));
    expect(he_normal()).toEqual(vs(2, 'fan_in', 'truncated_normal'));
    expect(he_uniform()).toEqual(vs(2, 'fan_in', 'uniform'));
    expect(lecun_uniform()).toEqual(vs(1, 'fan_in', 'uniform'));
    expect(lecun_normal()).toEqual(vs(1, 'fan_in', 'truncated_normal'));
  });
});

describe('deterministic structures', () => {
  it('constant, zeros, ones', () => {
    expect(sample([2, 3], { name: 'constant', value: -0.5 })).toEqual(
      new Float32Array(6).fill(-0.5),
    );
    expect(sample([4], { name: 'zeros' })).toEqual(new Float32Array(4));
    expect(sample([2, 2, 2], { name: 'ones' })).toEqual(new Float32Array(8).fill(1));
  });

  it('eye: ones on the main diagonal of wide and tall matrices', () => {
    expect(Array.from(sample([2, 3], { name: 'eye' }))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(sample([3, 2], { name: 'eye' }))).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('dirac: a one at [g·out/groups + d, d, centre] for d < min(out/groups, in)', () => {
    // shape (4, 2, 3), groups 2: two groups of 2 outputs; kernel centre 1.
    const w = sample([4, 2, 3], { name: 'dirac', groups: 2 });
    const ones = [...w.keys()].filter((i) => w[i] === 1);
    expect(ones).toEqual([
      (0 * 2 + 0) * 3 + 1, // out 0 ← in 0
      (1 * 2 + 1) * 3 + 1, // out 1 ← in 1
      (2 * 2 + 0) * 3 + 1, // out 2 ← in 0 (second group)
      (3 * 2 + 1) * 3 + 1, // out 3 ← in 1
    ]);
    expect(w.reduce((s, x) => s + x, 0)).toBe(4);
    // 4-D, more outputs than inputs: only min(6, 3) = 3 channels get a delta, at kernel (1, 2).
    const v = sample([6, 3, 3, 5], { name: 'dirac' });
    const at = (o: number, i: number, h: number, k: number) => v[((o * 3 + i) * 3 + h) * 5 + k];
    expect([0, 1, 2].map((d) => at(d, d, 1, 2))).toEqual([1, 1, 1]);
    expect(v.reduce((s, x) => s + x, 0)).toBe(3);
    // 5-D, groups 3 with 1 output per group, 2 inputs: min(1, 2) = 1 delta per group.
    const u = sample([3, 2, 1, 3, 3], { name: 'dirac', groups: 3 });
    expect([...u.keys()].filter((i) => u[i] === 1)).toEqual([4, 18 + 4, 36 + 4]);
  });

  it('orthogonal: W·Wᵀ = gain²·I for wide W, WᵀW = gain²·I for tall W (to 1e-5)', () => {
    // Float32 storage limits each dot product to ~1e-7·√n; 1e-5 leaves ample margin.
    for (const [rows, cols, gain] of [
      [30, 50, 1],
      [50, 30, 2],
      [40, 40, Math.SQRT2],
      [8, 3 * 3 * 3, 1], // conv weight (8, 3, 3, 3) flattened to 8 × 27
      [1, 10, 0.5],
    ] as const) {
      const shape = rows === 8 ? [8, 3, 3, 3] : [rows, cols];
      const w = sample(shape, { name: 'orthogonal', gain });
      const wide = rows <= cols;
      const k = wide ? rows : cols;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let dot = 0;
          for (let t = 0; t < (wide ? cols : rows); t++) {
            dot += wide ? w[i * cols + t]! * w[j * cols + t]! : w[t * cols + i]! * w[t * cols + j]!;
          }
          expect(Math.abs(dot - (i === j ? gain * gain : 0))).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('orthogonal: entries of a large Haar matrix are ≈ N(0, 1/n)', () => {
    // A Haar-random orthogonal n × n matrix has entries close to N(0, 1/n) for large n; a
    // sign convention error (no sign(diag R)) would bias the diagonal, checked below.
    const n = 120;
    const w = sample([n, n], { name: 'orthogonal' });
    expect(ksTest(w, normalCdfOf(0, 1 / Math.sqrt(n))).p).toBeGreaterThan(KS_ALPHA);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += w[i * n + i]!;
    // E[trace] = 0 and Var[trace] = 1 for Haar; |trace| < 5 (5 sd).
    expect(Math.abs(trace)).toBeLessThan(5);
  });

  it('sparse: exactly ⌈sparsity·rows⌉ zeros in every column, N(0, std²) elsewhere', () => {
    for (const [rows, cols, sparsity] of [
      [50, 40, 0.1],
      [30, 20, 0.1], // 0.1·30 = 3.0000000000000004 → ⌈⌉ = 4, as in PyTorch
      [10, 5, 0],
      [10, 5, 1],
      [7, 3, 0.5],
    ] as const) {
      const w = sample([rows, cols], { name: 'sparse', sparsity, std: 0.02 });
      const zeros = Math.ceil(sparsity * rows);
      for (let j = 0; j < cols; j++) {
        let count = 0;
        for (let i = 0; i < rows; i++) if (w[i * cols + j] === 0) count++;
        expect(count).toBe(zeros);
      }
    }
    const w = sample([400, 100], { name: 'sparse', sparsity: 0.25 });
    const kept = w.filter((x) => x !== 0);
    expect(kept.length).toBe(300 * 100);
    expect(ksTest(kept, normalCdfOf(0, 0.01)).p).toBeGreaterThan(KS_ALPHA);
  });
});

describe('torch-named functions', () => {
  const tensor = (shape: number[]): Tensor => ({
    data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
    shape,
  });
  const same = (fill: (t: Tensor) => Tensor, spec: InitSpec, shape = CONV) => {
    const t = tensor(shape);
    expect(fill(t)).toBe(t); // in place, returning the tensor as PyTorch does
    expect(t.data).toEqual(initTensor(shape, spec, createRng(3)));
  };

  it('fill in place exactly as initTensor does with the same spec and seed', () => {
    same((t) => uniform_(t, { a: -1, b: 2 }, createRng(3)), { name: 'uniform', a: -1, b: 2 });
    same((t) => normal_(t, { std: 3 }, createRng(3)), { name: 'normal', std: 3 });
    same((t) => trunc_normal_(t, { a: 0, b: 1 }, createRng(3)), {
      name: 'trunc_normal',
      a: 0,
      b: 1,
    });
    same((t) => constant_(t, { val: 7 }), { name: 'constant', value: 7 });
    same((t) => ones_(t), { name: 'ones' });
    same((t) => zeros_(t), { name: 'zeros' });
    same((t) => eye_(t), { name: 'eye' }, [3, 4]);
    same((t) => dirac_(t), { name: 'dirac' });
    same((t) => dirac_(t, { groups: 4 }), { name: 'dirac', groups: 4 });
    same((t) => xavier_uniform_(t, { gain: 2 }, createRng(3)), { name: 'xavier_uniform', gain: 2 });
    same((t) => xavier_normal_(t, {}, createRng(3)), { name: 'xavier_normal' });
    same((t) => kaiming_uniform_(t, { a: Math.sqrt(5) }, createRng(3)), {
      name: 'kaiming_uniform',
      a: Math.sqrt(5),
    });
    same((t) => kaiming_normal_(t, { mode: 'fan_out', nonlinearity: 'relu' }, createRng(3)), {
      name: 'kaiming_normal',
      mode: 'fan_out',
      nonlinearity: 'relu',
    });
    same((t) => orthogonal_(t, { gain: 3 }, createRng(3)), { name: 'orthogonal', gain: 3 });
    same(
      (t) => sparse_(t, { sparsity: 0.3 }, createRng(3)),
      { name: 'sparse', sparsity: 0.3 },
      [20, 10],
    );
  });

  it('reject a tensor whose data does not match its shape', () => {
    const error = thrown(() => zeros_({ data: new Float32Array(5), shape: [2, 3] }));
    expect(error.param).toBe('data');
    expect(error.message).toContain('length 6');
  });
});

describe('validation', () => {
  const rng = () => createRng(0);
  const check = (
    shape: readonly number[],
    spec: unknown,
    param: string,
    received: unknown,
    allowed?: string,
  ) => {
    const error = thrown(() => initTensor(shape, spec as InitSpec, rng()));
    expect(error.param).toBe(param);
    if (typeof received === 'number' && Number.isNaN(received)) expect(error.received).toBeNaN();
    else expect(error.received).toEqual(received);
    if (allowed !== undefined) expect(error.allowed).toContain(allowed);
    expect(error.message).toMatch(
      new RegExp(`^(.*: )?${param.replace(/[[\].]/g, '\\$&')} must be `),
    );
    return error;
  };

  it('rejects unknown names, listing the accepted ones', () => {
    const error = check([2, 2], { name: 'glorot' }, 'name', 'glorot', "'xavier_uniform'");
    expect(error.message).toContain("received 'glorot'");
    expect(INIT_NAMES).toHaveLength(17);
    for (const name of INIT_NAMES) expect(error.allowed).toContain(`'${name}'`);
    check([2, 2], null, 'init', null);
  });

  it('rejects bad shapes and over-budget sizes', () => {
    check([0, 3], { name: 'zeros' }, 'shape[0]', 0, 'a positive integer');
    check([2, -1], { name: 'zeros' }, 'shape[1]', -1);
    check([2, 1.5], { name: 'zeros' }, 'shape[1]', 1.5);
    check([Number.NaN], { name: 'zeros' }, 'shape[0]', Number.NaN);
    const big = check([MAX_ELEMENTS, 2], { name: 'zeros' }, 'shape', MAX_ELEMENTS * 2);
    expect(big.message).toContain('512 MiB');
  });

  it('rejects NaN and Infinity in every numeric parameter', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      check([4, 4], { name: 'uniform', a: bad }, 'a', bad, 'a finite number');
      check([4, 4], { name: 'uniform', b: bad }, 'b', bad);
      check([4, 4], { name: 'normal', mean: bad }, 'mean', bad);
      check([4, 4], { name: 'normal', std: bad }, 'std', bad);
      check([4, 4], { name: 'trunc_normal', std: bad }, 'std', bad);
      check([4, 4], { name: 'trunc_normal', a: bad }, 'a', bad);
      check([4, 4], { name: 'constant', value: bad }, 'value', bad);
      check([4, 4], { name: 'xavier_uniform', gain: bad }, 'gain', bad);
      check([4, 4], { name: 'kaiming_normal', a: bad }, 'a', bad);
      check([4, 4], { name: 'orthogonal', gain: bad }, 'gain', bad);
      check([4, 4], { name: 'sparse', sparsity: 0.5, std: bad }, 'std', bad);
      check([4, 4], { name: 'variance_scaling', scale: bad }, 'scale', bad);
    }
  });

  it('rejects out-of-range parameters', () => {
    check([4, 4], { name: 'uniform', a: 2, b: 1 }, 'b', 1, 'a number ≥ a (2)');
    check([4, 4], { name: 'normal', std: -1 }, 'std', -1, '≥ 0');
    check([4, 4], { name: 'trunc_normal', std: 0 }, 'std', 0, '> 0');
    check([4, 4], { name: 'trunc_normal', a: 1, b: 1 }, 'b', 1, 'a number > a (1)');
    check([4, 4], { name: 'xavier_normal', gain: -1 }, 'gain', -1);
    check([4, 4], { name: 'sparse', sparsity: 1.5 }, 'sparsity', 1.5, '[0, 1]');
    check([4, 4], { name: 'sparse', sparsity: -0.1 }, 'sparsity', -0.1);
    check([4, 4], { name: 'sparse' }, 'sparsity', undefined);
    check([4, 4], { name: 'variance_scaling', scale: 0 }, 'scale', 0, '> 0');
  });

  it('rejects bad modes, distributions and nonlinearities', () => {
    check(
      [4, 4],
      { name: 'kaiming_uniform', mode: 'fan_avg' },
      'mode',
      'fan_avg',
      "'fan_in', 'fan_out'",
    );
    check([4, 4], { name: 'variance_scaling', mode: 'fan' }, 'mode', 'fan', "'fan_avg'");
    const d = check(
      [4, 4],
      { name: 'variance_scaling', distribution: 'gaussian' },
      'distribution',
      'gaussian',
    );
    expect(d.allowed).toContain("'truncated_normal', 'untruncated_normal', 'normal', 'uniform'");
    check(
      [4, 4],
      { name: 'kaiming_normal', nonlinearity: 'gelu' },
      'nonlinearity',
      'gelu',
      "'relu'",
    );
  });

  it('rejects shapes an initializer cannot use', () => {
    check([4], { name: 'xavier_uniform' }, 'shape', [4], 'at least 2-dimensional');
    check([4], { name: 'kaiming_normal' }, 'shape', [4]);
    check([4], { name: 'variance_scaling' }, 'shape', [4]);
    check([4], { name: 'orthogonal' }, 'shape', [4]);
    check([2, 2, 2], { name: 'eye' }, 'shape', [2, 2, 2], '2-dimensional');
    check([2, 2, 2], { name: 'sparse', sparsity: 0.5 }, 'shape', [2, 2, 2], '2-dimensional');
    check([2, 2], { name: 'dirac' }, 'shape', [2, 2], '3, 4 or 5-dimensional');
    check([3, 2, 3], { name: 'dirac', groups: 2 }, 'groups', 2, 'a divisor of shape[0] (3)');
    check([4, 2, 3], { name: 'dirac', groups: 0 }, 'groups', 0);
    check([8192, 8192], { name: 'orthogonal' }, 'shape', [8192, 8192], 'QR');
    check([], { name: 'torch_default' }, 'shape', []);
  });

  it('requires context.fanIn for a torch_default bias', () => {
    const error = check(
      [10],
      { name: 'torch_default' },
      'context.fanIn',
      undefined,
      'positive integer',
    );
    expect(error.message).toBe('context.fanIn must be a positive integer; received undefined');
    expect(() => initTensor([10], { name: 'torch_default' }, rng(), { fanIn: 0 })).toThrow(
      'context.fanIn must be a positive integer; received 0',
    );
  });

  it('leaves the data untouched when a parameter is bad', () => {
    const t: Tensor = { data: new Float32Array(16).fill(9), shape: [4, 4] };
    expect(() => sparse_(t, { sparsity: 2 }, rng())).toThrow(EngineInputError);
    expect(() => kaiming_normal_(t, { mode: 'x' as 'fan_in' }, rng())).toThrow(EngineInputError);
    expect(t.data).toEqual(new Float32Array(16).fill(9));
  });
});
