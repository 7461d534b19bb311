/**
 * Backward passes of layernorm, rmsnorm, embedding, attention and a small transformer preset
 * against float64-summed central differences (ε = 1e-2 on the float32 forward pass), on both
 * kernel paths; and the errors the layers give for bad descriptions. Bound: worst relative error
 * 2e-2 with floor 1e-3 (as the core's tests), which a sign or factor error exceeds by far.
 */
import { describe, expect, it } from 'vitest';
import { propagateNetwork } from '../../src/engine';
import type { LayerSpec, NetworkConfig } from '../../src/engine/network/types';
import { transformer } from '../../src/engine/presets/transformer';
import { gradCheck, worstRelativeError } from './helpers/gradcheck';

const seq = (layers: LayerSpec[], loss: NetworkConfig['loss'] = 'readout'): NetworkConfig => ({
  input: { shape: [5, 8], batch: 3 },
  seed: 11,
  loss,
  layers: [{ type: 'linear', out: 8 }, ...layers, { type: 'linear', out: 6 }],
});

describe('gradCheck: normalization', () => {
  for (const type of ['layernorm', 'rmsnorm'] as const) {
    it(`${type} (input and γ, β), with and without affine parameters`, () => {
      const rows = gradCheck(seq([{ type }, { type: 'activation', name: 'tanh' }]), { samples: 8 });
      expect(rows.some((r) => r.where === 'input')).toBe(true);
      expect(worstRelativeError(rows)).toBeLessThan(2e-2);
      const plain = gradCheck(seq([{ type, affine: false }]), { samples: 8 });
      expect(worstRelativeError(plain)).toBeLessThan(2e-2);
    });
  }

  it('γ = 0 (zero-γ trick) outputs β, and its gradients still check', () => {
    const r = propagateNetwork({
      input: { shape: [4, 8], batch: 2 },
      seed: 1,
      layers: [{ type: 'layernorm', gamma: 0 }],
    });
    expect(r.layers[0]!.output.meanSquare).toBe(0);
    const rows = gradCheck(seq([{ type: 'rmsnorm', gamma: 0 }]), { samples: 8 });
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
  });
});

describe('gradCheck: embedding (the table; ids carry no gradient)', () => {
  it('embedding → linear, cross-entropy over the steps', () => {
    const rows = gradCheck(
      {
        input: { shape: [6], batch: 4, init: { tokens: 9 } },
        seed: 5,
        loss: 'cross_entropy',
        layers: [
          { type: 'embedding', vocab: 9, dim: 7 },
          { type: 'linear', out: 9 },
        ],
      },
      { samples: 12 },
    );
    expect(rows.some((r) => r.where === 'input')).toBe(false);
    expect(rows.filter((r) => r.where === '0#0').length).toBe(12);
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
  });
});

describe('gradCheck: attention', () => {
  for (const causal of [false, true]) {
    for (const scale of ['sqrt', 'linear'] as const) {
      it(`causal ${causal}, scale ${scale}`, () => {
        // Larger in_proj weights make the softmax far from uniform, so its Jacobian matters.
        const rows = gradCheck(
          seq([
            {
              type: 'attention',
              heads: 2,
              causal,
              scale,
              inInit: { name: 'normal', std: 0.6 },
            },
          ]),
          { samples: 10 },
        );
        expect(worstRelativeError(rows)).toBeLessThan(2e-2);
      });
    }
  }

  it('without biases (out_proj.weight and in_proj_weight only)', () => {
    const config = seq([{ type: 'attention', heads: 4, bias: false, causal: true }]);
    const rows = gradCheck(config, { samples: 10 });
    expect(new Set(rows.map((r) => r.where))).toContain('1#1');
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
    const r = propagateNetwork(config);
    expect(r.layers[1]!.parameters!.map((p) => p.name)).toEqual([
      'out_proj.weight',
      'in_proj_weight',
    ]);
  });

  it('counts its T × T attention weights in the memory budget, before allocating', () => {
    expect(() =>
      propagateNetwork({
        input: { shape: [4096, 64], batch: 8 },
        seed: 0,
        layers: [{ type: 'attention', heads: 8 }],
      }),
    ).toThrow(/at most 134,217,728 entries/);
  });

  it('reports the attention entropy: ln T for uniform weights, less when peaked', () => {
    const base = { input: { shape: [6, 8], batch: 2 }, seed: 4 };
    const flat = propagateNetwork({
      ...base,
      layers: [{ type: 'attention', heads: 2, inInit: { name: 'zeros' } }],
    });
    expect(flat.layers[0]!.attentionEntropy).toBeCloseTo(Math.log(6), 6);
    const causal = propagateNetwork({
      ...base,
      layers: [{ type: 'attention', heads: 2, causal: true, inInit: { name: 'zeros' } }],
    });
    // Query i sees i + 1 keys uniformly: mean of ln(i + 1).
    const expected = [1, 2, 3, 4, 5, 6].reduce((s, n) => s + Math.log(n), 0) / 6;
    expect(causal.layers[0]!.attentionEntropy).toBeCloseTo(expected, 6);
    const peaked = propagateNetwork({
      ...base,
      layers: [{ type: 'attention', heads: 2, inInit: { name: 'normal', std: 2 } }],
    });
    expect(peaked.layers[0]!.attentionEntropy).toBeLessThan(Math.log(6) - 0.5);
  });
});

describe('gradCheck: a small transformer preset', () => {
  for (const norm of ['pre', 'post', 'none'] as const) {
    it(`norm ${norm}, GPT-2 init, causal, with vocab and cross-entropy`, () => {
      const config = {
        ...transformer({
          layers: 2,
          dModel: 8,
          heads: 2,
          seq: 4,
          vocab: 7,
          norm,
          init: 'gpt2',
          batch: 2,
          causal: true,
          seed: 3,
        }),
        loss: 'cross_entropy' as const,
      };
      const rows = gradCheck(config, { samples: 4, eps: 3e-3 });
      expect(rows.length).toBeGreaterThan(40);
      expect(worstRelativeError(rows, 1e-4)).toBeLessThan(2e-2);
    });
  }

  it('torch init without vocab (real input), readout loss', () => {
    const config = transformer({
      layers: 1,
      dModel: 8,
      heads: 4,
      seq: 3,
      norm: 'pre',
      init: 'torch',
      batch: 2,
    });
    expect(worstRelativeError(gradCheck(config, { samples: 5 }))).toBeLessThan(2e-2);
  });
});

describe('errors name the layer, field, value and what is allowed', () => {
  const bad = (config: unknown, msg: RegExp) =>
    expect(() => propagateNetwork(config as NetworkConfig)).toThrow(msg);
  const x = { input: { shape: [4, 6], batch: 2 }, seed: 0 };
  it('attention', () => {
    bad(
      { ...x, layers: [{ type: 'attention', heads: 4 }] },
      /layers\.0\.heads must be a divisor of dModel = 6/,
    );
    bad(
      { ...x, layers: [{ type: 'attention', heads: 2, scale: 'cube' }] },
      /layers\.0\.scale must be one of 'sqrt', 'linear'/,
    );
    bad(
      { input: { shape: [6], batch: 2 }, seed: 0, layers: [{ type: 'attention', heads: 2 }] },
      /layers\.0 must be a sequence \[steps, dModel\] for attention/,
    );
  });
  it('norms', () => {
    bad(
      { ...x, layers: [{ type: 'layernorm', eps: 0 }] },
      /layers\.0\.eps must be a positive number/,
    );
    bad(
      { ...x, layers: [{ type: 'rmsnorm', affine: false, gamma: 0 }] },
      /layers\.0\.gamma must be absent/,
    );
  });
  it('embedding: token input, ids below vocab, first layer', () => {
    const tok = (n: number) => ({ shape: [5], batch: 2, init: { tokens: n } });
    bad(
      {
        input: { shape: [5], batch: 2 },
        seed: 0,
        layers: [{ type: 'embedding', vocab: 4, dim: 3 }],
      },
      /input\.init must be token ids \{ tokens: n \} with n ≤ 4 for the embedding at layers\.0/,
    );
    bad(
      { input: tok(9), seed: 0, layers: [{ type: 'embedding', vocab: 4, dim: 3 }] },
      /input\.init must be token ids .* n ≤ 4/,
    );
    bad(
      {
        input: tok(4),
        seed: 0,
        layers: [{ type: 'flatten' }, { type: 'embedding', vocab: 4, dim: 3 }],
      },
      /layers\.1 must be the first layer/,
    );
    bad(
      { ...x, layers: [{ type: 'embedding', vocab: 4, dim: 3 }] },
      /layers\.0 must be token ids of shape \[steps\] for embedding/,
    );
  });
});
