import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { propagate } from '../../src/engine/propagate';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import {
  BATCH,
  DEPTH,
  WIDTH,
  initSpec,
  layerValues,
  symmetryRun,
  model,
  type SymmetryParams,
} from '../../src/figures/symmetry/model';
import { view } from '../../src/figures/symmetry/spec';
import { runToEnd } from '../../src/figures/types';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<SymmetryParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};

describe('symmetry', () => {
  it('zero and constant inits: spread across units exactly 0 for activations and gradients', () => {
    for (const activation of ['tanh', 'relu', 'sigmoid', 'linear']) {
      for (const init of ['zeros', 'constant']) {
        const { data } = run({ init, activation, value: 0.1 });
        const own = data.spreads.filter((r) => r.init === init);
        expect(own).toHaveLength(DEPTH);
        for (const r of own) {
          expect(r.spread).toBe(0);
          expect(r.gradSpread).toBe(0);
        }
        // …while the random init drawn for contrast has units that differ at every layer.
        const contrast = data.spreads.filter((r) => r.init === 'xavier_normal');
        expect(contrast).toHaveLength(DEPTH);
        for (const r of contrast) {
          expect(r.spread).toBeGreaterThan(0);
          // The loss sends 1/B to every output unit: for a linear top layer that gradient is the
          // same for all units whatever the init; below it, random weights make them differ.
          if (activation !== 'linear' || r.layer < DEPTH) expect(r.gradSpread).toBeGreaterThan(0);
        }
      }
    }
  });

  it('a constant init is not a dead network: values vary across samples, not across units', () => {
    const { data } = run({ init: 'constant', value: 0.1, activation: 'tanh', layer: 3 });
    const bySample = new Map<number, number[]>();
    for (const c of data.cells)
      bySample.set(c.sample, [...(bySample.get(c.sample) ?? []), c.value]);
    const firsts = [...bySample.values()].map((units) => {
      expect(new Set(units).size).toBe(1);
      return units[0]!;
    });
    expect(new Set(firsts).size).toBe(BATCH);
    // Bias gradients are one per unit: tied too (the engine's gradBias summary spans the units).
    const r = propagate({
      depth: DEPTH,
      width: WIDTH,
      batch: BATCH,
      activation: 'tanh',
      weightInit: initSpec('constant', 0.1),
      seed: 1,
      backward: true,
    });
    for (const l of r.layers) expect(l.gradBias!.unitSpread).toBe(0);
  });

  it('random inits: the heatmap is the engine network, and units differ', () => {
    for (const init of ['xavier_normal', 'small']) {
      const { data, params } = run({ init, activation: 'tanh', layer: 4 });
      expect(data.spreads.every((r) => r.init === init)).toBe(true);
      const shown = data.spreads.find((r) => r.layer === 4)!;
      // Oracle: the heatmap's own forward pass has the engine's variance (float32 sums).
      const values = layerValues(symmetryRun(params, init), 4);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      expect(Math.abs(variance / shown.variance - 1)).toBeLessThan(1e-4);
      // Independent units: most of the variance lies across units.
      expect(shown.spread / shown.variance).toBeGreaterThan(0.5);
      expect(shown.gradSpread / shown.gradVariance).toBeGreaterThan(0.5);
    }
  });

  it('summarises in words and numbers', () => {
    const tied = run({ init: 'constant', value: 0.1 });
    expect(model.summary(tied.data, tied.params)).toMatch(
      /^Constant c = 0\.1, tanh, 16 units × 24 samples, layer 2 shown\. Every unit carries the same value for each sample: the spread across units is exactly 0 at all 6 layers, for the activations and for the gradients \(the gradients are tied, so training cannot pull the units apart\)\. Xavier normal for contrast: [\d.]+ of the variance lies across units\.$/,
    );
    const random = run({ init: 'xavier_normal' });
    expect(model.summary(random.data, random.params)).toMatch(/The units differ: at layer 2/);
    expect(model.table(tied.data, tied.params).rows).toHaveLength(2 * DEPTH);
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({});
    const { window } = new JSDOM('');
    const svgs = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    expect(svgs).toHaveLength(2);
    expect(svgs[0]!.querySelectorAll('rect')).toHaveLength(WIDTH * BATCH);
    expect(
      checkSnapshot('symmetry-constant-tanh', svgs.map((s) => s.outerHTML).join('\n')),
    ).toBeNull();
  });
});
