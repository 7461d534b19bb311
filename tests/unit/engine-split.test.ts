/**
 * A batch split into parts (what two workers compute) merges into the result of one `propagate`.
 * Every part draws the same weights, inputs and targets from the seed and computes its own rows, so
 * each activation and input gradient is the same float32 number either way: their statistics agree
 * up to float64 rounding of the sums (relative 1e-12 here). ∂L/∂W and ∂L/∂b are sums over the batch
 * in float32; adding the parts' sums rounds differently, so their statistics agree to 1e-6 relative.
 * Counts, extremes and the zero, saturation and non-finite counts agree exactly.
 */
import { describe, expect, test } from 'vitest';
import {
  batchRows,
  mergePropagateParts,
  propagate,
  propagatePart,
  type PropagateConfig,
  type PropagateResult,
} from '../../src/engine/propagate';
import { createRng } from '../../src/engine/rng';
import { mergeMoments, rowMoments } from '../../src/engine/row-moments';
import { rawMoments } from '../../src/engine/stats';
import { EngineInputError } from '../../src/engine/validate';
import { MOMENTS, close, sameResult } from './helpers/same-propagate';

function split(config: PropagateConfig, of: number): PropagateResult {
  const parts = Array.from({ length: of }, (_, index) => propagatePart(config, { index, of }));
  // Reversed on purpose: the merge orders the parts itself.
  return mergePropagateParts(config, parts.reverse());
}

const he = { name: 'kaiming_normal', nonlinearity: 'relu' } as const;

const CASES: Record<string, PropagateConfig> = {
  'relu, He, forward only': {
    depth: 10,
    width: 64,
    batch: 40,
    activation: 'relu',
    weightInit: he,
    seed: 1,
    summaries: 'moments',
  },
  'tanh at σ_w = 1.3, readout loss, odd batch': {
    depth: 12,
    width: 96,
    batch: 37,
    activation: 'tanh',
    weightInit: { name: 'normal', std: 1.3 / Math.sqrt(96) },
    seed: 5,
    backward: true,
    loss: 'readout',
    summaries: 'moments',
  },
  'sigmoid with PyTorch default biases, mse loss, ragged widths': {
    depth: 4,
    width: [50, 33, 70, 9],
    batch: 29,
    activation: 'sigmoid',
    weightInit: { name: 'torch_default' },
    biasInit: { name: 'torch_default' },
    seed: 9,
    backward: true,
    loss: 'mse',
    summaries: 'moments',
    input: { width: 17, distribution: 'uniform' },
  },
  'residual two-layer branches, zero-init last, sum loss': {
    depth: 9,
    width: 48,
    batch: 24,
    activation: 'relu',
    weightInit: he,
    seed: 3,
    backward: true,
    residual: { alpha: 0.5, branch: 2, zeroInitLast: true },
    summaries: 'moments',
  },
  'unscaled N(0, 1) overflowing to Infinity and NaN': {
    depth: 45,
    width: 256,
    batch: 12,
    activation: 'relu',
    weightInit: { name: 'normal', std: 1 },
    seed: 2,
    backward: true,
    summaries: 'moments',
  },
};

describe('one worker and two: the same seed gives the same statistics', () => {
  test.each(Object.entries(CASES))('%s, two parts', (_, config) => {
    sameResult(propagate(config), split(config, 2));
  });

  test('three parts, and a part per sample', () => {
    const config = CASES['tanh at σ_w = 1.3, readout loss, odd batch']!;
    sameResult(propagate(config), split(config, 3));
    sameResult(propagate({ ...config, batch: 5 }), split({ ...config, batch: 5 }, 5));
  });

  test('the overflow case really overflows, so the non-finite counts are tested', () => {
    const r = split(CASES['unscaled N(0, 1) overflowing to Infinity and NaN']!, 2);
    expect(r.nonFinite).toBeGreaterThan(0);
    expect(r.batchParts).toBe(2);
    expect(propagate(CASES['relu, He, forward only']!).batchParts).toBeUndefined();
  });
});

describe('the parts', () => {
  test('rows are contiguous, cover the batch once and differ in size by at most one', () => {
    for (const [batch, of] of [
      [37, 2],
      [10, 3],
      [5, 5],
      [256, 2],
    ] as const) {
      const rows = Array.from({ length: of }, (_, index) => batchRows(batch, { index, of }));
      expect(rows[0]![0]).toBe(0);
      expect(rows[of - 1]![1]).toBe(batch);
      rows.forEach(([s, e], i) => {
        if (i > 0) expect(s).toBe(rows[i - 1]![1]);
        expect(Math.abs(e - s - batch / of)).toBeLessThan(1);
      });
    }
  });

  test('bad parts and unmergeable configs get clear errors', () => {
    const config = CASES['relu, He, forward only']!;
    const bad = (f: () => unknown, param: string) => {
      expect(f).toThrow(EngineInputError);
      try {
        f();
      } catch (e) {
        expect((e as EngineInputError).param).toBe(param);
      }
    };
    bad(() => propagatePart(config, { index: 2, of: 2 }), 'part.index');
    bad(() => propagatePart(config, { index: 0.5, of: 2 }), 'part.index');
    bad(() => propagatePart(config, { index: 0, of: 41 }), 'part.of');
    bad(() => propagatePart(config, { index: 0, of: Number.NaN }), 'part.of');
    bad(() => propagatePart({ ...config, summaries: 'full' }, { index: 0, of: 2 }), 'summaries');
    const p0 = propagatePart(config, { index: 0, of: 2 });
    bad(() => mergePropagateParts(config, [p0]), 'parts');
    bad(() => mergePropagateParts(config, [p0, p0]), 'parts');
    bad(
      () =>
        mergePropagateParts({ ...config, batch: 41 }, [
          p0,
          propagatePart(config, { index: 1, of: 2 }),
        ]),
      'parts',
    );
  });
});

describe('mergeMoments', () => {
  test('pooled moments of blocks of rows equal the moments of the whole, for any cut', () => {
    const rows = 23;
    const cols = 11;
    const x = createRng(4).normalArray(new Float32Array(rows * cols), 3, 2);
    x[5] = Number.NaN;
    x[40] = Infinity;
    x.fill(Number.NaN, 7 * cols, 8 * cols); // one row with nothing finite: it does not count in unitSpread
    x[100] = 0;
    const whole = rawMoments(x, rows, cols, 'tanh');
    for (const cut of [1, 7, 8, 12, 22]) {
      const a = rowMoments(x.subarray(0, cut * cols), cut, cols, 'tanh');
      const b = rowMoments(x.subarray(cut * cols), rows - cut, cols, 'tanh');
      const m = mergeMoments(a, b);
      for (const key of ['count', 'min', 'max', 'zeros', 'saturated'] as const) {
        expect(m[key], `${key} at cut ${cut}`).toBe(whole[key]);
      }
      for (const key of ['sum', 'deviation2', 'squares', 'unitSpread'] as const) {
        close(`${key} at cut ${cut}`, m[key], whole[key], MOMENTS, whole[key]);
      }
      expect(m.unitRows).toBe(rows - 1);
    }
  });
});
