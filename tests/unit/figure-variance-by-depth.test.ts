import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { meanField } from '../../src/engine/meanfield';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';
import { model, type VarianceParams } from '../../src/figures/variance-by-depth/model';
import { stackTheory } from '../../src/figures/variance-by-depth/residual';
import { view } from '../../src/figures/variance-by-depth/spec';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<VarianceParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};
const preset = (id: string) => model.presets.find((p) => p.id === id)!.params;
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
      /^Mean square of the pre-activations, relu, width 64\. Xavier normal: [\d.e-]+ at layer 1 to [\d.e-]+ at layer 10, theory 0\.00195; He normal: [\d.e-]+ at layer 1 to [\d.e-]+ at layer 10, theory 2\.$/,
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

describe('variance by depth with residual blocks', () => {
  /** propagate's two-layer blocks: layer 1 a stem, then (2, 3), (4, 5), … each skipping from l − 1. */
  const twoLayerBlocks = (depth: number) =>
    Array.from({ length: depth }, (_, i) => (i >= 2 && i % 2 === 0 ? i - 1 : null));
  const he = { activation: 'relu', sigmaW2: 2, sigmaB2: 0, alpha: 1 } as const;

  it('without skips the bookkeeping is meanField exactly (relu and tanh, with a bias)', () => {
    for (const activation of ['relu', 'tanh']) {
      const depth = 12;
      const t = stackTheory({
        activation,
        sigmaW2: 1.7,
        sigmaB2: 0.1,
        skipFrom: new Array<null>(depth).fill(null),
        alpha: 1,
        zeroInitLast: false,
      });
      const mf = meanField({ activation, sigmaW2: 1.7, sigmaB2: 0.1, q0: 1.8, depth: depth - 1 });
      for (let i = 0; i < depth; i++) {
        expect(t.pre[i]! / mf.q[i]!).toBeCloseTo(1, 12);
        expect(t.gradPre[i]! / mf.gradPre[i]!).toBeCloseTo(1, 12);
        expect(t.gradPost[i]! / mf.gradPost[i]!).toBeCloseTo(1, 12);
      }
    }
  });

  it('He + ReLU, two-layer branches: 2 + 2/π for the first block, then the closed-form 2.904', () => {
    const depth = 201;
    const t = stackTheory({ ...he, skipFrom: twoLayerBlocks(depth), zeroInitLast: false });
    // Stem: E[x²] = 1 and E[x] = √2·E[relu(z)] = 1/√π; one block gives 2 + 2/π.
    expect(t.post[0]).toBeCloseTo(1, 12);
    expect(t.postMean[0]).toBeCloseTo(1 / Math.sqrt(Math.PI), 12);
    expect(t.post[2]! / t.post[0]!).toBeCloseTo(2 + 2 / Math.PI, 12);
    // With c = E[x]/√E[x²] and s = 1/√π a block maps c ↦ (c + s)/√(2 + 2sc) and multiplies E[x²]
    // by 2 + 2sc; the fixed point solves 2s·c³ + c² − 2s·c − s² = 0 (bisection, independent of the
    // quadrature the figure uses).
    const s = 1 / Math.sqrt(Math.PI);
    const cubic = (c: number) => 2 * s * c ** 3 + c ** 2 - 2 * s * c - s ** 2;
    let [lo, hi] = [0.5, 1];
    for (let i = 0; i < 60; i++)
      [lo, hi] = cubic((lo + hi) / 2) > 0 ? [lo, (lo + hi) / 2] : [(lo + hi) / 2, hi];
    const n = depth - 1;
    expect(t.postMean[n]! / Math.sqrt(t.post[n]!)).toBeCloseTo(lo, 9);
    expect(t.post[n]! / t.post[n - 2]!).toBeCloseTo(2 + 2 * s * lo, 9);
    // Gradient independence: each block adds σ_w²E[φ′²]·σ_w²E[φ′²] = 1, so ×2 towards the input.
    expect(t.gradPost[n - 2]! / t.gradPost[n]!).toBeCloseTo(2, 12);
  });

  it('a zeroed last layer makes every block the identity in theory: ReLU adds φ(0) = 0', () => {
    const t = stackTheory({ ...he, skipFrom: twoLayerBlocks(19), zeroInitLast: true });
    for (let i = 2; i < 19; i += 2) {
      expect(t.post[i]).toBe(t.post[0]);
      expect(t.pre[i]).toBe(0);
      // relu′(0) = 0: nothing flows back into the branches, the skip path carries 1 unchanged.
      expect(t.gradPre[i]).toBe(0);
      expect(t.gradPre[i - 1]).toBe(0);
      expect(t.gradPost[i]).toBe(1);
    }
    // sigmoid(0) = 1/2 is not zero: a zeroed sigmoid branch still adds ½ per block.
    const sig = stackTheory({
      ...he,
      activation: 'sigmoid',
      skipFrom: [null, null, 1],
      zeroInitLast: true,
    });
    expect(sig.postMean[2]! - sig.postMean[0]!).toBeCloseTo(0.5, 12);
  });

  it('matches the simulation block by block, forward; the zero keeps it exactly flat', () => {
    for (const residual of ['1', '2'] as const) {
      for (const activation of ['relu', 'tanh']) {
        const { data } = run({
          inits: ['kaiming_normal'],
          activation,
          depth: 19,
          width: 256,
          quantity: 'post',
          residual,
        });
        const g = data.growth![0]!;
        expect(g.blocks).toBe(residual === '1' ? 18 : 9);
        // Across seeds at width 256 the per-block log factor of one network spreads with a standard
        // deviation of about 0.03 (0.4 in total over 14 blocks): allow 0.05.
        expect(Math.abs(Math.log(g.measured / g.theory))).toBeLessThan(0.05);
        const tol = 2.5 * Math.sqrt((5 * 19) / 256);
        for (const p of data.points) {
          expect(Math.abs(Math.log(p.measured / p.theory))).toBeLessThan(tol);
        }
      }
    }
    const relu = run({ inits: ['kaiming_normal'], depth: 19, quantity: 'post', residual: '2' });
    expect(relu.data.growth![0]!.theory).toBeGreaterThan(2.8);
    const zeroed = run({
      inits: ['kaiming_normal'],
      depth: 19,
      quantity: 'post',
      residual: '2',
      zeroInitLast: true,
    }).data;
    expect(zeroed.growth![0]!.measured).toBe(1);
    expect(zeroed.growth![0]!.theory).toBe(1);
  });

  it('gradients: drawn where the theory holds, withheld where it does not (ReLU, unzeroed)', () => {
    // tanh: gradient independence holds, and the line is drawn.
    const tanh = run({
      inits: ['xavier_normal'],
      activation: 'tanh',
      depth: 19,
      width: 256,
      quantity: 'gradPost',
      residual: '1',
    }).data;
    expect(tanh.growth![0]!.withheld).toBeUndefined();
    const tol = 2.5 * Math.sqrt((5 * 19) / 256);
    for (const p of tanh.points)
      expect(Math.abs(Math.log(p.measured / p.theory))).toBeLessThan(tol);
    // ReLU with the zero: the skip path carries the same gradient to every block output, exactly.
    const zeroed = run({
      inits: ['kaiming_normal'],
      depth: 19,
      quantity: 'gradPost',
      residual: '2',
      zeroInitLast: true,
    }).data;
    expect(zeroed.growth![0]).toMatchObject({ measured: 1, theory: 1 });
    // ReLU without it: the part of ∂L/∂x along x grows at the forward rate (×2.9), so 30 layers of
    // one-layer blocks climb well above the mean-field ×2 but stay below the forward rate.
    const { params, data } = run({
      inits: ['kaiming_normal'],
      depth: 30,
      width: 256,
      quantity: 'gradPost',
      residual: '1',
    });
    const g = data.growth![0]!;
    expect(g).toMatchObject({ withheld: true, theory: expect.closeTo(2, 9) });
    expect(g.forward).toBeGreaterThan(2.8);
    expect(g.measured).toBeGreaterThan(2.1);
    expect(g.measured).toBeLessThan(g.forward!);
    expect(data.points.every((p) => Number.isNaN(p.theory))).toBe(true);
    expect(model.summary(data, params)).toContain('no theory line');
    expect(model.table(data, params).rows.every((row) => row[3] === null)).toBe(true);
  });

  it('summarises the growth per block, with and without the zero', () => {
    const summary = (zeroInitLast: boolean) => {
      const { params, data } = run({ ...preset('residual'), zeroInitLast });
      return model.summary(data, params);
    };
    expect(summary(false)).toMatch(
      /^Mean square of the activations, relu, width 256, residual blocks of two layers \(α = 1\)\. He normal: [\d.]+ at layer 1 to [\d.e]+ at layer 19, theory [\d.e]+, block outputs grow ×2\.\d+ per block over 9 blocks \(theory ×2\.85\)\.$/,
    );
    expect(summary(true)).toMatch(
      /residual blocks of two layers \(α = 1, last layer of each branch zero\)\. .* block outputs grow ×1 per block over 9 blocks \(theory ×1\)\.$/,
    );
    const grads = run({ ...preset('residual-zero'), quantity: 'grad' });
    // ∂L/∂pre-activation inside a zeroed ReLU branch is exactly 0: relu′(0) = 0.
    expect(model.summary(grads.data, grads.params)).toContain('exactly 0 at 18 of 19 layers');
  });

  it('defaults draw no residual blocks, and every old preset says so', () => {
    expect(defaults(model.schema)).toMatchObject({
      residual: 'none',
      zeroInitLast: false,
      alpha: 1,
    });
    for (const p of model.presets.filter((q) => !q.id.startsWith('residual'))) {
      expect(p.params.residual).toBe('none');
    }
  });

  it('draws the residual comparison as its snapshot', () => {
    const { params, data } = run({ ...preset('residual'), depth: 11, width: 64 });
    const { window } = new JSDOM('');
    const [svg] = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    // A dot per layer for one init.
    expect(svg!.querySelectorAll('circle')).toHaveLength(11);
    expect(checkSnapshot('variance-by-depth-residual', svg!.outerHTML)).toBeNull();
  });
});
