import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import {
  model,
  type DistributionData,
  type DistributionParams,
} from '../../src/figures/distributions-by-layer/model';
import { view } from '../../src/figures/distributions-by-layer/spec';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<DistributionParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};
const rows = (d: DistributionData, init: string) => d.layers.filter((l) => l.init === init);
const bars = (d: DistributionData, init: string, layer: number) =>
  d.bins.filter((b) => b.init === init && b.layer === layer);

// One run of the default figure (Glorot & Bengio's comparison: tanh, width 256, 5 layers), shared.
const glorot = run({});

describe('distributions by layer', () => {
  it('reproduces Glorot & Bengio: the standard init narrows tenfold, the normalized one by half', () => {
    const standard = rows(glorot.data, 'torch_default').map((l) => l.std);
    const normalized = rows(glorot.data, 'xavier_uniform').map((l) => l.std);
    // Mean field (chapter 3's table): 0.460 … 0.047 and 0.628 … 0.322.
    expect(standard[4]! / standard[0]!).toBeLessThan(0.12);
    expect(normalized[4]! / normalized[0]!).toBeGreaterThan(0.45);
    // Simulation against the prediction, every layer, within 5% (width 256, 64 samples, seed 1).
    for (const l of glorot.data.layers) {
      expect(Math.abs(l.std / l.theoryStd! - 1), `${l.init} layer ${l.layer}`).toBeLessThan(0.05);
    }
    expect(rows(glorot.data, 'torch_default')[0]!.theoryStd).toBeCloseTo(0.46, 2);
  });

  it('with tanh’s gain 5/3 the layers look alike: stds of layers 2–5 within 0.62–0.72', () => {
    const { data } = run({ inits: ['xavier_uniform'], gain: 1.67 });
    for (const l of rows(data, 'xavier_uniform').slice(1)) {
      expect(l.std).toBeGreaterThan(0.62);
      expect(l.std).toBeLessThan(0.72);
    }
  });

  it('draws histograms that match the predicted bars (total variation < 0.06 per layer)', () => {
    for (const init of ['torch_default', 'xavier_uniform']) {
      for (let layer = 1; layer <= 5; layer++) {
        const b = bars(glorot.data, init, layer);
        const total = b.reduce((s, x) => s + x.share, 0);
        expect(total).toBeCloseTo(1, 9);
        const tv = 0.5 * b.reduce((s, x) => s + Math.abs(x.share - x.theory!), 0);
        expect(tv, `${init} layer ${layer}`).toBeLessThan(0.06);
      }
    }
  });

  it('shows the saturated mass at ±1 under a large gain', () => {
    const { data } = run({ inits: ['xavier_uniform'], gain: 4 });
    for (const l of rows(data, 'xavier_uniform')) {
      // Mean field: P(|pre| > atanh 0.97) ≈ 0.55–0.60 at σ_w = 4.
      expect(l.saturated!).toBeGreaterThan(0.5);
      // The red end bars hold exactly the saturated share the engine counts (up to ties at 0.97).
      const ends = bars(data, 'xavier_uniform', l.layer).filter((b) => b.saturated);
      expect(ends).toHaveLength(2);
      const share = ends.reduce((s, b) => s + b.share, 0);
      expect(Math.abs(share - l.saturated!)).toBeLessThan(1e-3);
    }
  });

  it('compares gradients with the mean-field backward pass', () => {
    const { data } = run({ what: 'gradients' });
    // One draw of a batch of 64 with one random readout, which every entry of a layer shares: over
    // seeds 1–8 the largest deviation across layers and inits is 3–16% (PyTorch's stream) or 3–10%
    // (Initbook's), so 20% holds for any seed and still catches a wrong factor of √2.
    for (const l of data.layers) {
      expect(Math.abs(l.std / l.theoryStd! - 1), `${l.init} layer ${l.layer}`).toBeLessThan(0.2);
    }
    // Glorot & Bengio's gradient picture: under the standard init the gradients shrink going
    // down, tenfold over 5 layers (theory 0.0156 → 0.0013); the normalized init loses far less.
    const ratio = (init: string) => {
      const r = rows(data, init);
      return r[0]!.std / r[4]!.std;
    };
    expect(ratio('torch_default')).toBeLessThan(0.15);
    expect(ratio('xavier_uniform')).toBeGreaterThan(0.3);
    // A symmetric range that holds the bulk of the widest layer: ±(mean + 4·std), so about ±4 of
    // the largest std (read from a smaller first run, rescaled by the batch, as the loss is /batch).
    const b = bars(data, 'torch_default', 1);
    expect(b[0]!.x1).toBeCloseTo(-b.at(-1)!.x2, 6);
    const widest = Math.max(...data.layers.map((l) => l.std));
    // The first run's std is itself an estimate from fewer samples: about 4 ± 1 stds.
    expect(b.at(-1)!.x2 / widest).toBeGreaterThan(2.5);
    expect(b.at(-1)!.x2 / widest).toBeLessThan(5.5);
    for (const l of data.layers) expect(l.offChart).toBeLessThan(0.01);
  });

  it('leaves ReLU’s exact zeros out of the bars and reports them', () => {
    const { data } = run({ activation: 'relu', inits: ['kaiming_normal'], depth: 3 });
    for (const l of data.layers) {
      expect(Math.abs(l.zero - 0.5)).toBeLessThan(0.03);
      const drawn = bars(data, 'kaiming_normal', l.layer).reduce((s, b) => s + b.share, 0);
      expect(drawn + l.zero + l.offChart).toBeCloseTo(1, 9);
    }
  });

  it('summarises the comparison in words and numbers', () => {
    expect(model.summary(glorot.data, glorot.params)).toMatch(
      /^Histograms of the activations, tanh, width 256\. PyTorch default: the std of the activations falls from 0\.4\d+ at layer 1 to 0\.04\d+ at layer 5 \(theory 0\.0467\); [\d.e-]+% saturated at layer 1, 0% at layer 5\. Xavier uniform: .* \(theory 0\.322\); [\d.]+% saturated at layer 1, [\d.e-]+% at layer 5\.$/,
    );
    expect(model.table(glorot.data, glorot.params).rows).toHaveLength(10);
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({ depth: 3, width: 64 });
    const { window } = new JSDOM('');
    const [svg] = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    // 40 bars per histogram, 3 layers × 2 inits.
    expect(svg!.querySelectorAll('rect').length).toBeGreaterThanOrEqual(240);
    expect(checkSnapshot('distributions-by-layer-glorot', svg!.outerHTML)).toBeNull();
  });
});
