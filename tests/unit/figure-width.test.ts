import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';
import { model, UNITS, type WidthParams } from '../../src/figures/width/model';
import { view } from '../../src/figures/width/spec';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<WidthParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};
const at = (data: ReturnType<typeof run>['data'], init: string, width: number) =>
  data.points.find((p) => p.init === init && p.width === width)!;

describe('width', () => {
  it('unscaled N(0, 1) grows as √n: std 64 at width 4096; scaled rules stay flat', () => {
    const { data } = run({
      inits: ['unscaled', 'xavier_normal', 'lecun_normal', 'kaiming_normal'],
      batch: 16,
    });
    const wide = at(data, 'unscaled', 4096);
    expect(wide.theory).toBe(64);
    // 16 samples × 64 units, each sample's ‖x‖²/n within a few % of 1: the realised std is
    // within 6% of 64 (about 3 standard errors of the std of 1024 entries, plus the input spread).
    expect(Math.abs(wide.measured / 64 - 1)).toBeLessThan(0.06);
    expect(at(data, 'unscaled', 16).measured).toBeGreaterThan(3);
    expect(at(data, 'unscaled', 16).measured).toBeLessThan(5);
    for (const init of ['xavier_normal', 'lecun_normal']) {
      for (const p of data.points.filter((q) => q.init === init)) {
        expect(p.theory).toBeCloseTo(1, 12);
        // The smallest widths read the std off 16 units only: allow 15%.
        expect(Math.abs(p.measured - 1)).toBeLessThan(0.15);
      }
    }
    expect(at(data, 'kaiming_normal', 4096).measured / Math.SQRT2).toBeCloseTo(1, 1);
  });

  it('scales with the input std', () => {
    const { data } = run({ inits: ['unscaled'], inputStd: 0.1 });
    expect(at(data, 'unscaled', 4096).theory).toBeCloseTo(6.4, 10);
    expect(Math.abs(at(data, 'unscaled', 4096).measured / 6.4 - 1)).toBeLessThan(0.06);
  });

  it('summarises in words and numbers', () => {
    const { params, data } = run({});
    expect(model.summary(data, params)).toMatch(
      /^Standard deviation of one pre-activation for inputs of std 1\. Unscaled N\(0, 1\) grows: [\d.]+ at width 16, [\d.]+ at width 4096 \(theory 64\); Xavier normal stays flat: [\d.]+ at width 16, [\d.]+ at width 4096 \(theory 1\)\.$/,
    );
    expect(model.table(data, params).rows).toHaveLength(18);
    expect(UNITS).toBe(64);
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({});
    const { window } = new JSDOM('');
    const [svg] = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    // A dot per width per init.
    expect(svg!.querySelectorAll('circle')).toHaveLength(18);
    expect(checkSnapshot('width-unscaled-xavier', svg!.outerHTML)).toBeNull();
  });
});
