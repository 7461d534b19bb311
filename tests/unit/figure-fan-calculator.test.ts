import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { model, weightShape } from '../../src/figures/fan-calculator/model';
import { view } from '../../src/figures/fan-calculator/spec';
import { defaults } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd, toCsv } from '../../src/figures/types';
import { checkSnapshot } from './helpers/snapshot';

const run = (overrides: Partial<ReturnType<typeof defaults<typeof model.schema>>>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};
const scheme = (data: ReturnType<typeof run>['data'], name: string) =>
  data.schemes.find((s) => s.scheme === name)!;

describe('fan calculator', () => {
  it('matches PyTorch for nn.Linear(256, 128)', () => {
    const { data } = run({ layer: 'linear', inputs: 256, outputs: 128 });
    expect(data.shape).toEqual([128, 256]);
    expect([data.fanIn, data.fanOut]).toEqual([256, 128]);
    // PyTorch's default: kaiming_uniform_(a=√5) is U(±1/√fan_in).
    expect(scheme(data, 'PyTorch default').bound).toBeCloseTo(1 / 16, 12);
    expect(scheme(data, 'He normal').std).toBeCloseTo(Math.sqrt(2 / 256), 12);
    expect(scheme(data, 'He uniform').bound).toBeCloseTo(Math.sqrt(6 / 256), 12);
    expect(scheme(data, 'Xavier uniform').bound).toBeCloseTo(Math.sqrt(6 / 384), 12);
    expect(scheme(data, 'Xavier normal').std).toBeCloseTo(Math.sqrt(2 / 384), 12);
    expect(scheme(data, 'He normal (fan_out)').std).toBeCloseTo(Math.sqrt(2 / 128), 12);
  });

  it('uses PyTorch layouts for convolutions, grouped and transposed', () => {
    expect(
      weightShape({
        ...defaults(model.schema),
        layer: 'conv2d',
        inputs: 3,
        outputs: 64,
        kernel: 7,
      }),
    ).toEqual([64, 3, 7, 7]);
    const stem = run({ layer: 'conv2d', inputs: 3, outputs: 64, kernel: 7 }).data;
    expect([stem.fanIn, stem.fanOut]).toEqual([147, 3136]);
    const depthwise = run({ layer: 'conv2d', inputs: 64, outputs: 64, kernel: 3, groups: 64 }).data;
    expect(depthwise.shape).toEqual([64, 1, 3, 3]);
    expect([depthwise.fanIn, depthwise.fanOut]).toEqual([9, 576]);
    // ConvTranspose2d stores (in, out/groups, k, k), so PyTorch's "fan_in" counts its outputs.
    const transposed = run({
      layer: 'conv_transpose2d',
      inputs: 32,
      outputs: 16,
      kernel: 4,
      groups: 2,
    }).data;
    expect(transposed.shape).toEqual([32, 8, 4, 4]);
    expect([transposed.fanIn, transposed.fanOut]).toEqual([128, 512]);
    expect(run({ layer: 'conv3d', inputs: 4, outputs: 8, kernel: 3 }).data.fanIn).toBe(108);
  });

  it('rejects groups that do not divide the channels, naming the rule', () => {
    expect(() => run({ layer: 'conv2d', inputs: 6, outputs: 8, groups: 4 })).toThrow(
      /inputs \(6\) must be divisible by groups \(4\)/,
    );
  });

  it('summarises with the key numbers and exports every scheme as CSV', () => {
    const { params, data } = run({});
    expect(model.summary(data, params)).toBe(
      "Weight shape (128, 256): fan_in 256, fan_out 128. PyTorch's default draws U(±0.0625), std 0.0361; He normal uses std 0.0884, 2.45 times larger.",
    );
    const csv = toCsv(model.table(data, params)).trim().split('\r\n');
    expect(csv).toHaveLength(1 + data.schemes.length);
    expect(csv[0]).toBe('scheme,call,distribution,bound,std,variance,fan_in,fan_out');
    // Computed as PyTorch does, gain·√(3/fan_in) with gain = √(2/(1+5)), so it rounds just below 1/16.
    expect(csv[1]).toMatch(
      /^PyTorch default,"kaiming_uniform_\(w, a=math.sqrt\(5\)\)",uniform,0.06249999/,
    );
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = run({ layer: 'conv2d', inputs: 3, outputs: 64, kernel: 7 });
    const { window } = new JSDOM('');
    const [chart] = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    expect(chart!.querySelectorAll('rect').length).toBeGreaterThanOrEqual(data.schemes.length);
    expect(checkSnapshot('fan-calculator-resnet-stem', chart!.outerHTML)).toBeNull();
  });
});
