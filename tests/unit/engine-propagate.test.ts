import { describe, expect, test } from 'vitest';
import { meanField } from '../../src/engine/meanfield';
import { propagate, propagateSteps, type PropagateConfig } from '../../src/engine/propagate';
import { EngineInputError } from '../../src/engine/validate';

const normal = (std: number) => ({ name: 'normal', std }) as const;

describe('propagate vs mean-field theory', () => {
  // Finite width makes log q a random walk: Var(ln q_sim/q_theory) ≈ c·depth/width with c ≈ 5
  // for relu (Hanin & Rolnick 2018) and ≈ 2 for the others (χ²-fluctuations of Gaussian weights).
  // We allow 2.5 standard deviations of that walk.
  const depth = 20;
  const width = 512;
  test.each([
    ['tanh', 1.5, 0.05, 2],
    ['relu', 2, 0, 5],
    ['linear', 1, 0, 2],
    ['selu', 1, 0, 2],
  ] as const)('%s (σ_w² = %d, σ_b² = %d): pre-activation second moments', (act, w2, b2, c) => {
    const r = propagate({
      depth,
      width,
      batch: 256,
      activation: act,
      weightInit: normal(Math.sqrt(w2 / width)),
      biasInit: b2 > 0 ? normal(Math.sqrt(b2)) : { name: 'zeros' },
      seed: 11,
    });
    // Layer 1 sees the raw inputs (not φ of anything): start the map from its realised q.
    const mf = meanField({
      activation: act,
      sigmaW2: w2,
      sigmaB2: b2,
      q0: r.layers[0]!.pre.meanSquare,
      depth: depth - 1,
    });
    const tol = 2.5 * Math.sqrt((c * depth) / width);
    r.layers.forEach((layer, i) => {
      expect(Math.abs(Math.log(layer.pre.meanSquare / mf.q[i]!))).toBeLessThan(tol);
      expect(Math.abs(layer.pre.mean)).toBeLessThan(
        0.1 * Math.sqrt(mf.q[i]!) + 0.2 * Math.sqrt(b2),
      );
    });
    if (act === 'tanh') {
      // The q-map contracts towards q*, so deep layers sit much closer than the walk bound.
      expect(Math.abs(r.layers[depth - 1]!.pre.meanSquare / mf.qStar - 1)).toBeLessThan(0.05);
    }
  });

  test('He et al.: a 30-layer ReLU net halves q per layer under Xavier, keeps it under Kaiming', () => {
    // Square layers: Xavier gives Var(w) = 2/(n + n) = 1/n, i.e. σ_w² = 1, so q halves at each
    // of the 29 steps from layer 1 to layer 30 (ratio 2^-29); Kaiming gives σ_w² = 2, ratio 1.
    const base = { depth: 30, width: 512, batch: 64, activation: 'relu', seed: 5 };
    const ratio = (init: PropagateConfig['weightInit']): number => {
      const r = propagate({ ...base, weightInit: init });
      return Math.log2(r.layers[29]!.pre.variance / r.layers[0]!.pre.variance);
    };
    // Same random-walk bound as above, in log₂, at 3 standard deviations.
    const tol = (3 * Math.sqrt((5 * 29) / 512)) / Math.LN2;
    expect(Math.abs(ratio({ name: 'xavier_normal' }) + 29)).toBeLessThan(tol);
    expect(Math.abs(ratio({ name: 'kaiming_normal', nonlinearity: 'relu' }))).toBeLessThan(tol);
  });
});

describe('propagate: symmetry, scale and overflow', () => {
  test('all-zero and constant weights leave every unit identical: unit spread exactly 0', () => {
    for (const weightInit of [{ name: 'zeros' }, { name: 'constant', value: 0.05 }] as const) {
      const r = propagate({
        depth: 4,
        width: 37,
        batch: 9,
        activation: 'tanh',
        weightInit,
        seed: 2,
      });
      for (const layer of r.layers) {
        expect(layer.pre.unitSpread).toBe(0);
        expect(layer.post.unitSpread).toBe(0);
      }
      if (weightInit.name === 'constant') expect(r.layers[3]!.post.variance).toBeGreaterThan(0);
    }
  });

  test('unscaled N(0, 1) weights at width 4096: layer-1 pre-activation std ≈ √4096 = 64', () => {
    const r = propagate({
      depth: 1,
      width: 4096,
      batch: 16,
      activation: 'relu',
      weightInit: normal(1),
      seed: 3,
    });
    // 65 536 entries; the realised std is within 3% of 64 with overwhelming probability.
    expect(Math.abs(Math.sqrt(r.layers[0]!.pre.variance) - 64)).toBeLessThan(2);
  });

  test('a huge init overflows float32: non-finite values are counted, not thrown', () => {
    const r = propagate({
      depth: 4,
      width: 64,
      batch: 8,
      activation: 'linear',
      weightInit: normal(1e20),
      seed: 4,
      backward: true,
    });
    expect(r.layers[0]!.pre.nonFinite).toBe(0); // |pre| ≈ 8e20 still fits
    expect(r.layers[1]!.pre.nonFinite).toBe(8 * 64); // ≈ 6e41 > 3.4e38
    expect(r.layers[3]!.pre.nonFinite).toBe(8 * 64);
    expect(r.nonFinite).toBeGreaterThan(0);
    expect(r.layers[3]!.pre.mean).toBeNaN(); // no finite entries left
  });
});

describe('propagate: API behaviour', () => {
  const small = {
    depth: 3,
    width: [6, 5, 4],
    batch: 3,
    activation: 'gelu',
    weightInit: { name: 'kaiming_uniform' },
    seed: 9,
    backward: true,
  } as const;

  test('propagateSteps reports each layer of each phase and returns propagate’s result', () => {
    const steps = propagateSteps(small);
    const seen: string[] = [];
    let r = steps.next();
    while (r.done !== true) {
      seen.push(`${r.value.phase} ${r.value.layer}/${r.value.of}`);
      r = steps.next();
    }
    expect(seen).toEqual([
      'forward 1/3',
      'forward 2/3',
      'forward 3/3',
      'backward 1/3',
      'backward 2/3',
      'backward 3/3',
    ]);
    expect(r.value).toEqual(propagate(small));
  });

  test('seeded and deterministic; widths, fan-ins and input width as configured', () => {
    const a = propagate(small);
    expect(a.layers.map((l) => [l.fanIn, l.width])).toEqual([
      [6, 6],
      [6, 5],
      [5, 4],
    ]);
    expect(propagate({ ...small, seed: 10 }).layers[2]!.post.mean).not.toBe(a.layers[2]!.post.mean);
    const wide = propagate({ ...small, input: { width: 11, distribution: 'uniform', std: 2 } });
    expect(wide.layers[0]!.fanIn).toBe(11);
    expect(wide.input.max).toBeLessThanOrEqual(2 * Math.sqrt(3));
    expect(wide.input.min).toBeGreaterThanOrEqual(-2 * Math.sqrt(3));
    const rad = propagate({ ...small, input: { distribution: 'rademacher', mean: 1, std: 0.5 } });
    expect(new Set([rad.input.min, rad.input.max])).toEqual(new Set([0.5, 1.5]));
  });

  test('residual blocks: zero-initialised branches make each block the identity', () => {
    const r = propagate({
      depth: 5,
      width: 16,
      batch: 4,
      activation: 'relu',
      weightInit: { name: 'kaiming_normal' },
      seed: 1,
      residual: { alpha: 0.5, zeroInitLast: true },
    });
    expect(r.layers.map((l) => l.skipFrom)).toEqual([null, 1, 2, 3, 4]);
    for (let l = 1; l < 5; l++) expect(r.layers[l]!.post).toEqual(r.layers[0]!.post);
    // The stem is drawn from the same stream with or without zeroInitLast.
    const plain = propagate({
      depth: 5,
      width: 16,
      batch: 4,
      activation: 'relu',
      weightInit: { name: 'kaiming_normal' },
      seed: 1,
      residual: { alpha: 0.5 },
    });
    expect(plain.layers[0]!.pre).toEqual(r.layers[0]!.pre);
    const two = propagate({ ...small, width: [6, 9, 6], residual: { alpha: 1, branch: 2 } });
    expect(two.layers.map((l) => l.skipFrom)).toEqual([null, null, 1]);
  });

  test('every invalid input throws EngineInputError naming the parameter and value', () => {
    const base: PropagateConfig = {
      depth: 2,
      width: 4,
      batch: 2,
      activation: 'relu',
      weightInit: { name: 'normal' },
      seed: 1,
    };
    const cases: [Record<string, unknown>, string, unknown][] = [
      [{ depth: 0 }, 'depth', 0],
      [{ depth: 2.5 }, 'depth', 2.5],
      [{ width: Number.NaN }, 'width', Number.NaN],
      [{ width: 1e9 }, 'width', 1e18],
      [{ width: [4, 4, 4] }, 'width', [4, 4, 4]],
      [{ width: [4, -1] }, 'width[1]', -1],
      [{ batch: 1e9 }, 'batch', 4e9],
      [{ batch: '8' }, 'batch', '8'],
      [{ activation: 'swish' }, 'activation', 'swish'],
      [{ activation: 'leaky_relu', activationParam: Number.NaN }, 'activationParam', Number.NaN],
      [{ weightInit: { name: 'nope' } }, 'weightInit.name', 'nope'],
      [{ weightInit: { name: 'normal', std: -1 } }, 'weightInit.std', -1],
      [{ weightInit: null }, 'weightInit', null],
      [{ biasInit: { name: 'uniform', a: 1, b: 0 } }, 'biasInit.b', 0],
      [{ input: { distribution: 'cauchy' } }, 'input.distribution', 'cauchy'],
      [{ input: { std: -1 } }, 'input.std', -1],
      [{ input: { width: 0 } }, 'input.width', 0],
      [{ seed: 1.5 }, 'seed', 1.5],
      [{ seed: Number.NaN }, 'seed', Number.NaN],
      [{ backward: 'yes' }, 'backward', 'yes'],
      [{ loss: 'l1' }, 'loss', 'l1'],
      [{ residual: { alpha: Number.NaN } }, 'residual.alpha', Number.NaN],
      [{ residual: { alpha: 1, branch: 3 } }, 'residual.branch', 3],
      [{ quantiles: [0.5, 1.5] }, 'quantiles[1]', 1.5],
      [{ histogramBins: { min: 1, max: 0, count: 3 } }, 'histogramBins.max', 0],
      [{ histogramBins: { edges: [0, 0] } }, 'histogramBins.edges', [0, 0]],
    ];
    for (const [patch, param, received] of cases) {
      let error: unknown;
      try {
        propagate({ ...base, ...patch } as PropagateConfig);
      } catch (e) {
        error = e;
      }
      expect(error, param).toBeInstanceOf(EngineInputError);
      expect((error as EngineInputError).param).toBe(param);
      expect((error as EngineInputError).received).toEqual(received);
    }
    // Over-budget configurations fail before allocating (this would need 4 GB).
    const t = performance.now();
    expect(() => propagateSteps({ ...base, width: 32_768, depth: 1 })).toThrow(
      /^width must be at most/,
    );
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
