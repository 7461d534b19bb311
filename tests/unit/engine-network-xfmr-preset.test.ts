/**
 * The transformer preset: its parameter shapes and count against the same network built from
 * nn.Embedding, nn.MultiheadAttention, nn.Linear and nn.LayerNorm in PyTorch 1.13 (fixture
 * tests/fixtures/network/transformer-preset.json), and its initialization tables (GPT-2, μP).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { propagateNetwork } from '../../src/engine';
import { buildNetwork } from '../../src/engine/network/build';
import { leaves } from '../../src/engine/network/run';
import { transformer, type TransformerOptions } from '../../src/engine/presets/transformer';

interface TorchParam {
  readonly name: string;
  readonly shape: number[];
  readonly count: number;
}
const fx = JSON.parse(readFileSync('tests/fixtures/network/transformer-preset.json', 'utf8')) as {
  presets: {
    config: TransformerOptions & { vocab: number };
    parameters: TorchParam[];
    parameterCount: number;
  }[];
};

/** The engine's parameters as (name, shape), attention's put in named_parameters() order. */
function engineParams(o: TransformerOptions): { name: string; shape: number[] }[] {
  const plan = buildNetwork(transformer(o));
  return leaves(plan).flatMap((leaf) => {
    const ps = leaf.params.map((p) => ({ name: p.name, shape: [...p.shape] }));
    if (leaf.type !== 'attention') return ps;
    const by = Object.fromEntries(ps.map((p) => [p.name, p]));
    return ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'].map(
      (n) => by[n]!,
    );
  });
}

const shapeKey = (s: number[]) => s.join('x');

describe('transformer preset against the same network in PyTorch', () => {
  for (const { config, parameters, parameterCount } of fx.presets) {
    const { vocab, ...rest } = config;
    const o: TransformerOptions = {
      ...rest,
      ...(vocab === 0 ? {} : { vocab }),
      init: 'torch',
      batch: 2,
    };
    it(`norm ${config.norm}, L ${config.layers}, d ${config.dModel}, vocab ${config.vocab}`, () => {
      const plan = buildNetwork(transformer(o));
      expect(plan.parameterCount).toBe(parameterCount);
      const mine = engineParams(o);
      expect(mine.length).toBe(parameters.length);
      // Same multiset of shapes …
      expect(mine.map((p) => shapeKey(p.shape)).sort()).toEqual(
        parameters.map((p) => shapeKey(p.shape)).sort(),
      );
      // … and, where the module registers its layers in the order they run (pre-norm and no
      // norm), the same sequence of names' last parts and shapes.
      if (config.norm !== 'post') {
        const tail = (n: string) =>
          n
            .split('.')
            .slice(-2)
            .join('.')
            .replace(/^attn\./, '');
        expect(mine.map((p) => [p.name, p.shape])).toEqual(
          parameters.map((p) => [
            p.name.startsWith('blocks') && p.name.includes('.attn.')
              ? tail(p.name)
              : p.name.split('.').pop(),
            p.shape,
          ]),
        );
      }
    });
  }
});

describe('transformer preset: layout and initialization tables', () => {
  const base = { layers: 4, dModel: 256, heads: 4, seq: 8, vocab: 300, batch: 2 } as const;
  const params = (init: TransformerOptions['init']) =>
    propagateNetwork(transformer({ ...base, norm: 'pre', init })).layers.filter(
      (l) => l.parameters !== undefined,
    );

  it('pre-norm layout: embedding, residual{ln, attention}, residual{ln, mlp} × L, ln, readout', () => {
    const c = transformer({ ...base, layers: 1, norm: 'pre', init: 'torch' });
    expect(c.layers.map((l) => l.type)).toEqual([
      'embedding',
      'residual',
      'residual',
      'layernorm',
      'linear',
    ]);
    const post = transformer({
      ...base,
      layers: 1,
      norm: 'post',
      init: 'torch',
      residualScale: 0.5,
    });
    expect(post.layers.map((l) => l.type)).toEqual([
      'embedding',
      'residual',
      'layernorm',
      'residual',
      'layernorm',
      'linear',
    ]);
    expect(post.layers[1]).toMatchObject({ scale: 0.5 });
  });

  it('gpt2: N(0, 0.02²), residual projections N(0, (0.02/√(2L))²), biases 0', () => {
    const ls = params('gpt2');
    const std = (path: string, name: string) =>
      Math.sqrt(
        ls.find((l) => l.path === path)!.parameters!.find((p) => p.name === name)!.value.meanSquare,
      );
    const res = 0.02 / Math.sqrt(8);
    // 65 536+ draws each: the sample std is within 1.5 % of the target.
    expect(std('0', 'weight') / 0.02).toBeCloseTo(1, 1);
    expect(Math.abs(std('1.body.1', 'in_proj_weight') / 0.02 - 1)).toBeLessThan(0.015);
    expect(Math.abs(std('1.body.1', 'out_proj.weight') / res - 1)).toBeLessThan(0.015);
    expect(Math.abs(std('2.body.1', 'weight') / 0.02 - 1)).toBeLessThan(0.015);
    expect(Math.abs(std('2.body.3', 'weight') / res - 1)).toBeLessThan(0.015);
    expect(std('2.body.1', 'bias')).toBe(0);
    expect(std('1.body.1', 'out_proj.bias')).toBe(0);
    expect(Math.abs(std('10', 'weight') / 0.02 - 1)).toBeLessThan(0.015);
  });

  it('mup: hidden weights variance 1/fan_in, readout 0, embedding N(0, 1), attention 1/d_head', () => {
    const ls = params('mup');
    const ms = (path: string, name: string) =>
      ls.find((l) => l.path === path)!.parameters!.find((p) => p.name === name)!.value.meanSquare;
    expect(Math.abs(ms('1.body.1', 'in_proj_weight') * 256 - 1)).toBeLessThan(0.03);
    expect(Math.abs(ms('1.body.1', 'out_proj.weight') * 256 - 1)).toBeLessThan(0.03);
    expect(Math.abs(ms('2.body.1', 'weight') * 256 - 1)).toBeLessThan(0.03);
    expect(Math.abs(ms('2.body.3', 'weight') * 1024 - 1)).toBeLessThan(0.03);
    expect(Math.abs(ms('0', 'weight') - 1)).toBeLessThan(0.03);
    expect(ms('10', 'weight')).toBe(0);
    const c = transformer({ ...base, norm: 'none', init: 'mup' });
    expect(c.layers[1]).toMatchObject({ body: [{ type: 'attention', scale: 'linear' }] });
  });

  it('rejects bad options by name', () => {
    expect(() => transformer({ ...base, norm: 'middle' as never, init: 'torch' })).toThrow(
      /norm must be one of/,
    );
    expect(() => transformer({ ...base, norm: 'pre', init: 'torch', layers: 0 })).toThrow(
      /layers must be/,
    );
    expect(() =>
      propagateNetwork(transformer({ ...base, dModel: 30, norm: 'pre', init: 'torch' })),
    ).toThrow(/layers\.1\.body\.1\.heads must be a divisor of dModel = 30/);
  });
});
