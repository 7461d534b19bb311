import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { expectedFraction, layerTheory } from '../../src/figures/saturation/layer-theory';
import { model, SWEEP_GAINS, type SaturationParams } from '../../src/figures/saturation/model';
import { view } from '../../src/figures/saturation/spec';
import { runToEnd } from '../../src/figures/types';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<SaturationParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};

describe('saturation', () => {
  it('predicts the tanh threshold: P(|z| > atanh 0.97) = 3.64% for a unit Gaussian', () => {
    // atanh(0.97) = 2.0923; 2·(1 − Φ(2.0923)) = 0.03641 (tables of the normal distribution).
    expect(expectedFraction('tanh', 0, 1)).toBeCloseTo(0.03641, 4);
    // Sigmoid: outside [0.03, 0.97] ⇔ |y| > ln(97/3) = 3.476; 2·(1 − Φ(3.476)) = 5.09e-4.
    expect(expectedFraction('sigmoid', 0, 1)).toBeCloseTo(5.09e-4, 5);
  });

  it('matches the mean field for tanh at gain 3, layer by layer, within 4 points', () => {
    const { data } = run({ gain: 3 });
    expect(data.byLayer[0]!.measured).toBeGreaterThan(0.45);
    for (const p of data.byLayer) {
      expect(Math.abs(p.measured - p.theory!), `layer ${p.layer}`).toBeLessThan(0.04);
    }
    // The sweep's simulated points sit on the expectation too, and saturation grows with the gain.
    for (const p of data.sweep) expect(Math.abs(p.measured - p.theory!)).toBeLessThan(0.05);
    const layer1 = data.sweep.filter((p) => p.layer === 1).map((p) => p.measured);
    expect(layer1).toHaveLength(SWEEP_GAINS.length);
    expect(layer1[0]).toBe(0);
    expect(layer1.at(-1)!).toBeGreaterThan(0.75);
    for (let i = 1; i < layer1.length; i++)
      expect(layer1[i]!).toBeGreaterThanOrEqual(layer1[i - 1]!);
  });

  it('kills ReLUs with bias −3: 98.3% of layer 1 and all of the layers above are 0', () => {
    const { data, params } = run({ activation: 'relu', init: 'kaiming_normal', biasMean: -3 });
    // Layer 1's pre-activations are N(−3, 2): P(pre ≤ 0) = Φ(3/√2) = 0.9830.
    expect(data.byLayer[0]!.theory).toBeCloseTo(0.983, 3);
    expect(Math.abs(data.byLayer[0]!.measured - 0.983)).toBeLessThan(0.01);
    for (const p of data.byLayer.slice(1)) expect(p.measured).toBeGreaterThan(0.999);
    expect(model.summary(data, params)).toMatch(
      /^He normal × gain 1, width 128, bias -3 ± 0: 98\.\d+% of ReLU outputs exactly 0 at layer 1 and 100% at layer 10 \(mean field 98\.3% and 100%\)\./,
    );
  });

  it('prints the mean field at layer 10 as 0%, not as 1.86e-16%', () => {
    // Xavier × gain 1, tanh (seed fixed by the model): the tail share at layer 10 is 1.86e-18, 5e-17
    // of the 3.64% it is compared with, so the summary prints 0% beside the measured 0%.
    const { data, params } = run({});
    expect(data.byLayer.at(-1)!.theory!).toBeLessThan(1e-12 * data.byLayer[0]!.theory!);
    const summary = model.summary(data, params);
    expect(summary).toContain('at layer 10 (mean field 3.64% and 0%).');
    expect(summary).not.toMatch(/e-\d/);
  });

  it('leaves half of the ReLU outputs at 0 with zero biases', () => {
    const { data } = run({ activation: 'relu', init: 'kaiming_normal' });
    // Deep ReLU layers correlate the samples (mean field: c → 1), so each unit ends up nearly always
    // on or always off across the batch, and a layer's share is an average of 128 almost binary
    // units: its spread is up to 0.5/√128 = 0.044. The tolerance is about 2.3 of those; the mean
    // over the 10 layers is tighter.
    for (const p of data.byLayer) {
      expect(p.theory).toBe(0.5);
      expect(Math.abs(p.measured - 0.5)).toBeLessThan(0.1);
    }
    const mean = data.byLayer.reduce((s, p) => s + p.measured, 0) / data.byLayer.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
  });

  it('follows a nonzero bias mean through the layers in theory', () => {
    // Sigmoid with Xavier: layer 1 is N(0, 1); the next layers see activations around ½, whose
    // second moment E[σ(z)²] = 0.2934 (chapter 3) sets layer 2's variance.
    const t = layerTheory({ activation: 'sigmoid', sigmaW2: 1, depth: 2 });
    expect(t[0]!.preVariance).toBe(1);
    expect(t[1]!.preVariance).toBeCloseTo(0.2934, 4);
    const shifted = layerTheory({ activation: 'relu', sigmaW2: 2, biasMean: 1, depth: 1 });
    expect(shifted[0]!.preMean).toBe(1);
    expect(expectedFraction('relu', 1, 2)).toBeCloseTo(0.2398, 4); // Φ(−1/√2)
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({ gain: 2, depth: 6, width: 64 });
    const { window } = new JSDOM('');
    const svgs = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    expect(svgs).toHaveLength(2);
    // A dot per layer, then a dot per gain for layer 1 and the last layer.
    expect(svgs[0]!.querySelectorAll('circle')).toHaveLength(6);
    expect(svgs[1]!.querySelectorAll('circle')).toHaveLength(2 * SWEEP_GAINS.length);
    expect(model.table(data, params).rows).toHaveLength(6 + 2 * SWEEP_GAINS.length);
    const both = svgs.map((s) => s.outerHTML).join('\n');
    expect(checkSnapshot('saturation-tanh-gain-2', both)).toBeNull();
  });
});
