/**
 * The transformer preset: its parameter shapes and count against the same network built from
 * nn.Embedding, nn.MultiheadAttention, nn.Linear and nn.LayerNorm in PyTorch 1.13 (fixture
 * tests/fixtures/network/transformer-preset.json), and its initialization tables (GPT-2, μP).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { propagateNetwork } from '../../src/engine';
import { buildNetwork } from '../../src/engine/network/build';
import { createKernels } from '../../src/engine/backend';
import { backwardNetwork, forwardNetwork, leaves, runContext } from '../../src/engine/network/run';
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

describe('transformer preset numerics against the same network in PyTorch (fixed weights)', () => {
  const nx = JSON.parse(
    readFileSync('tests/fixtures/network/transformer-preset-numerics.json', 'utf8'),
  ) as {
    cases: {
      config: {
        layers: number;
        dModel: number;
        heads: number;
        seq: number;
        vocab: number;
        norm: 'pre' | 'post';
      };
      batch: number;
      ids: number[];
      parameters: Record<string, number[]>;
      y: number[];
      gy: number[];
      grads: Record<string, number[]>;
    }[];
  };
  const ATTN = ['out_proj.weight', 'out_proj.bias', 'in_proj_weight', 'in_proj_bias'];

  /** Where each PyTorch parameter lives in the engine: [path, index]. */
  function locate(name: string, norm: 'pre' | 'post', L: number): [string, number] {
    if (name === 'embed.weight') return ['0', 0];
    if (name === 'final.weight' || name === 'final.bias')
      return [String(1 + 2 * L), name.endsWith('weight') ? 0 : 1];
    if (name === 'readout.weight') return [String(norm === 'pre' ? 2 + 2 * L : 1 + 4 * L), 0];
    const [, l, mod, ...rest] = name.split('.');
    const b = Number(l);
    const leaf = rest.join('.');
    const wb = leaf === 'weight' ? 0 : 1;
    const at =
      norm === 'pre'
        ? {
            ln1: [1 + 2 * b, '.body.0'],
            attn: [1 + 2 * b, '.body.1'],
            ln2: [2 + 2 * b, '.body.0'],
            fc1: [2 + 2 * b, '.body.1'],
            fc2: [2 + 2 * b, '.body.3'],
          }
        : {
            attn: [1 + 4 * b, '.body.0'],
            ln1: [2 + 4 * b, ''],
            fc1: [3 + 4 * b, '.body.0'],
            fc2: [3 + 4 * b, '.body.2'],
            ln2: [4 + 4 * b, ''],
          };
    const [i, suffix] = at[mod as keyof typeof at];
    return [`${i}${suffix}`, mod === 'attn' ? ATTN.indexOf(leaf) : wb];
  }

  for (const c of nx.cases) {
    it(`${c.config.norm}-norm, causal: logits and every parameter's gradient within 2e-5`, () => {
      const plan = buildNetwork({
        ...transformer({ ...c.config, init: 'torch', batch: c.batch, causal: true }),
        backward: true,
      });
      const params = new Map<string, Float32Array[]>();
      for (const leaf of leaves(plan))
        params.set(
          leaf.path,
          leaf.params.map(() => new Float32Array(0)),
        );
      for (const [name, values] of Object.entries(c.parameters)) {
        const [path, i] = locate(name, c.config.norm, c.config.layers);
        const slot = params.get(path)!;
        expect(
          leaves(plan)
            .find((l) => l.path === path)!
            .params[i]!.shape.reduce((a, b) => a * b, 1),
        ).toBe(values.length);
        slot[i] = Float32Array.from(values);
      }
      for (const [, ts] of params) for (const t of ts) expect(t.length).toBeGreaterThan(0);
      const ctx = runContext(createKernels(), c.batch, true);
      const { y, tape } = forwardNetwork(plan, params, Float32Array.from(c.ids), ctx);
      const close = (a: ArrayLike<number>, b: number[]) => {
        expect(a.length).toBe(b.length);
        let worst = 0;
        for (let i = 0; i < b.length; i++)
          worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
        expect(worst).toBeLessThan(2e-5);
      };
      close(y, c.y);
      const { grads } = backwardNetwork(plan, params, tape, Float32Array.from(c.gy), ctx);
      for (const [name, g] of Object.entries(c.grads)) {
        const [path, i] = locate(name, c.config.norm, c.config.layers);
        close(grads.get(path)![i]!, g);
      }
    });
  }
});
