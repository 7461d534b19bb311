import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { criticalSigmaW2, meanField } from '../../src/engine/meanfield';
import { model, phaseOf, type OrderChaosParams } from '../../src/figures/order-chaos/model';
import { view } from '../../src/figures/order-chaos/spec';
import { depthCurves, pointTheory } from '../../src/figures/order-chaos/theory';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<OrderChaosParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};

describe('order and chaos', () => {
  it('draws the critical line where χ₁ = 1: tanh at σ_b² = 0.05 is critical at σ_w² ≈ 1.76', () => {
    const { data } = run({});
    const line = data.grid.critical;
    expect(line[0]).toEqual({ sigmaB2: 0, sigmaW2: expect.closeTo(1, 6) as number });
    // Read off the plotted line (linear between its points) at σ_b² = 0.05.
    const i = line.findIndex((p) => p.sigmaB2 > 0.05);
    const [a, b] = [line[i - 1]!, line[i]!];
    const at005 =
      a.sigmaW2 + ((b.sigmaW2 - a.sigmaW2) * (0.05 - a.sigmaB2)) / (b.sigmaB2 - a.sigmaB2);
    expect(Math.abs(at005 - 1.76)).toBeLessThan(0.01);
    expect(criticalSigmaW2('tanh', 0.05)).toBeCloseTo(1.761, 3);
    // Every plotted point of the line has χ₁ = 1 by the engine's own theory (skip σ_b² = 0,
    // where q* = 0 and χ₁ is the slope at the origin).
    for (const p of line.filter((_, k) => k % 4 === 1)) {
      const mf = meanField({ activation: 'tanh', ...toMf(p), q0: 1, depth: 1 });
      expect(mf.chi1).toBeCloseTo(1, 6);
    }
    // ReLU's line is He's σ_w² = 2 for every bias, as the engine's solver finds.
    for (const p of run({ activation: 'relu' }).data.grid.critical) expect(p.sigmaW2).toBe(2);
    expect(criticalSigmaW2('relu', 0.1)).toBeCloseTo(2, 8);
  });

  it('shades the plane consistently with the line: χ₁ < 1 left of it, > 1 right of it', () => {
    const { data } = run({});
    const rows = new Map<number, number>();
    for (const cell of data.grid.cells) {
      const b2 = (cell.b2lo + cell.b2hi) / 2;
      if (!rows.has(b2)) rows.set(b2, criticalSigmaW2('tanh', b2));
      const w2 = (cell.w2lo + cell.w2hi) / 2;
      // Cells within 1% of the line may round either way.
      if (w2 < rows.get(b2)! * 0.99) expect(cell.chi1).toBeLessThan(1);
      if (w2 > rows.get(b2)! * 1.01) expect(cell.chi1).toBeGreaterThan(1);
    }
    expect(rows.size).toBe(20);
  });

  it('fast theory agrees with the engine’s meanField (q*, χ₁, c*, ξ_c, q^l and c^l)', () => {
    for (const activation of ['tanh', 'relu']) {
      for (const [w2, b2] of [
        [1, 0.05],
        [1.76, 0.05],
        [2.5, 0.05],
        [1.5, 0.2],
      ] as const) {
        const t = pointTheory(activation, w2, b2, w2 + b2);
        const mf = meanField({
          activation,
          sigmaW2: w2,
          sigmaB2: b2,
          q0: w2 + b2,
          depth: 12,
          c0: 0.8,
        });
        if (Number.isFinite(mf.qStar)) expect(t.qStar).toBeCloseTo(mf.qStar, 8);
        else expect(t.qStar).toBe(Infinity);
        expect(t.chi1).toBeCloseTo(mf.chi1, 8);
        if (Number.isFinite(mf.qStar)) {
          expect(t.cStar).toBeCloseTo(mf.cStar, 6);
          expect(Math.abs(t.xiC / mf.xiC - 1)).toBeLessThan(1e-4);
        }
        const curves = depthCurves(activation, w2, b2, w2 + b2, 0.8, 13);
        curves.q.forEach((q, l) => expect(q / mf.q[l]!).toBeCloseTo(1, 9));
        curves.c.forEach((c, l) => expect(c).toBeCloseTo(mf.c[l]!, 7));
      }
    }
  });

  it('simulated variance follows the theory by depth', () => {
    for (const [activation, sigmaW2, sigmaB2] of [
      ['tanh', 1.76, 0.05],
      ['tanh', 3, 0.1],
      ['relu', 2, 0.05],
    ] as const) {
      const { data } = run({ activation, sigmaW2, sigmaB2, depth: 30 });
      // Width 128: log q^l wanders like a random walk with per-layer variance of order 5/width
      // (the bound the variance-by-depth figure uses); allow 2.5 standard deviations.
      for (const l of data.layers) {
        const tol = 2.5 * Math.sqrt((5 * l.layer) / 128);
        expect(Math.abs(Math.log(l.simulated / l.q))).toBeLessThan(tol);
      }
      // The deepest layers sit at q* when it is finite (tanh); within 20%.
      if (activation === 'tanh') {
        expect(Math.abs(data.layers.at(-1)!.simulated / data.point.qStar - 1)).toBeLessThan(0.2);
      }
    }
  });

  it('summarises the point in words and numbers', () => {
    const critical = run({});
    expect(model.summary(critical.data, critical.params)).toMatch(
      /^σ_w² = 1\.76, σ_b² = 0\.05 \(tanh\): χ₁ = 1\.00 \(critical\); q\* = 0\.569; correlations converge to 1 over ξ_c ≈ \d+ layers\. Simulated variance at layer 50: [\d.]+ \(theory 0\.569\)\.$/,
    );
    const chaotic = run({ sigmaW2: 2.5 });
    expect(model.summary(chaotic.data, chaotic.params)).toMatch(
      /χ₁ = 1\.13 \(chaotic\); q\* = 1\.06; correlations fall to c\* = 0\.447 over ξ_c ≈ 11\.8 layers/,
    );
    expect(phaseOf(0.76)).toBe('ordered');
    // ReLU at He with no bias: every variance is a fixed point, and layer 1's (σ_w² = 2) is kept.
    const he = run({ activation: 'relu', sigmaW2: 2, sigmaB2: 0 });
    expect(model.summary(he.data, he.params)).toMatch(/χ₁ = 1\.00 \(critical\); q\* = 2;/);
    expect(model.table(critical.data, critical.params).rows).toHaveLength(50);
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({});
    const { window } = new JSDOM('');
    const svgs = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    expect(svgs).toHaveLength(3);
    expect(view.pick).toEqual({ panel: 0, x: 'sigmaW2', y: 'sigmaB2' });
    // The clickable panel: linear σ_w² and σ_b² scales, which the figure inverts on a click.
    const plane = view.spec(data, params) as { x?: { domain?: number[] } }[];
    expect(plane[0]!.x!.domain).toEqual([0.5, 4]);
    expect(svgs[0]!.querySelectorAll('rect').length).toBeGreaterThanOrEqual(600);
    expect(
      checkSnapshot('order-chaos-tanh-critical', svgs.map((s) => s.outerHTML).join('\n')),
    ).toBeNull();
  });
});

function toMf(p: { sigmaB2: number; sigmaW2: number }) {
  return { sigmaW2: p.sigmaW2, sigmaB2: p.sigmaB2 };
}
