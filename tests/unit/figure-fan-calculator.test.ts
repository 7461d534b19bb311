import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { model, type InspectorParams } from '../../src/figures/fan-calculator/model';
import { formatG8, pythonSnippet } from '../../src/figures/fan-calculator/python';
import { view } from '../../src/figures/fan-calculator/spec';
import { defaults, parseParams } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd, toCsv } from '../../src/figures/types';
import { checkSnapshot } from './helpers/snapshot';

interface Case {
  spec: Record<string, unknown>;
  named: { name: string; shape: number[] }[];
  first_bits: Record<string, number[]>;
  count: number;
}
const FIXTURE = JSON.parse(
  readFileSync(new URL('../fixtures/torch/modules.json', import.meta.url), 'utf8'),
) as { seed: number; cases: Case[] };
const fixture = (spec: Record<string, unknown>): Case =>
  FIXTURE.cases.find((c) => JSON.stringify(c.spec) === JSON.stringify(spec))!;

const run = (overrides: Partial<InspectorParams>) => {
  const params = { ...defaults(model.schema), ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};
const preset = (id: string) => run(model.presets.find((p) => p.id === id)!.params);
const bits = (values: readonly number[]) =>
  Array.from(new Int32Array(new Float32Array(values).buffer));
const row = (data: ReturnType<typeof run>['data'], name: string) =>
  data.parameters.find((r) => r.name === name)!;

describe('module inspector', () => {
  it.each([
    ['conv2d-64-128-3', { module: 'Conv2d', in: 64, out: 128, kernel: 3 }],
    ['lstm-256-512', { module: 'LSTM', input: 256, hidden: 512 }],
    ['mha-512-8', { module: 'MultiheadAttention', embed: 512, heads: 8 }],
  ])('%s: names, shapes, count and first values bit for bit as torch 1.13 (seed 0)', (id, spec) => {
    const { data } = preset(id);
    const expected = fixture(spec);
    expect(data.parameters.map((r) => [r.name, r.shape])).toEqual(
      expected.named.map((n) => [n.name, n.shape]),
    );
    expect(data.count).toBe(expected.count);
    for (const r of data.parameters) {
      const want = expected.first_bits[r.name]!;
      expect(bits(r.values.slice(0, want.length)), r.name).toEqual(want);
      expect(r.values).toHaveLength(8);
    }
  });

  it('works out the bounds and stds by PyTorch’s formulas', () => {
    const conv = preset('conv2d-64-128-3').data;
    expect(row(conv, 'weight').fanIn).toBe(576);
    expect(row(conv, 'weight').fanOut).toBe(1152);
    expect(row(conv, 'weight').bound).toBeCloseTo(1 / 24, 15);
    expect(row(conv, 'weight').std).toBeCloseTo(Math.sqrt(1 / 3) / 24, 15);
    expect(row(conv, 'bias').bound).toBeCloseTo(1 / 24, 15);
    expect(conv.relu!.factor).toBeCloseTo(1 / 6, 15);
    expect(conv.relu!.after10).toBeCloseTo(6 ** -10, 20);
    const lstm = preset('lstm-256-512').data;
    for (const r of lstm.parameters) expect(r.bound).toBeCloseTo(1 / Math.sqrt(512), 15);
    expect(lstm.relu).toBeNull();
    const mha = preset('mha-512-8').data;
    expect(row(mha, 'in_proj_weight').bound).toBeCloseTo(Math.sqrt(6 / (512 + 1536)), 15);
    expect(row(mha, 'in_proj_bias').distribution).toBe('zeros');
    expect(row(mha, 'out_proj.weight').bound).toBeCloseTo(1 / Math.sqrt(512), 15);
    expect(row(mha, 'out_proj.bias').distribution).toBe('zeros');
    expect(row(mha, 'out_proj.bias').values.every((v) => v === 0)).toBe(true);
    const embedding = run({
      layer: 'embedding',
      inputs: 10,
      outputs: 4,
      padded: true,
      paddingIdx: 0,
    }).data;
    expect(row(embedding, 'weight').law).toBe('N(0, 1)');
    expect(row(embedding, 'weight').values.slice(0, 4)).toEqual([0, 0, 0, 0]);
    const norm = run({ layer: 'groupnorm', inputs: 6, groups: 2 }).data;
    expect(norm.parameters.map((r) => r.distribution)).toEqual(['ones', 'zeros']);
    expect(norm.parameters[0]!.values).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('cites the PyTorch function beside each step', () => {
    const steps = row(preset('conv2d-64-128-3').data, 'weight').steps;
    expect(steps.map((s) => s.source)).toEqual([
      'torch/nn/modules/conv.py, _ConvNd.reset_parameters',
      'torch/nn/init.py, _calculate_fan_in_and_fan_out',
      "torch/nn/init.py, calculate_gain ('leaky_relu', a = √5)",
      'torch/nn/init.py, kaiming_uniform_',
      'torch/nn/init.py, kaiming_uniform_',
    ]);
    expect(steps[2]!.text).toBe('gain = √(2/(1 + a²)) = √(2/6) = √(1/3) = 0.57735027');
    expect(steps[4]!.text).toBe('bound = √3 · std = 1/√576 = 0.041666667');
  });

  it('prints values as Python’s f"{v:.8g}" does', () => {
    // Python's own output for the fixture's Linear(64, 32) weight bits and a few edge cases.
    const linear = fixture({ module: 'Linear', in: 64, out: 32 }).first_bits['weight']!;
    const floats = Array.from(new Float32Array(new Int32Array(linear).buffer));
    expect(floats.map(formatG8)).toEqual([
      '-0.00093585253',
      '0.067055449',
      '-0.10288064',
      '-0.091992378',
    ]);
    expect([1e-5, 123456789, 0.5, -0.00012345678, 12345678, 1].map(formatG8)).toEqual([
      '1e-05',
      '1.2345679e+08',
      '0.5',
      '-0.00012345678',
      '12345678',
      '1',
    ]);
  });

  it('gives the Python that prints the same numbers, for either CPU build', () => {
    const { data } = preset('conv2d-64-128-3');
    expect(data.snippet).toBe(
      [
        'import torch',
        'from torch import nn',
        '',
        'torch.manual_seed(0)',
        'm = nn.Conv2d(64, 128, 3)',
        'for name, p in m.named_parameters():',
        '    print(name, [f"{v:.8g}" for v in p.detach().flatten()[:8].tolist()])',
      ].join('\n'),
    );
    expect(pythonSnippet('nn.Embedding(5, 3)', 7, 'default')).toMatch(
      /^import os\nos.environ\["ATEN_CPU_CAPABILITY"\] = "default"/,
    );
    // Only normal_ of 16 or more values and uniform_'s rounding differ between builds.
    const avx = run({ layer: 'embedding', inputs: 50, outputs: 8 }).data.parameters[0]!.values;
    const plain = run({ layer: 'embedding', inputs: 50, outputs: 8, build: 'default' }).data
      .parameters[0]!.values;
    expect(bits(avx)).toEqual(
      fixture({ module: 'Embedding', num: 50, dim: 8 }).first_bits['weight']!.concat(
        bits(avx).slice(4),
      ),
    );
    expect(bits(plain)).not.toEqual(bits(avx));
  });

  it('writes the constructor call with PyTorch’s argument names', () => {
    const call = (o: Partial<InspectorParams>) => run(o).data.call;
    expect(call({ layer: 'conv2d', inputs: 64, outputs: 64, groups: 64, bias: false })).toBe(
      'nn.Conv2d(64, 64, 3, groups=64, bias=False)',
    );
    expect(call({ layer: 'lstm', inputs: 4, outputs: 6, layers: 2, bidirectional: true })).toBe(
      'nn.LSTM(4, 6, num_layers=2, bidirectional=True)',
    );
    expect(call({ layer: 'transformer', inputs: 512, outputs: 2048, heads: 8 })).toBe(
      'nn.TransformerEncoderLayer(512, 8)',
    );
    expect(call({ layer: 'embedding', inputs: 10, outputs: 4, padded: true, paddingIdx: -1 })).toBe(
      'nn.Embedding(10, 4, padding_idx=-1)',
    );
    expect(call({ layer: 'layernorm', inputs: 8, bias: false })).toBe(
      'nn.LayerNorm(8, elementwise_affine=False)',
    );
  });

  it('refuses impossible sizes with the constructor’s argument names', () => {
    expect(() => run({ layer: 'conv2d', inputs: 6, outputs: 8, groups: 4 })).toThrow(
      /in_channels \(6\) is not divisible by groups \(4\)/,
    );
    expect(() => run({ layer: 'mha', inputs: 510, heads: 8 })).toThrow(
      /embed_dim \(510\) is not divisible by num_heads \(8\)/,
    );
    expect(() => run({ layer: 'groupnorm', inputs: 6, groups: 4 })).toThrow(
      /num_channels \(6\) is not divisible by num_groups \(4\)/,
    );
    expect(() => run({ layer: 'embedding', inputs: 10, padded: true, paddingIdx: 10 })).toThrow(
      /padding_idx must be within num_embeddings/,
    );
    expect(() => run({ layer: 'bogus' })).toThrow(/layer must be/);
  });

  it('reads hostile and old links safely', () => {
    const read = (q: string) => parseParams(model.schema, new URLSearchParams(q), 'fan');
    // A fan-calculator link that shipped still parses to the same layer.
    expect(
      read('fan.layer=conv_transpose2d&fan.inputs=32&fan.outputs=16&fan.kernel=4&fan.groups=2')
        .params,
    ).toMatchObject({ layer: 'conv_transpose2d', inputs: 32, outputs: 16, kernel: 4, groups: 2 });
    const hostile = read('fan.layer=%3Cscript%3E&fan.inputs=1e9&fan.seed=-5&fan.build=arm');
    expect(hostile.params).toMatchObject({ layer: 'linear', inputs: 8192, seed: 0, build: 'avx2' });
    expect(hostile.messages).toHaveLength(4);
    // The biggest module the controls allow is described without drawing ~200 M values.
    const big = run({ layer: 'lstm', inputs: 8192, outputs: 8192, layers: 1 }).data;
    expect(big.drawn).toBe(false);
    expect(big.parameters[0]!.values).toEqual([]);
    expect(big.parameters[0]!.bound).toBeCloseTo(1 / Math.sqrt(8192), 15);
  });

  it('summarises and exports every parameter as CSV', () => {
    const { params, data } = preset('conv2d-64-128-3');
    expect(model.summary(data, params)).toBe(
      "nn.Conv2d(64, 128, 3): 73856 parameters in 2 tensors; weight (128, 64, 3, 3) U(±0.0417), bias (128) U(±0.0417). In a deep ReLU stack each such layer multiplies the forward second moment by 0.167 (1.65e-8 after 10 layers). He normal would use std 0.0589, 2.45 times the default's 0.0241.",
    );
    const csv = toCsv(model.table(data, params)).trim().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toBe(
      'parameter,shape,distribution,bound,std,fan_in,fan_out,first values (seed 0 avx2)'
        .replace('0 avx2', '0, avx2')
        .replace(/^(.*),(first values.*)$/, '$1,"$2"'),
    );
    expect(csv[1]).toMatch(
      /^weight,128×64×3×3,"U\(−0.041666667, 0.041666667\)",0.0416666666666666\d*,/,
    );
  });

  it('draws the same picture as its snapshot', () => {
    const { params, data } = preset('encoder-512-8');
    const { window } = new JSDOM('');
    const [chart] = renderCharts(view.spec(data, params), {
      document: window.document,
      title: model.title,
      summary: model.summary(data, params),
    });
    // One dot per drawn parameter (the six zero biases and ones of the norms have none).
    expect(
      chart!.querySelectorAll('[aria-label="dot"] path, [aria-label="dot"] circle').length,
    ).toBe(6);
    expect(checkSnapshot('module-inspector-encoder', chart!.outerHTML)).toBeNull();
  });
});
