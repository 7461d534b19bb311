import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng';
import { propagate } from '../../src/engine/propagate';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';
import { halfIntegerPolygammas, logFactorLaw } from '../../src/figures/width-draws/law';
import {
  drawsWithinBudget,
  model,
  MIN_DRAWS,
  WEIGHT_BUDGET,
  type DrawsParams,
} from '../../src/figures/width-draws/model';
import { view } from '../../src/figures/width-draws/spec';
import { checkSnapshot } from './helpers/snapshot';
import { mean, variance } from './helpers/stats';

const run = (overrides: Partial<DrawsParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};

describe('width draws: the law of one layer', () => {
  it('polygammas at half-integers match their closed forms', () => {
    const { psi, trigamma } = halfIntegerPolygammas(4);
    const gamma = 0.5772156649015329;
    // ψ(1/2), ψ(1), ψ(3/2), ψ(2) and ψ₁ at the same points (Abramowitz & Stegun 6.3, 6.4).
    expect(psi[1]).toBeCloseTo(-gamma - 2 * Math.LN2, 14);
    expect(psi[2]).toBeCloseTo(-gamma, 14);
    expect(psi[3]).toBeCloseTo(2 - gamma - 2 * Math.LN2, 14);
    expect(psi[4]).toBeCloseTo(1 - gamma, 14);
    expect(trigamma[3]).toBeCloseTo(Math.PI ** 2 / 2 - 4, 14);
    expect(trigamma[4]).toBeCloseTo(Math.PI ** 2 / 6 - 1, 14);
  });

  it('matches a direct simulation of (2/n)·Σ relu(g)² at width 16', () => {
    // 200 000 independent layers of 16 units from the engine's generator; the law is conditional
    // on some unit being active, so the all-negative layers are dropped.
    const n = 16;
    const rng = createRng(11);
    const g = new Float32Array(n);
    const logs: number[] = [];
    for (let t = 0; t < 200_000; t++) {
      rng.normalArray(g);
      let s = 0;
      for (const x of g) if (x > 0) s += x * x;
      if (s > 0) logs.push(Math.log((2 / n) * s));
    }
    const law = logFactorLaw(n, 2);
    // Standard errors at 200 000 samples: 0.0015 for the mean, about 0.003 for the variance.
    expect(Math.abs(mean(logs) - law.mean)).toBeLessThan(0.006);
    expect(Math.abs(variance(logs) - law.variance)).toBeLessThan(0.012);
  });

  it('tends to 5/n for wide layers (Hanin & Rolnick), and exceeds it for narrow ones', () => {
    const wide = logFactorLaw(512, 2);
    expect(wide.variance * 512).toBeCloseTo(5, 0);
    expect(Math.abs(wide.variance * 512 - 5)).toBeLessThan(0.05);
    expect(Math.abs(wide.mean * 512 + 2.5)).toBeLessThan(0.05);
    expect(logFactorLaw(16, 2).variance).toBeGreaterThan(5 / 16);
    // σ_w² only shifts the mean: Xavier's ½ per layer, same spread.
    expect(logFactorLaw(16, 1).mean - logFactorLaw(16, 2).mean).toBeCloseTo(-Math.LN2, 12);
    expect(logFactorLaw(16, 1).variance).toBeCloseTo(logFactorLaw(16, 2).variance, 12);
  });
});

describe('width draws', () => {
  it('draws the chapter cell’s networks (PyTorch’s stream, as cells draw): seeds 1 … 8 at width 16, depth 30', () => {
    const { data } = run({ width: 16, depth: 30, draws: 10 });
    for (let seed = 1; seed <= 8; seed++) {
      const cell = propagate({
        depth: 30,
        width: 16,
        batch: 1,
        activation: 'relu',
        seed,
        weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
        input: { distribution: 'rademacher' },
        stream: 'torch',
      }).layers[29]!.post.meanSquare;
      // Same weights and inputs; the sums behind the mean square may run in another order.
      expect(Math.abs(data.lines[seed - 1]![30]! - cell)).toBeLessThanOrEqual(1e-12 * cell);
    }
    expect(data.lines[0]![0]).toBe(1);
  });

  it('spreads ln M as the independent-layer law says (200 draws, width 16, depth 10)', () => {
    const { data } = run({ width: 16, depth: 10, draws: 200 });
    const last = data.layers[10]!;
    // ln M¹⁰ has variance 4.2 in theory; over 200 draws its mean has standard error 0.145 and the
    // sample variance about 0.5 (a long left tail makes it wider than the Gaussian 0.42): 3 s.e.
    expect(last.logVarianceTheory).toBeCloseTo(10 * logFactorLaw(16, 2).variance, 12);
    expect(Math.abs(Math.log(last.geoMean / last.geoMeanTheory))).toBeLessThan(3 * 0.145);
    expect(Math.abs(last.logVariance - last.logVarianceTheory)).toBeLessThan(1.5);
    // Hanin & Rolnick's large-width rate underestimates at width 16: 50/16 = 3.1.
    expect(last.logVarianceWide).toBeCloseTo(50 / 16, 12);
  });

  it('keeps the mean-field average: E[M] = 1 under He (200 draws, width 64, depth 10)', () => {
    const { data } = run({ width: 64, depth: 10, draws: 200 });
    expect(data.layers.every((r) => r.meanField === 1)).toBe(true);
    // E[M²]/E[M]² = (1 + 5/64)¹⁰ ≈ 2.12: M has sd ≈ 1.06, its 200-draw average s.e. 0.075.
    const average = mean(data.lines.map((line) => line[10]!));
    expect(Math.abs(average - 1)).toBeLessThan(0.25);
    // Typical draws sit below the mean: the geometric mean is below 1, as the law predicts.
    expect(data.layers[10]!.geoMeanTheory).toBeLessThan(1);
    expect(data.layers[10]!.geoMean).toBeLessThan(1);
  });

  it('counts the draws that die at width 8, at the rate 1 − (1 − 2⁻⁸)^L', () => {
    const { params, data } = run({ width: 8, depth: 100, draws: 200 });
    const dead = 200 - data.layers[100]!.alive;
    // Expected 64, binomial s.d. 6.6: allow 3 s.d.
    const expected = 200 * (1 - (1 - 2 ** -8) ** 100);
    expect(Math.abs(dead - expected)).toBeLessThan(20);
    expect(model.summary(data, params)).toContain(
      `${dead} of 200 draws died: every unit of some layer negative (chance 2^−8 per layer).`,
    );
    // A dead draw stays dead: 0 from its first dead layer on.
    for (const line of data.lines) {
      const first = line.indexOf(0);
      if (first >= 0) expect(line.slice(first).every((m) => m === 0)).toBe(true);
    }
  });

  it('draws fewer, wide networks within the weight budget, and says so', () => {
    expect(drawsWithinBudget({ width: 32, depth: 30, draws: 50 })).toBe(50);
    expect(drawsWithinBudget({ width: 512, depth: 30, draws: 50 })).toBe(
      Math.floor(WEIGHT_BUDGET / (30 * 512 * 512)),
    );
    expect(drawsWithinBudget({ width: 512, depth: 100, draws: 50 })).toBe(MIN_DRAWS);
    const { params, data } = run({ width: 512, depth: 30, draws: 10 });
    expect(data.drawn).toBe(4);
    expect(model.summary(data, params)).toMatch(
      /^4 draws \(of 10 asked for: each draw has depth × width² weights\) of a 30-layer/,
    );
  });

  it('summarises the spread of ln M against theory and Hanin & Rolnick', () => {
    const { params, data } = run({ width: 16, depth: 30, draws: 50 });
    expect(model.summary(data, params)).toMatch(
      /^50 draws of a 30-layer ReLU network of width 16, He normal, one ±1 input each\. Mean-field theory: second moment 1 at every layer\. At layer 30 the draws range from [\d.e-]+ to [\d.]+, geometric mean [\d.e-]+ \(theory 0\.00503\); the variance of ln M across draws is [\d.]+ \(theory 12\.6; Hanin and Rolnick’s large-width 5·L\/n = 9\.38\)\.$/,
    );
    expect(model.table(data, params).rows).toHaveLength(31);
    const uniform = run({ width: 16, depth: 5, draws: 10, init: 'kaiming_uniform' });
    expect(uniform.data.exact).toBe(false);
    expect(model.summary(uniform.data, uniform.params)).toContain('leading order for uniform');
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({ width: 16, depth: 10, draws: 10 });
    const { window } = new JSDOM('');
    const [svg] = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    // One path per draw, plus the mean-field line and the band.
    // One line per draw, the mean-field line, the band.
    const paths = (label: string) =>
      [...svg!.querySelectorAll(`g[aria-label="${label}"]`)].map(
        (g) => g.querySelectorAll('path').length,
      );
    expect(paths('line')).toEqual([10, 1]);
    expect(paths('area')).toEqual([1]);
    expect(checkSnapshot('width-draws-narrow', svg!.outerHTML)).toBeNull();
  });
});
