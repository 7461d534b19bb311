import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';
import { model, type VarianceParams } from '../../src/figures/variance-by-depth/model';
import { view } from '../../src/figures/variance-by-depth/spec';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<VarianceParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};
const curve = (data: ReturnType<typeof run>['data'], init: string) =>
  data.points.filter((p) => p.init === init);

describe('variance by depth', () => {
  it('reproduces He et al.: Xavier halves the ReLU signal per layer, He keeps it flat', () => {
    const { data } = run({ depth: 30, width: 256, inits: ['xavier_normal', 'kaiming_normal'] });
    const xavier = curve(data, 'xavier_normal');
    const he = curve(data, 'kaiming_normal');
    // Theory, exactly: q¹ = σ_w² and q halves (Xavier, σ_w² = 1) or stays (He, σ_w² = 2).
    expect(xavier[0]!.theory).toBeCloseTo(1, 10);
    expect(xavier[29]!.theory / xavier[0]!.theory).toBeCloseTo(2 ** -29, 12);
    expect(he[29]!.theory).toBeCloseTo(2, 8);
    // Simulation within the finite-width random walk: |log ratio| < 2.5·√(5·depth/width) ≈ 1.9.
    const tol = 2.5 * Math.sqrt((5 * 30) / 256);
    for (const p of [...xavier, ...he]) {
      expect(Math.abs(Math.log(p.measured / p.theory))).toBeLessThan(tol);
    }
  });

  it('draws the mean-field prediction for activations and gradients too', () => {
    const post = run({
      depth: 8,
      width: 128,
      inits: ['xavier_normal'],
      activation: 'tanh',
      quantity: 'post',
    }).data;
    const grad = run({
      depth: 8,
      width: 128,
      inits: ['kaiming_normal'],
      activation: 'relu',
      quantity: 'grad',
    }).data;
    const tol = 2.5 * Math.sqrt((5 * 8) / 128);
    for (const p of [...post.points, ...grad.points]) {
      expect(p.theory).toBeGreaterThan(0);
      expect(Math.abs(Math.log(p.measured / p.theory))).toBeLessThan(tol);
    }
    // Gradients under He are flat in theory: every layer predicts the same second moment.
    const g = grad.points.map((p) => p.theory);
    for (const v of g) expect(v / g[0]!).toBeCloseTo(1, 6);
  });

  it('reports overflow instead of failing on unscaled weights', () => {
    const { params, data } = run({
      depth: 40,
      width: 512,
      inits: ['unscaled'],
      activation: 'relu',
    });
    expect(data.points.some((p) => p.nonFinite > 0)).toBe(true);
    expect(model.summary(data, params)).toMatch(/values overflow from layer \d+/);
  });

  it('summarises the comparison in words and numbers', () => {
    const { params, data } = run({ depth: 10, width: 64 });
    expect(model.summary(data, params)).toMatch(
      /^Mean square of the pre-activations, relu, width 64\. Xavier normal: [\d.e-]+ at layer 1 to [\d.e-]+ at layer 10, theory 0\.00195; He normal \(ReLU\): [\d.e-]+ at layer 1 to [\d.e-]+ at layer 10, theory 2\.$/,
    );
    expect(model.table(data, params).rows).toHaveLength(20);
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({ depth: 12, width: 64 });
    const { window } = new JSDOM('');
    const [svg] = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    // Two theory lines, two simulation lines, a dot per layer per init, two end labels.
    expect(svg!.querySelectorAll('circle')).toHaveLength(24);
    expect(checkSnapshot('variance-by-depth-xavier-he', svg!.outerHTML)).toBeNull();
  });
});
