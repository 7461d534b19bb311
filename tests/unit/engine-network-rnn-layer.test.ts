/**
 * The recurrent layer's backward pass against central differences (every cell, with and without
 * biases, with forgetBias), its per-step statistics and its input errors.
 */
import { describe, expect, it } from 'vitest';
import { propagateNetwork } from '../../src/engine';
import { createKernels } from '../../src/engine/backend';
import { buildNetwork } from '../../src/engine/network/build';
import type { Leaf } from '../../src/engine/network/layer';
import { drawParameters, runContext } from '../../src/engine/network/run';
import { createRng } from '../../src/engine/rng';
import type { LayerSpec, NetworkConfig } from '../../src/engine/network/types';
import { gradCheck, worstRelativeError } from './helpers/gradcheck';

const seq = (layers: LayerSpec[], extra: Partial<NetworkConfig> = {}): NetworkConfig => ({
  input: { shape: [4, 3], batch: 3 },
  seed: 11,
  layers,
  ...extra,
});

describe('recurrent layer: backward through time against central differences', () => {
  // Weights at U(±0.9) so the gates are well inside their nonlinear range.
  const big = { name: 'uniform', a: -0.9, b: 0.9 } as const;
  const cases: [string, LayerSpec[], Partial<NetworkConfig>, number?][] = [
    ['tanh', [{ type: 'recurrent', cell: 'tanh', hidden: 5, recurrentInit: big }], {}],
    // ReLU has a kink at 0: a smaller ε keeps the differences off it (float32 still resolves them).
    ['relu', [{ type: 'recurrent', cell: 'relu', hidden: 5 }], {}, 1e-3],
    [
      'tanh, no bias, mse',
      [{ type: 'recurrent', cell: 'tanh', hidden: 4, bias: false }],
      { loss: 'mse' },
    ],
    [
      'lstm',
      [{ type: 'recurrent', cell: 'lstm', hidden: 5, recurrentInit: big, weightInit: big }],
      {},
    ],
    ['lstm, forgetBias 1', [{ type: 'recurrent', cell: 'lstm', hidden: 4, forgetBias: 1 }], {}],
    [
      'gru',
      [{ type: 'recurrent', cell: 'gru', hidden: 5, recurrentInit: big, weightInit: big }],
      {},
    ],
    [
      'two stacked layers and a readout',
      [
        { type: 'recurrent', cell: 'gru', hidden: 4 },
        { type: 'recurrent', cell: 'lstm', hidden: 3 },
        { type: 'linear', out: 2 },
      ],
      { loss: 'cross_entropy' },
    ],
  ];
  it.each(cases)('%s', (_name, layers, extra, eps) => {
    const rows = gradCheck(seq(layers, extra), { samples: 12, eps: eps ?? 1e-2 });
    expect(rows.length).toBeGreaterThan(30);
    // float32 forward, ε = 1e-2: the core test's 2e-2 relative bound.
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
  });
});

describe('recurrent layer: per-step hidden states and gradients', () => {
  it('reports one summary per step, forward and backward', () => {
    const r = propagateNetwork({
      ...seq([{ type: 'recurrent', cell: 'lstm', hidden: 6 }]),
      backward: true,
    });
    const l = r.layers[0]!;
    expect(l.shape).toEqual([4, 6]);
    expect(l.steps!.hidden).toHaveLength(4);
    expect(l.steps!.gradHidden).toHaveLength(4);
    expect(l.steps!.hidden[0]!.count).toBe(3 * 6);
  });

  it('stepGrads are ∂L/∂h_t in total: the last is the output gradient; each gives ∂L/∂x_t', () => {
    const config = seq([{ type: 'recurrent', cell: 'tanh', hidden: 5 }]);
    const plan = buildNetwork(config);
    const leaf = plan.nodes[0] as Leaf;
    const [wih, whh, bih, bhh] = drawParameters(plan, createRng(2)).get('0')!;
    const B = 3;
    const T = 4;
    const H = 5;
    const F = 3;
    const x = createRng(3).normalArray(new Float32Array(B * T * F));
    const gy = createRng(4).normalArray(new Float32Array(B * T * H));
    const ctx = runContext(createKernels(), B, true);
    const f = leaf.forward(x, [wih!, whh!, bih!, bhh!], ctx);
    const back = leaf.backward(gy, x, f.y, f.cache, [wih!, whh!, bih!, bhh!], ctx);
    const sg = back.stepGrads!;
    expect(sg).toHaveLength(T);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < H; j++) expect(sg[T - 1]![b * H + j]).toBe(gy[(b * T + T - 1) * H + j]);
    // For tanh, ∂L/∂x_t = W_ihᵀ((1 − h_t²) ⊙ ∂L/∂h_t): gx is checked by central differences above,
    // so this ties the reported per-step gradients to it.
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++)
        for (let i = 0; i < F; i++) {
          let s = 0;
          for (let j = 0; j < H; j++) {
            const h = f.y[(b * T + t) * H + j]!;
            s += wih![j * F + i]! * (1 - h * h) * sg[t]![b * H + j]!;
          }
          expect(back.gx![(b * T + t) * F + i]).toBeCloseTo(s, 5);
        }
    // The reported hidden states are the output rows of each step.
    expect(Array.from(f.extras!.steps![2]!.subarray(0, H))).toEqual(
      Array.from(f.y.subarray(2 * H, 3 * H)),
    );
  });
});

describe('recurrent layer: errors name the path, field, value and what is allowed', () => {
  const bad = (shape: number[], layers: unknown[], msg: RegExp) =>
    expect(() =>
      propagateNetwork({ input: { shape, batch: 2 }, seed: 0, layers } as never),
    ).toThrow(msg);
  it('rejects an image, a bad cell, a bad hidden size and a misplaced forgetBias', () => {
    bad(
      [3, 8, 8],
      [{ type: 'recurrent', cell: 'tanh', hidden: 4 }],
      /layers\.0 must be a sequence of shape \[steps, features\] for recurrent; received 'input of shape \[3, 8, 8\]'/,
    );
    bad(
      [5, 3],
      [
        { type: 'linear', out: 4 },
        { type: 'recurrent', cell: 'elman', hidden: 4 },
      ],
      /layers\.1\.cell must be one of 'tanh', 'relu', 'lstm', 'gru'; received 'elman'/,
    );
    bad(
      [5, 3],
      [{ type: 'recurrent', cell: 'gru', hidden: 0 }],
      /layers\.0\.hidden must be an integer/,
    );
    bad(
      [5, 3],
      [{ type: 'recurrent', cell: 'gru', hidden: 4, forgetBias: 1 }],
      /layers\.0\.forgetBias must be absent unless cell is 'lstm'; received 1/,
    );
    bad(
      [5, 3],
      [{ type: 'recurrent', cell: 'lstm', hidden: 4, bias: false, forgetBias: 1 }],
      /layers\.0\.forgetBias must be absent when bias is false/,
    );
    bad(
      [5, 3],
      [{ type: 'recurrent', cell: 'lstm', hidden: 4, forgetBias: 'one' }],
      /layers\.0\.forgetBias must be a finite number/,
    );
    bad(
      [5, 3],
      [{ type: 'recurrent', cell: 'lstm', hidden: 4, recurrentInit: { name: 'normal', std: -1 } }],
      /layers\.0\.recurrentInit\.std/,
    );
  });
});
