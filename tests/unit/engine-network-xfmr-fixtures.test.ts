/**
 * The transformer layers against PyTorch 1.13 (fixtures written by scripts/fixtures/transformer.py):
 * LayerNorm, RMSNorm (by its formula), Embedding and MultiheadAttention (causal or not, both
 * scales) forward and autograd gradients for fixed small weights and inputs; parameter names,
 * shapes and draw order. Tolerance: float32 rounding, |engine − torch| ≤ 1e-5·max(1, |torch|)
 * (attention 2e-5: its products chain three float32 roundings).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createKernels } from '../../src/engine/backend';
import { buildNetwork } from '../../src/engine/network/build';
import { backwardNetwork, forwardNetwork, runContext } from '../../src/engine/network/run';
import type { LayerSpec, NetworkConfig } from '../../src/engine/network/types';
import { FLOAT32_EPS } from '../../src/engine/network/layers/rmsnorm';
import { propagateNetwork } from '../../src/engine';

const load = (name: string) =>
  JSON.parse(readFileSync(`tests/fixtures/network/transformer-${name}.json`, 'utf8'));
const f32 = (a: number[]) => Float32Array.from(a);

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(
      worst,
      Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)),
    );
  }
  expect(worst).toBeLessThanOrEqual(tol);
}

/** One layer run forward and backward on given parameters, input and upstream gradient. */
function runLayer(
  config: NetworkConfig,
  params: Float32Array[],
  x: Float32Array,
  gy: Float32Array,
) {
  const plan = buildNetwork({ ...config, backward: true });
  const map = new Map([['0', params]]);
  const ctx = runContext(createKernels(), plan.batch, true);
  const extras: { entropy?: number } = {};
  const { y, tape } = forwardNetwork(plan, map, x, ctx, (_n, _y, r) => {
    if (r?.extras?.attentionEntropy !== undefined) extras.entropy = r.extras.attentionEntropy;
  });
  const { grads, gx } = backwardNetwork(plan, map, tape, gy, ctx);
  return { y, gx, grads: grads.get('0')!, ...extras };
}

const seqConfig = (shape: number[], batch: number, layer: LayerSpec): NetworkConfig => ({
  input: { shape, batch },
  seed: 0,
  layers: [layer],
});

describe('layernorm and rmsnorm against PyTorch', () => {
  const fx = load('norms');

  it("LayerNorm's defaults: eps 1e-5, weight ones, bias zeros, names weight and bias", () => {
    const f = fx.layernorm.facts;
    expect(f.eps).toBe(1e-5);
    expect(f.elementwise_affine).toBe(true);
    const r = propagateNetwork({
      input: { shape: [3, 6], batch: 2 },
      seed: 1,
      layers: [{ type: 'layernorm' }],
    });
    const p = r.layers[0]!.parameters!;
    expect(p.map((q) => [q.name, q.shape])).toEqual(
      f.parameters.map((q: { name: string; shape: number[] }) => [q.name, q.shape]),
    );
    expect([p[0]!.value.min, p[0]!.value.max]).toEqual([1, 1]);
    expect([p[1]!.value.min, p[1]!.value.max]).toEqual([0, 0]);
    expect(f.weight.every((v: number) => v === 1)).toBe(true);
    expect(f.bias.every((v: number) => v === 0)).toBe(true);
  });

  it('LayerNorm forward and gradients (input, weight, bias)', () => {
    const L = fx.layernorm;
    const r = runLayer(
      seqConfig(L.shape, L.batch, { type: 'layernorm' }),
      [f32(L.weight), f32(L.bias)],
      f32(L.x),
      f32(L.gy),
    );
    expectClose(r.y, L.y);
    expectClose(r.gx!, L.gx);
    expectClose(r.grads[0]!, L.gweight);
    expectClose(r.grads[1]!, L.gbias);
  });

  it("RMSNorm's formula with eps = finfo(float32).eps: forward and gradients", () => {
    const R = fx.rmsnorm;
    expect(FLOAT32_EPS).toBe(R.eps);
    const r = runLayer(
      seqConfig(R.shape, R.batch, { type: 'rmsnorm' }),
      [f32(R.weight)],
      f32(R.x),
      f32(R.gy),
    );
    expectClose(r.y, R.y);
    expectClose(r.gx!, R.gx);
    expectClose(r.grads[0]!, R.gweight);
  });
});

describe('embedding against PyTorch', () => {
  const fx = load('embedding');

  it('forward and the gradient into the table (none into the ids)', () => {
    const r = runLayer(
      {
        input: { shape: [fx.steps], batch: fx.batch, init: { tokens: fx.vocab } },
        seed: 0,
        layers: [{ type: 'embedding', vocab: fx.vocab, dim: fx.dim }],
      },
      [f32(fx.weight)],
      f32(fx.ids),
      f32(fx.gy),
    );
    expectClose(r.y, fx.y, 0);
    expect(r.gx).toBeNull();
    expectClose(r.grads[0]!, fx.gweight);
  });

  it('an id outside 0 … vocab − 1 passed directly is an error naming the layer', () => {
    const config: NetworkConfig = {
      input: { shape: [3], batch: 1, init: { tokens: 4 } },
      seed: 0,
      layers: [{ type: 'embedding', vocab: 4, dim: 2 }],
    };
    const plan = buildNetwork(config);
    const params = new Map([['0', [new Float32Array(8)]]]);
    const ctx = runContext(createKernels(), 1, false);
    expect(() => forwardNetwork(plan, params, Float32Array.from([0, 4, 1]), ctx)).toThrow(
      /layers\.0\.vocab must be ids from 0 to 3.*token id 4 at position 1/,
    );
    expect(() => forwardNetwork(plan, params, Float32Array.from([0, 1.5, 1]), ctx)).toThrow(
      /token id 1\.5/,
    );
  });

  it("default N(0, 1) table named weight, as PyTorch's (mean and variance of 100 000 draws)", () => {
    expect(fx.facts.parameters).toEqual([{ name: 'weight', shape: [7, 5], count: 35 }]);
    const r = propagateNetwork({
      input: { shape: [4], batch: 2, init: { tokens: 1000 } },
      seed: 3,
      layers: [{ type: 'embedding', vocab: 1000, dim: 100 }],
    });
    const w = r.layers[0]!.weight!;
    // 1e5 draws: the sample variance is within 4 standard errors (√(2/1e5) ≈ 0.0045) of 1,
    // as PyTorch's own draw is.
    expect(Math.abs(w.mean)).toBeLessThan(0.02);
    expect(Math.abs(w.variance - 1)).toBeLessThan(0.018);
    expect(Math.abs(fx.facts.bigVar - 1)).toBeLessThan(0.018);
  });
});

describe('attention against nn.MultiheadAttention', () => {
  const fx = load('attention');

  it("declares parameters in PyTorch's draw order, with its names and shapes", () => {
    const r = propagateNetwork({
      input: { shape: [fx.steps, fx.dModel], batch: 1 },
      seed: 0,
      layers: [{ type: 'attention', heads: fx.heads }],
    });
    const p = r.layers[0]!.parameters!;
    expect(p.map((q) => q.name)).toEqual([
      'out_proj.weight',
      'out_proj.bias',
      'in_proj_weight',
      'in_proj_bias',
    ]);
    expect(fx.facts.drawOrder[0]).toBe('out_proj.weight');
    expect(fx.facts.drawOrder[2]).toBe('in_proj_weight');
    // Same set as named_parameters() (which lists in_proj first).
    const torchShapes = Object.fromEntries(
      fx.facts.parameters.map((q: { name: string; shape: number[] }) => [q.name, q.shape]),
    );
    for (const q of p) expect(q.shape).toEqual(torchShapes[q.name]);
    expect(p.length).toBe(fx.facts.parameters.length);
    // Biases zero; in_proj_weight xavier-uniform.
    expect([p[1]!.value.min, p[1]!.value.max, p[3]!.value.min, p[3]!.value.max]).toEqual([
      0, 0, 0, 0,
    ]);
    const noBias = propagateNetwork({
      input: { shape: [fx.steps, fx.dModel], batch: 1 },
      seed: 0,
      layers: [{ type: 'attention', heads: fx.heads, bias: false }],
    }).layers[0]!.parameters!;
    expect(noBias.map((q) => q.name).sort()).toEqual(
      fx.facts.parametersNoBias.map((q: { name: string }) => q.name).sort(),
    );
  });

  it("draws in_proj_weight from xavier_uniform's bound √(6/(d + 3d))", () => {
    const r = propagateNetwork({
      input: { shape: [4, 64], batch: 1 },
      seed: 2,
      layers: [{ type: 'attention', heads: 4 }],
    });
    const p = r.layers[0]!.parameters!;
    const bound = fx.facts.xavierBound64;
    expect(p[2]!.value.max).toBeLessThanOrEqual(bound);
    expect(p[2]!.value.max).toBeGreaterThan(0.99 * bound);
    expect(fx.facts.inProjMaxAbs64).toBeLessThanOrEqual(bound);
    // out_proj.weight: Linear's U(±1/√64).
    expect(p[0]!.value.max).toBeLessThanOrEqual(1 / 8);
    expect(p[0]!.value.max).toBeGreaterThan(0.99 / 8);
    expect(fx.facts.outProjMaxAbs64).toBeLessThanOrEqual(1 / 8);
  });

  for (const c of fx.cases) {
    it(`forward, entropy and gradients (causal ${c.causal}, scale ${c.scale}, ${c.source})`, () => {
      const r = runLayer(
        seqConfig([fx.steps, fx.dModel], fx.batch, {
          type: 'attention',
          heads: fx.heads,
          causal: c.causal,
          scale: c.scale,
        }),
        [
          f32(c['out_proj.weight']),
          f32(c['out_proj.bias']),
          f32(c.in_proj_weight),
          f32(c.in_proj_bias),
        ],
        f32(c.x),
        f32(c.gy),
      );
      expectClose(r.y, c.y, 2e-5);
      expect(Math.abs(r.entropy! - c.entropy)).toBeLessThan(1e-5);
      expectClose(r.gx!, c.gx, 2e-5);
      expectClose(r.grads[0]!, c['g_out_proj.weight'], 2e-5);
      expectClose(r.grads[1]!, c['g_out_proj.bias'], 2e-5);
      expectClose(r.grads[2]!, c.g_in_proj_weight, 2e-5);
      expectClose(r.grads[3]!, c.g_in_proj_bias, 2e-5);
    });
  }
});
