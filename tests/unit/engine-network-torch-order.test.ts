/**
 * The 'torch' draw order: PyTorch builds every module (each constructor drawing its defaults) and
 * only then re-initializes what the description changed, so a replay must consume the generator in
 * that order. Checked here on the engine's own generator against hand-made draw sequences; against
 * PyTorch's numbers once its stream is reproduced (issue 19).
 */
import { describe, expect, it } from 'vitest';
import { initTensor, transformer } from '../../src/engine';
import { buildNetwork, flatNodes } from '../../src/engine/network/build';
import type { Leaf } from '../../src/engine/network/layer';
import { drawParameters } from '../../src/engine/network/run';
import { createRng } from '../../src/engine/rng';

describe("drawParameters(…, 'torch')", () => {
  it('draws every constructor default first, then the re-initializations, in module order', () => {
    const plan = buildNetwork({
      input: { shape: [6], batch: 1 },
      seed: 0,
      layers: [
        {
          type: 'linear',
          out: 5,
          weightInit: { name: 'normal', std: 0.02 },
          biasInit: { name: 'zeros' },
        },
        { type: 'activation', name: 'tanh' },
        { type: 'linear', out: 4 },
      ],
    });
    const got = drawParameters(plan, createRng(7), 'torch');
    const r = createRng(7);
    initTensor([5, 6], { name: 'torch_default' }, r); // nn.Linear(6, 5)'s weight, later replaced
    initTensor([5], { name: 'torch_default' }, r, { fanIn: 6 }); // its bias, later zeroed
    const w2 = initTensor([4, 5], { name: 'torch_default' }, r);
    const b2 = initTensor([4], { name: 'torch_default' }, r, { fanIn: 5 });
    const w1 = initTensor([5, 6], { name: 'normal', std: 0.02 }, r); // model.apply(init)
    expect(got.get('0')![0]).toEqual(w1);
    expect(got.get('0')![1]).toEqual(new Float32Array(5));
    expect(got.get('2')![0]).toEqual(w2);
    expect(got.get('2')![1]).toEqual(b2);
    // Module order draws each layer once, as the description says.
    const module = drawParameters(plan, createRng(7), 'module');
    expect(module.get('0')![0]).not.toEqual(w1);
  });

  it('with PyTorch’s defaults everywhere it is module order (MultiheadAttention, LayerNorm, LSTM)', () => {
    const plan = buildNetwork({
      input: { shape: [4, 8], batch: 1 },
      seed: 0,
      layers: [
        { type: 'layernorm' },
        { type: 'attention', heads: 2 },
        { type: 'recurrent', cell: 'lstm', hidden: 6, forgetBias: 1 },
      ],
    });
    expect(drawParameters(plan, createRng(3), 'torch')).toEqual(
      drawParameters(plan, createRng(3), 'module'),
    );
  });

  it('the GPT-2 preset records the constructor default of every tensor it re-initializes', () => {
    const plan = buildNetwork(
      transformer({
        layers: 2,
        dModel: 16,
        heads: 2,
        seq: 4,
        vocab: 10,
        norm: 'pre',
        init: 'gpt2',
      }),
    );
    const leaves = flatNodes(plan.nodes).filter((n): n is Leaf => n.kind === 'leaf');
    const replaced = leaves.flatMap((l) =>
      l.params.filter((p) => p.torchDefault).map((p) => `${l.type}.${p.name}`),
    );
    expect(new Set(replaced)).toEqual(
      new Set([
        'embedding.weight',
        'attention.out_proj.weight',
        'attention.in_proj_weight',
        'linear.weight',
        'linear.bias',
      ]),
    );
    const attention = leaves.find((l) => l.type === 'attention')!;
    expect(attention.params.find((p) => p.name === 'in_proj_weight')!.torchDefault).toEqual({
      name: 'xavier_uniform',
    });
  });
});
